"""Selling gift vouchers: the pending payment with its voucher (not yet usable), issuing it once the
money is in, and what a voucher's pages show. The ledger itself (balance, redeeming, expiry) is in
bookings/payments/voucher_ledger.py."""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import euros
from core.vat import EXEMPT

from ..errors import PaymentError
from ..history import reason_text
from ..models import Payment, Voucher, VoucherProduct
from ..payments import records, voucher_ledger

VOUCHER = "voucher"  # the purpose of a payment for a gift voucher (bookings.offers.kinds)


def voucher_line(product: VoucherProduct, value_cents: int) -> str:
    """A gift voucher's payment line in the active language: the product and its value."""
    return f"{product.name} {euros(value_cents)}"


def voucher_amount(product: VoucherProduct, amount_cents: int | None) -> int:
    """The voucher's value: the product's fixed amount, or the chosen one within its range."""
    if product.amount_cents:
        return product.amount_cents
    if amount_cents is None:
        raise PaymentError(_("Choose the amount of the gift voucher."))
    if not product.minimum_cents <= amount_cents <= product.maximum_cents:
        raise PaymentError(_("Choose an amount between %(low)s and %(high)s.") % {
            "low": euros(product.minimum_cents), "high": euros(product.maximum_cents)})
    return amount_cents


def voucher_valid_until(product: VoucherProduct, now):
    """The end of the day, `validity_months` from now (Breda's clock)."""
    return timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=0) + relativedelta(months=product.validity_months)


def voucher_purchase_create(*, client, product: VoucherProduct, amount_cents: int | None = None, recipient_name: str = "",
                            recipient_email: str = "", message: str = "", now=None) -> Payment:
    """A pending payment for a gift voucher and the voucher itself, not usable until it is paid.
    Raises PaymentError (nothing saved) for a product not on sale or a bad amount or address."""
    now = now or timezone.now()
    if not product.is_on_sale:
        raise PaymentError(_("This gift voucher is not for sale."))
    value = voucher_amount(product, amount_cents)
    recipient_email = (recipient_email or "").strip()
    if recipient_email:
        try:
            validate_email(recipient_email)
        except Exception:
            raise PaymentError(_("The recipient's email address does not look right.")) from None
    with transaction.atomic():
        # A multi-purpose voucher: no VAT at the sale, only on what it later pays for.
        payment = records.payment_create(client=client, purpose=VOUCHER, amount_cents=value, now=now, vat_rate_percent=EXEMPT,
                                         **records.described(lambda: voucher_line(product, value)))
        Voucher.objects.create(code=voucher_ledger.voucher_code_new(), product=product, value_cents=value, buyer=client, payment=payment,
                               recipient_name=(recipient_name or "").strip()[:120], recipient_email=recipient_email,
                               message=(message or "").strip()[:600], created_at=now, expires_at=voucher_valid_until(product, now))
    return payment


def voucher_of(payment: Payment) -> Voucher | None:
    return Voucher.objects.filter(payment=payment).select_related("product").first()


def voucher_deliver(payment: Payment, *, now) -> Voucher | None:
    """The voucher's money is in: it is issued (valid from now for its months) once. Returns the
    voucher when it was issued just now, None when it was before (or there is none)."""
    voucher = voucher_of(payment)
    if voucher is None:
        return None
    if voucher.issued_at is None:
        Voucher.objects.filter(pk=voucher.pk, issued_at__isnull=True).update(expires_at=voucher_valid_until(voucher.product, now))
    return voucher if voucher_ledger.voucher_issue(voucher=voucher, now=now) else None


@dataclass
class VoucherState:
    """What a voucher's page shows: no personal data, only its money and its dates."""

    voucher: Voucher
    balance: int
    entries: list
    is_expired: bool
    is_issued: bool

    @property
    def is_usable(self) -> bool:
        return self.is_issued and not self.is_expired and self.balance > 0


def voucher_state(voucher: Voucher, *, now=None) -> VoucherState:
    now = now or timezone.now()
    entries = list(voucher.entries.order_by("created_at", "pk"))
    for entry in entries:
        entry.reason_shown = reason_text(entry.reason)  # the code's own reasons in plain words
    return VoucherState(voucher=voucher, balance=sum(entry.delta_cents for entry in entries), entries=entries,
                        is_expired=voucher.expires_at <= now, is_issued=voucher.issued_at is not None)


def vouchers_of_buyer(client):
    return Voucher.objects.filter(buyer=client, issued_at__isnull=False).select_related("product").with_balance()
