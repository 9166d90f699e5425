"""What the offers sell through payments: a gift voucher. Registered by BookingsConfig.ready()."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.money import euros
from core.vat import EXEMPT

from ..models import VoucherProduct
from ..payments import kinds, voucher_ledger
from . import emails, vouchers


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


class VoucherPurchase(kinds.PurchaseKind):
    purpose = vouchers.VOUCHER
    label = gettext_lazy("Gift voucher")

    def deliver(self, payment, *, now) -> bool:
        voucher = vouchers.voucher_deliver(payment, now=now)
        if voucher is not None:
            emails.send_voucher_bought.delay_on_commit(voucher.pk)
            if voucher.recipient_email:
                emails.send_voucher_to_recipient.delay_on_commit(voucher.pk)
        return True

    def is_delivered(self, payment) -> bool:
        voucher = vouchers.voucher_of(payment)
        return voucher is not None and voucher.issued_at is not None

    def thanks(self, payment) -> str:
        voucher = vouchers.voucher_of(payment)
        if voucher is None or voucher.issued_at is None:
            return ""
        if voucher.recipient_email:
            return _("Your gift voucher %(code)s is on its way to %(email)s, valid until %(date)s.") % {
                "code": voucher.code, "email": voucher.recipient_email, "date": _date(voucher.expires_at)}
        return _("Your gift voucher %(code)s is ready, valid until %(date)s. The PDF to print is in your inbox and on the voucher's page.") % {
            "code": voucher.code, "date": _date(voucher.expires_at)}

    def return_url(self, payment) -> str | None:
        voucher = vouchers.voucher_of(payment)
        if voucher is None or voucher.issued_at is None:
            return None
        return reverse("bookings:voucher", kwargs={"code": voucher.code})

    def receipt_line(self, payment) -> str:
        voucher = vouchers.voucher_of(payment)
        if voucher is None:
            return payment.label
        return f"{voucher.product.name} {euros(voucher.value_cents)} ({voucher.code})"

    def refunded(self, refund, *, now) -> None:
        voucher = vouchers.voucher_of(refund.payment)
        if voucher is not None and voucher.issued_at is not None:
            voucher_ledger.voucher_refunded(voucher=voucher, amount_cents=refund.amount_cents, now=now)

    def refund_effect(self, payment, amount_cents) -> str:
        voucher = vouchers.voucher_of(payment)
        if voucher is None or voucher.issued_at is None:
            return _("No gift voucher was issued for this payment: only the money goes back.")
        balance = voucher_ledger.voucher_balance(voucher)
        taken = min(balance, amount_cents)
        if taken >= amount_cents:
            return _("%(amount)s is taken off the gift voucher %(code)s, so it cannot be spent as well (%(left)s stays on it).") % {
                "amount": euros(taken), "code": voucher.code, "left": euros(balance - taken)}
        return _("Only %(left)s is still on the gift voucher %(code)s (the rest was spent): that is taken off it, and the "
                 "money goes back all the same.") % {"left": euros(balance), "code": voucher.code}

    def product_lines(self):
        lines = []
        for product in VoucherProduct.objects.order_by("position", "pk"):
            months = ngettext("valid for %(n)d month", "valid for %(n)d months", product.validity_months) % {"n": product.validity_months}
            if product.amount_cents:
                price, includes = product.amount_cents, months
            else:
                price = product.minimum_cents
                includes = _("An amount of your choice from %(low)s to %(high)s") % {
                    "low": euros(product.minimum_cents), "high": euros(product.maximum_cents)} + ", " + months
            if product.summary:
                includes = f"{product.summary} · {includes}"
            lines.append(kinds.ProductLine(name=product.name, price_cents=price, includes=includes, change_url=_change_url(product),
                                           shown=product.is_on_sale, vat_rate=EXEMPT))  # no VAT at the sale: it is in what it pays
        return lines


def _change_url(product) -> str:
    return reverse("bookings:desk_voucher_product", args=[product.pk])


def register() -> None:
    kinds.register(VoucherPurchase())
