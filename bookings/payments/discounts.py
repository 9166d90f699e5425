"""Discount codes at checkout: is a code good for this purchase, by this person, now; how much it
takes off; and giving a use back when the payment never comes.

The last use of a code is taken by one conditional UPDATE (`uses_count < max_uses`), which also locks
the code's row until the purchase commits: a second purchase with the same code waits there, then
reads the first one's use (per person) before it may go on. So 50 people racing for one remaining use
give exactly one success, and one person cannot use a once-per-person code twice at the same moment.
"""

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..errors import PaymentError
from ..models import DiscountCode, DiscountUse, Payment
from . import gateway, kinds


def discount_find(code: str) -> DiscountCode | None:
    """The discount code written as `code` (case and surrounding spaces do not matter)."""
    code = (code or "").strip()
    if not code:
        return None
    return DiscountCode.objects.filter(code__iexact=code).first()


def discount_amount(discount: DiscountCode, price_cents: int) -> int:
    """What the code takes off a price: a percentage rounded to the cent (half up), or a fixed
    amount; never more than the price itself."""
    if discount.kind == DiscountCode.Kind.PERCENT:
        cents = (price_cents * (discount.percent or 0) + 50) // 100
    else:
        cents = discount.amount_cents or 0
    return max(0, min(cents, price_cents))


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def discount_state(discount: DiscountCode, now) -> str:
    """Whether a code can be used now, in a few words for the admin's list (the same rules as the checks below)."""
    if not discount.is_active:
        return _("switched off")
    if discount.valid_until and discount.valid_until <= now:
        return _("ended")
    if discount.valid_from and discount.valid_from > now:
        return _("not yet valid")
    if discount.max_uses is not None and discount.uses_count >= discount.max_uses:
        return _("used up")
    return _("can be used")


def products_text(discount: DiscountCode) -> str:
    """What the code is for, as a list of product names in the active language."""
    return ", ".join(str(label) for value, label in DiscountCode.Product.choices if value in (discount.products or []))


def discount_check(discount: DiscountCode, *, payment: Payment, now) -> None:
    """Refuse, in plain words, a code that is switched off, not yet or no longer valid, or not for
    what is being bought. (Its uses are checked under the lock, in `discount_apply`.)"""
    product = kinds.kind_for(payment.purpose).discount_product
    if not product:
        raise PaymentError(_("A discount code cannot be used for this purchase."))
    if not discount.is_active:
        raise PaymentError(_("The code %(code)s can no longer be used.") % {"code": discount.code})
    if discount.valid_from and now < discount.valid_from:
        raise PaymentError(_("The code %(code)s can be used from %(date)s.") % {"code": discount.code, "date": _day(discount.valid_from)})
    if discount.valid_until and now >= discount.valid_until:
        raise PaymentError(_("The code %(code)s could be used until %(date)s; it has expired.") % {
            "code": discount.code, "date": _day(discount.valid_until)})
    if product not in (discount.products or []):
        names = products_text(discount)
        if not names:
            raise PaymentError(_("The code %(code)s cannot be used for this purchase.") % {"code": discount.code})
        raise PaymentError(_("The code %(code)s is not for this purchase; it is for: %(products)s.") % {
            "code": discount.code, "products": names.lower()})


def discount_apply(*, payment: Payment, discount: DiscountCode, client, now=None) -> int:
    """Take the code off the (new, pending) payment's price: checks, one use counted under the code's
    row lock, the payment lowered (`discount_cents` set) and the use written. Returns the cents taken
    off. Raises PaymentError with the reason; call inside the purchase's transaction, which then rolls
    everything back."""
    now = now or timezone.now()
    discount_check(discount, payment=payment, now=now)
    with transaction.atomic():
        taken = DiscountCode.objects.filter(pk=discount.pk)
        if discount.max_uses is not None:
            taken = taken.filter(uses_count__lt=F("max_uses"))
        if not taken.update(uses_count=F("uses_count") + 1):  # the row stays locked until the purchase commits
            raise PaymentError(_("The code %(code)s has been used up.") % {"code": discount.code})
        used = DiscountUse.objects.filter(code=discount, client=client).count()
        if used >= discount.max_uses_per_person:
            raise PaymentError(ngettext(
                "You have already used the code %(code)s; it can be used once per person.",
                "You have already used the code %(code)s %(count)d times, as often as it can be used per person.",
                discount.max_uses_per_person) % {"code": discount.code, "count": used})
        cents = gateway.payable_cut(payment.amount_cents, discount_amount(discount, payment.amount_cents))
        payment.discount_cents += cents
        payment.amount_cents -= cents
        payment.save(update_fields=["discount_cents", "amount_cents"])
        DiscountUse.objects.create(code=discount, client=client, payment=payment, amount_cents=cents, created_at=now)
    return cents


def discount_give_back(payment: Payment) -> bool:
    """The payment will not come: its use of a code is deleted and counted back, once. The payment
    keeps its amounts (a late payment after all is then still checked against them)."""
    with transaction.atomic():
        use = DiscountUse.objects.select_for_update().filter(payment=payment).first()
        if use is None:
            return False
        DiscountCode.objects.filter(pk=use.code_id, uses_count__gt=0).update(uses_count=F("uses_count") - 1)
        use.delete()
    return True
