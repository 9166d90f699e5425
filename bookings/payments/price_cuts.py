"""The one code field at checkout ("Discount code or gift voucher"): what was typed lowers a new
one-off payment before it goes to Stripe, and comes back when that payment never comes.

Every one-off purchase (a drop-in, a class card, a programme, a one-to-one session) calls
`price_cut_apply` right after creating its pending payment, inside its own transaction: a code that
cannot be used raises PaymentError, and the purchase rolls back whole, so nothing is saved, held or
charged. A payment that is released (expired, failed, abandoned) calls `price_cuts_give_back`
(from fulfilment.payment_release): the discount use, the intro-offer use and the voucher's euros go
back.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import PaymentError
from ..models import DiscountUse, IntroOfferUse, Payment, VoucherEntry
from . import discounts, invoices, voucher_ledger

CODE_MAX_LENGTH = 40


def price_code_clean(code) -> str:
    """What the client typed, without surrounding spaces ("" when nothing)."""
    return (code or "").strip()


def price_cut_apply(*, payment: Payment, code: str, client, now=None) -> int:
    """Lower the new pending `payment` by the code typed at checkout: a gift voucher pays what it can,
    a discount code takes its part off. Nothing typed: nothing happens. Returns the cents taken off.
    Raises PaymentError (the purchase must roll back) for an unknown or unusable code."""
    code = price_code_clean(code)
    if not code:
        return 0
    now = now or timezone.now()
    if len(code) > CODE_MAX_LENGTH:
        raise PaymentError(unknown_code_message(code[:CODE_MAX_LENGTH] + "…"))
    voucher = voucher_ledger.voucher_find(code)
    if voucher is not None:
        return voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=client, now=now)
    discount = discounts.discount_find(code)
    if discount is not None:
        return discounts.discount_apply(payment=payment, discount=discount, client=client, now=now)
    raise PaymentError(unknown_code_message(code))


def require_paying_online(code, *, paying_online: bool) -> None:
    """A code lowers only a payment made online: with a class card, a programme's credit or paying at
    the studio it is refused (PaymentError), before anything is held."""
    if price_code_clean(code) and not paying_online:
        raise PaymentError(_("A discount code or gift voucher can only be used when you pay online. Choose to pay online, "
                             "or leave the code field empty."))


def unknown_code_message(code: str) -> str:
    return _("We do not know the code %(code)s. Please check it for typing errors, or leave the field empty to pay the full "
             "price.") % {"code": f"“{code}”"}


def price_cuts_give_back(payment: Payment, now=None) -> None:
    """The payment will not come (expired, failed, abandoned): its discount use is counted back, its
    intro-offer use deleted (so she may try again) and what a gift voucher paid goes back on it.
    Safe to call twice; a payment that came in after all keeps everything."""
    now = now or timezone.now()
    with transaction.atomic():
        status = Payment.objects.select_for_update().filter(pk=payment.pk).values_list("status", flat=True).first()
        if status is None or status in (Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED, Payment.Status.REFUNDED):
            return
        discounts.discount_give_back(payment)
        IntroOfferUse.objects.filter(payment=payment).delete()
        voucher_ledger.voucher_give_back(payment, now)


def price_cuts_went_back(payment: Payment) -> bool:
    """Did giving this payment up give something back (a voucher's euros, a discount code's use, the
    intro offer)? Then a late "paid" cannot deliver at the price it had: the money goes back instead."""
    return bool(payment.voucher_cents or payment.discount_cents or (payment.card_type_id and payment.card_type.once_per_person))


def voucher_part_back(payment: Payment | None, *, now, reason: str, cents: int | None = None, key: str = "") -> int:
    """A paid purchase undone in time (cancelled early, or by the studio): what a gift voucher paid of
    it goes back on the voucher, as the money part goes back by a refund, with a credit invoice. All
    of it once; or, for one part of the purchase (a programme date), `cents` of it once per `key`.
    Returns the cents."""
    if payment is None or not payment.voucher_cents or not payment.is_paid:
        return 0
    given = voucher_ledger.voucher_give_back(payment, now, reason=reason, cents=cents, key=key)
    for entry in VoucherEntry.objects.filter(payment=payment, kind=VoucherEntry.Kind.RETURN, credit_invoice__isnull=True):
        invoices.voucher_credit_invoice_issue(entry, now=now)  # the invoice said the voucher paid it: it is credited too
    return given


def price_cut_lines(payment: Payment) -> list[tuple[str, int]]:
    """What lowered the price, for the receipt: (line, cents taken off), the discount with its code
    and each gift voucher with its code."""
    lines = []
    if payment.discount_cents:
        use = DiscountUse.objects.filter(payment=payment).select_related("code").first()
        lines.append((_("Discount code %(code)s") % {"code": use.code.code} if use else _("Discount"), payment.discount_cents))
    if payment.voucher_cents:
        entries = list(VoucherEntry.objects.filter(payment=payment, kind=VoucherEntry.Kind.REDEMPTION)
                       .select_related("voucher").order_by("pk"))
        lines += [(_("Gift voucher %(code)s") % {"code": entry.voucher.code}, -entry.delta_cents) for entry in entries]
        if not entries:
            lines.append((_("Gift voucher"), payment.voucher_cents))
    return lines
