"""The gift-voucher ledger: finding a voucher by its code, and the euros that leave it (paid online,
taken at the studio), come back to it (a payment that never came) or expire. The balance is the sum
of the ledger; every change is a row, written with the voucher's row locked.

Payments know no purchase kind, and a voucher is not one here: this is the money side that checkout
(helper code at the purchase pages) and the teacher's page call. Selling a voucher lives in
bookings/offers/.
"""

import re
import secrets

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.money import euros

from ..errors import PaymentError
from ..models import Payment, Voucher, VoucherEntry
from . import gateway

CODE_PREFIX = "TOL"
# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: what is left cannot be misread from paper or a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_GROUPS = (4, 4)
NOT_FOR = ("voucher", "membership")  # purposes a voucher cannot pay: another voucher, a subscription


def voucher_code_new() -> str:
    """A fresh random code like TOL-7KQM-X3PA (about 46 bits), not yet used by any voucher."""
    while True:
        groups = ["".join(secrets.choice(CODE_ALPHABET) for _i in range(size)) for size in CODE_GROUPS]
        code = "-".join([CODE_PREFIX, *groups])
        if not Voucher.objects.filter(code=code).exists():
            return code


def voucher_code_clean(text: str) -> str:
    """What someone typed, as the stored form: upper case, spaces and dashes in the right places
    ('tol 7kqm x3pa', 'TOL7KQMX3PA' and '7KQM-X3PA' all give 'TOL-7KQM-X3PA')."""
    letters = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    if letters.startswith(CODE_PREFIX) and len(letters) == len(CODE_PREFIX) + sum(CODE_GROUPS):
        letters = letters[len(CODE_PREFIX):]
    if len(letters) != sum(CODE_GROUPS):
        return (text or "").strip().upper()
    first = CODE_GROUPS[0]
    return f"{CODE_PREFIX}-{letters[:first]}-{letters[first:]}"


def voucher_find(code: str) -> Voucher | None:
    """The voucher with this code (however it was typed), or None. Not yet paid for or expired ones
    are found too: the redeeming functions say what is wrong with them."""
    cleaned = voucher_code_clean(code)
    if not cleaned:
        return None
    return Voucher.objects.filter(code=cleaned).select_related("product").first()


def voucher_balance(voucher: Voucher) -> int:
    return voucher.entries.aggregate(total=Coalesce(Sum("delta_cents"), 0))["total"]


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _usable(voucher: Voucher, now) -> int:
    """Lock the voucher and return its balance, or say clearly why it cannot pay."""
    locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if locked.issued_at is None:
        raise PaymentError(_("This gift voucher has not been paid for yet, so it cannot be used."))
    if locked.expires_at <= now:
        raise PaymentError(_("This gift voucher expired on %(date)s, so it cannot be used any more.") % {"date": _date(locked.expires_at)})
    balance = voucher_balance(locked)
    if balance <= 0:
        raise PaymentError(_("This gift voucher has been used up: nothing is left on it."))
    return balance


def voucher_redeem_online(*, payment: Payment, voucher: Voucher, client, now=None) -> int:
    """Let the voucher pay (part of) a pending one-off payment: as much as it has, at most what is
    still to pay. Writes a REDEMPTION row, raises `payment.voucher_cents` and lowers
    `payment.amount_cents` (saved). Returns the cents it paid. Raises PaymentError, with nothing
    written, when the voucher cannot pay; call it inside the purchase's transaction so the purchase
    rolls back with it."""
    now = now or timezone.now()
    if payment.purpose in NOT_FOR:
        raise PaymentError(_("A gift voucher cannot pay for this."))
    if payment.status != Payment.Status.PENDING:
        raise PaymentError(_("This payment is no longer open."))
    if payment.amount_cents <= 0:
        raise PaymentError(_("There is nothing left to pay, so the gift voucher is not needed."))
    with transaction.atomic():
        balance = _usable(voucher, now)
        if VoucherEntry.objects.filter(voucher=voucher, payment=payment, kind=VoucherEntry.Kind.REDEMPTION).exists():
            raise PaymentError(_("This gift voucher is already used for this payment."))
        used = gateway.payable_cut(payment.amount_cents, min(balance, payment.amount_cents))
        if used <= 0:
            raise PaymentError(_("This amount is too small to pay partly with a gift voucher; please pay it in full."))
        VoucherEntry.objects.create(voucher=voucher, delta_cents=-used, kind=VoucherEntry.Kind.REDEMPTION, payment=payment,
                                    created_at=now, created_by=client)
        payment.voucher_cents += used
        payment.amount_cents -= used
        payment.save(update_fields=["voucher_cents", "amount_cents"])
    return used


def _returnable(voucher_id: int, payment: Payment, redeemed: int) -> int:
    """What of `redeemed` (the cents this voucher paid of the payment) has not gone back yet. Call with
    the voucher's row locked."""
    returned = (VoucherEntry.objects.filter(voucher_id=voucher_id, payment=payment, kind=VoucherEntry.Kind.RETURN)
                .aggregate(total=Coalesce(Sum("delta_cents"), 0))["total"])
    return max(redeemed - returned, 0)


