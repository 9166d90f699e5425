"""Payment rows as they begin: a pending payment for a registered kind of purchase, or money taken
at the studio (cash or PIN), paid at once with its receipt number."""

from django.utils import timezone

from ..models import BookingPolicy, Payment
from . import invoices, kinds, receipts


def payment_create(*, client, purpose: str, amount_cents: int, description: str, vat_rate_percent=None, now=None,
                   **fields) -> Payment:
    """A pending payment for one registered kind of purchase, at its product's VAT rate (the studio's
    default rate only for a product that has none). `fields` are what the kind keeps on the payment
    itself (a class card's type)."""
    kinds.kind_for(purpose)  # an unknown purpose is a programming error, not a payment
    if vat_rate_percent is None:
        vat_rate_percent = BookingPolicy.current().vat_rate_percent
    return Payment.objects.create(client=client, purpose=purpose, amount_cents=amount_cents, description=description[:200],
                                  vat_rate_percent=vat_rate_percent, created_at=now or timezone.now(), **fields)


def payment_received_at_studio(*, client, purpose: str, amount_cents: int, method: str, description: str, vat_rate_percent=None,
                               now=None) -> Payment:
    """Money taken at the studio (cash or PIN): a paid payment with the next receipt number and its
    invoice. Call inside the transaction that links it to what it paid for."""
    now = now or timezone.now()
    if method not in (Payment.Method.CASH, Payment.Method.PIN):
        raise ValueError(f"not a method at the studio: {method!r}")
    payment = payment_create(client=client, purpose=purpose, amount_cents=amount_cents, description=description,
                             vat_rate_percent=vat_rate_percent, now=now)
    payment.status, payment.method, payment.paid_at = Payment.Status.PAID, method, now
    payment.receipt_number = receipts.receipt_number_next(now)
    payment.save(update_fields=["status", "method", "paid_at", "receipt_number"])
    invoices.invoice_issue(payment, now=now)
    return payment
