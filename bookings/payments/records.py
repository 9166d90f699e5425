"""Payment rows as they begin: a pending payment for a registered kind of purchase, or money taken
at the studio (cash or PIN), paid at once with its receipt number."""

from collections.abc import Callable

from django.utils import timezone, translation

from ..models import BookingPolicy, Payment
from . import invoices, kinds, receipts


def described(write: Callable[[], str]) -> dict[str, str]:
    """A payment's line in both languages, from one function that writes it in the active language (the
    names of classes, cards and products follow it): `description`, the Dutch one of the books and the
    invoice, and `description_en`, shown to a client who reads in English (Payment.label). Spread it into
    `payment_create(..., **described(lambda: card_type.name))`."""
    lines = {}
    for field, language in (("description", "nl"), ("description_en", "en")):
        with translation.override(language):
            lines[field] = str(write())[:200]
    return lines


def payment_create(*, client, purpose: str, amount_cents: int, description: str, description_en: str = "", vat_rate_percent=None,
                   now=None, **fields) -> Payment:
    """A pending payment for one registered kind of purchase, at its product's VAT rate (the studio's
    default rate only for a product that has none). `description` is Dutch, `description_en` its English
    form (see `described`). `fields` are what the kind keeps on the payment itself (a class card's type)."""
    kinds.kind_for(purpose)  # an unknown purpose is a programming error, not a payment
    if vat_rate_percent is None:
        vat_rate_percent = BookingPolicy.current().vat_rate_percent
    return Payment.objects.create(client=client, purpose=purpose, amount_cents=amount_cents, description=description[:200],
                                  description_en=description_en[:200], vat_rate_percent=vat_rate_percent, created_at=now or timezone.now(), **fields)


def payment_received_at_studio(*, client, purpose: str, amount_cents: int, method: str, description: str, description_en: str = "",
                               vat_rate_percent=None, now=None) -> Payment:
    """Money taken at the studio (cash or PIN): a paid payment with the next receipt number and its
    invoice. Call inside the transaction that links it to what it paid for."""
    now = now or timezone.now()
    if method not in (Payment.Method.CASH, Payment.Method.PIN):
        raise ValueError(f"not a method at the studio: {method!r}")
    payment = payment_create(client=client, purpose=purpose, amount_cents=amount_cents, description=description,
                             description_en=description_en, vat_rate_percent=vat_rate_percent, now=now)
    payment.status, payment.method, payment.paid_at = Payment.Status.PAID, method, now
    payment.receipt_number = receipts.receipt_number_next(now)
    payment.save(update_fields=["status", "method", "paid_at", "receipt_number"])
    invoices.invoice_issue(payment, now=now)
    return payment
