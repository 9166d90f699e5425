"""Payment rows as they begin: a pending payment for a registered kind of purchase, or money taken
at the studio (cash or PIN), paid at once with its receipt number."""

from django.utils import timezone

from ..models import BookingPolicy, Payment
from . import kinds, receipts


def payment_create(*, client, purpose: str, amount_cents: int, description: str, now=None, **fields) -> Payment:
    """A pending payment for one registered kind of purchase, with the studio's VAT rate. `fields`
    are what the kind keeps on the payment itself (a class card's type)."""
    kinds.kind_for(purpose)  # an unknown purpose is a programming error, not a payment
    return Payment.objects.create(client=client, purpose=purpose, amount_cents=amount_cents, description=description[:200],
                                  vat_rate_percent=BookingPolicy.current().vat_rate_percent, created_at=now or timezone.now(), **fields)


def payment_received_at_studio(*, client, purpose: str, amount_cents: int, method: str, description: str, now=None) -> Payment:
    """Money taken at the studio (cash or PIN): a paid payment with the next receipt number. Call
    inside the transaction that links it to what it paid for."""
    now = now or timezone.now()
    if method not in (Payment.Method.CASH, Payment.Method.PIN):
        raise ValueError(f"not a method at the studio: {method!r}")
    payment = payment_create(client=client, purpose=purpose, amount_cents=amount_cents, description=description, now=now)
    payment.status, payment.method, payment.paid_at = Payment.Status.PAID, method, now
    payment.receipt_number = receipts.receipt_number_next(now)
    payment.save(update_fields=["status", "method", "paid_at", "receipt_number"])
    return payment