def voucher_give_back(payment: Payment, now=None, *, reason: str = "payment not completed", cents: int | None = None,
                      key: str = "") -> int:
    """What vouchers paid of the payment and has not gone back yet goes back on them: all of it (the
    payment will not come, or what it bought was cancelled in time), or up to `cents` of it for one
    part of the purchase (a programme date the studio cancelled), marked with `key`. A RETURN row per
    voucher, written once per key (all of it: once per payment), whatever the number of vouchers; a
    second call gives nothing more. Returns the cents given back."""
    now = now or timezone.now()
    given = 0
    redemptions = list(VoucherEntry.objects.filter(payment=payment, kind=VoucherEntry.Kind.REDEMPTION).order_by("voucher_id", "pk"))
    with transaction.atomic():
        list(Voucher.objects.select_for_update().filter(pk__in=[entry.voucher_id for entry in redemptions]).order_by("pk"))
        if VoucherEntry.objects.filter(payment=payment, kind=VoucherEntry.Kind.RETURN, key=key).exists():
            return 0
        for entry in redemptions:
            left = _returnable(entry.voucher_id, payment, -entry.delta_cents)
            back = left if cents is None else min(cents - given, left)
            if back > 0:
                VoucherEntry.objects.create(voucher_id=entry.voucher_id, delta_cents=back, kind=VoucherEntry.Kind.RETURN,
                                            payment=payment, created_at=now, reason=reason, key=key)
                given += back
    return given


def voucher_returnable(payment: Payment) -> int:
    """What vouchers paid of the payment and has not gone back on them yet (what a cancel in time would
    still give back)."""
    rows = VoucherEntry.objects.filter(payment=payment, kind__in=[VoucherEntry.Kind.REDEMPTION, VoucherEntry.Kind.RETURN])
    return max(-rows.aggregate(total=Coalesce(Sum("delta_cents"), 0))["total"], 0)


def voucher_refunded(*, voucher: Voucher, amount_cents: int, now=None) -> int:
    """Money paid for the voucher went back to its buyer: as much comes off the voucher (never below
    zero), so it cannot be spent as well. A CORRECTION row; returns the cents taken off."""
    now = now or timezone.now()
    with transaction.atomic():
        Voucher.objects.select_for_update().get(pk=voucher.pk)
        taken = min(voucher_balance(voucher), amount_cents)
        if taken > 0:
            VoucherEntry.objects.create(voucher=voucher, delta_cents=-taken, kind=VoucherEntry.Kind.CORRECTION, created_at=now,
                                        reason="its purchase was refunded")
    return max(taken, 0)


def voucher_at_studio(*, voucher: Voucher, amount_cents: int | None, actor, vat_rate, now=None, reason: str = "") -> VoucherEntry:
    """The teacher takes euros off a voucher at the studio: `amount_cents`, or everything that is left
    when it is None, for something with VAT rate `vat_rate` (the books count it as turnover at that
    rate). Never below zero; an AT_STUDIO row with who took it. Raises PaymentError with a clear
    message (nothing written) when it cannot."""
    now = now or timezone.now()
    if amount_cents is not None and amount_cents <= 0:
        raise PaymentError(_("Fill in an amount of at least €0.01."))
    with transaction.atomic():
        balance = _usable(voucher, now)
        used = balance if amount_cents is None else amount_cents
        if used > balance:
            raise PaymentError(_("Only %(left)s is left on this gift voucher; take at most that.") % {"left": euros(balance)})
        return VoucherEntry.objects.create(voucher=voucher, delta_cents=-used, kind=VoucherEntry.Kind.AT_STUDIO, vat_rate_percent=vat_rate,
                                           created_at=now, created_by=actor, reason=(reason or "").strip()[:200])


def voucher_issue(*, voucher: Voucher, now=None) -> bool:
    """The voucher's payment is in: from now on it can be used. Its value enters the ledger once (an
    ISSUE row; a unique constraint guards twice). Returns False when it was issued before."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if locked.issued_at is not None or locked.entries.filter(kind=VoucherEntry.Kind.ISSUE).exists():
            return False
        locked.issued_at = now
        locked.save(update_fields=["issued_at"])
        VoucherEntry.objects.create(voucher=locked, delta_cents=locked.value_cents, kind=VoucherEntry.Kind.ISSUE,
                                    payment=locked.payment, created_at=now)
    voucher.issued_at = now
    return True


def vouchers_expire(*, now=None) -> int:
    """Write off what is left on vouchers past their date, as one EXPIRY row each. Safe to run again."""
    now = now or timezone.now()
    count = 0
    due = (Voucher.objects.filter(issued_at__isnull=False, expires_at__lte=now).exclude(entries__kind=VoucherEntry.Kind.EXPIRY)
           .with_balance().filter(balance_value__gt=0).values_list("pk", flat=True))
    for pk in list(due):
        with transaction.atomic():
            locked = Voucher.objects.select_for_update().get(pk=pk)
            left = voucher_balance(locked)
            if left > 0 and not locked.entries.filter(kind=VoucherEntry.Kind.EXPIRY).exists():
                VoucherEntry.objects.create(voucher=locked, delta_cents=-left, kind=VoucherEntry.Kind.EXPIRY, created_at=now)
                count += 1
    return count
