"""Money in and money back, each on the day it moved: the one source of the revenue figures, the
VAT summary and the refunds export, so they always agree.

A sale is a payment on the moment it was paid. A refund counts on the day it was made (the day the
refund was asked for and then succeeded), not on the day of the payment it belongs to: a Dutch
bookkeeper corrects turnover and VAT in the period of the credit ("creditnota in het tijdvak van
de creditering"). A payment that shows more refunded than its succeeded refund rows explain (money
given back by hand before refunds were recorded one by one) has that rest counted on its payment day.

Gift vouchers are multi-purpose vouchers: selling one (purpose "voucher", rate 0) is no turnover;
the part a voucher pays of a later purchase is, at that product's rate, on the day it is paid. So a
paid payment with `voucher_cents` gives a second sale movement (`by_voucher`) for that part, whose
VAT makes the payment's VAT that of its whole price: VAT(amount + voucher) - VAT(amount).

VAT is always the VAT contained in an amount including VAT at the payment's own rate:
cents x rate / (100 + rate), rounded half up to a whole cent, once per payment for what the payment
has received so far. A refund's VAT is the change it makes to that figure: VAT(received after the
refund) - VAT(received before it). Added up over a payment's whole life the VAT is therefore exactly
VAT(amount - refunded): nothing for a payment refunded in full, the rounded VAT of the rest for one
refunded in part, however many refunds it took and whichever periods they fell in.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from classes.models import STUDIO_TZ
from core.money import vat_included

from ..models import BookingPolicy, Payment, Refund, VoucherEntry
from ..models.payments import PAID_STATUSES
from .periods import Period

AT_STUDIO = "voucher_at_studio"  # the purpose of euros taken off a gift voucher at the studio (no payment of ours)


@dataclass(frozen=True)
class Movement:
    """One movement of money: a sale (gross) or a refund (refunded > 0), with its VAT effect."""

    moment: datetime  # in Breda time
    payment_id: int
    purpose: str
    rate: Decimal
    gross: int = 0
    refunded: int = 0
    vat: int = 0  # what it adds to the VAT owed; a refund lowers it (or leaves it, for a cent's rounding)
    refund_id: int | None = None  # the refund row, for a recorded refund
    by_voucher: bool = False  # the part of a sale a gift voucher paid: turnover now, though no money moved today

    @property
    def net(self) -> int:
        return self.gross - self.refunded

    @property
    def is_sale(self) -> bool:
        return self.refunded == 0  # a refund always gives something back (refund rows are at least a cent)


def _explained_refunds(payment="pk"):
    """What the succeeded refund rows of the outer query's payment add up to, in cents."""
    rows = (Refund.objects.filter(payment=OuterRef(payment), status=Refund.Status.SUCCEEDED).order_by()
            .values("payment").annotate(total=Sum("amount_cents")).values("total"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def movements(period: Period) -> list[Movement]:
    """Every sale and refund in the period (and voucher part given back), in time order. Five queries, whatever the
    number of rows."""
    found = []
    payments = (Payment.objects.filter(status__in=PAID_STATUSES, paid_at__gte=period.start, paid_at__lt=period.end)
                .annotate(explained=_explained_refunds())
                .values("pk", "paid_at", "purpose", "vat_rate_percent", "amount_cents", "refunded_cents", "explained", "voucher_cents"))
    for row in payments:
        moment, rate, amount = row["paid_at"].astimezone(STUDIO_TZ), row["vat_rate_percent"], row["amount_cents"]
        found.append(Movement(moment, row["pk"], row["purpose"], rate, gross=amount, vat=vat_included(amount, rate)))
        if row["voucher_cents"]:  # a gift voucher paid part: that part is sold now, at the product's rate
            voucher = row["voucher_cents"]
            found.append(Movement(moment, row["pk"], row["purpose"], rate, gross=voucher, by_voucher=True,
                                  vat=vat_included(amount + voucher, rate) - vat_included(amount, rate)))
        unrecorded = row["refunded_cents"] - row["explained"]
        if unrecorded > 0:
            found.append(Movement(moment, row["pk"], row["purpose"], rate, refunded=unrecorded,
                                  vat=vat_included(amount - unrecorded, rate) - vat_included(amount, rate)))
    found.extend(_refunds(period))
    found.extend(_voucher_returns(period))
    found.extend(_vouchers_at_studio(period))
    return sorted(found, key=lambda movement: (movement.moment, movement.payment_id, movement.refunded))


def _voucher_returns(period: Period) -> list[Movement]:
    """What went back on a gift voucher when a paid purchase (or one date of it) was cancelled in time:
    that part is no longer sold, on the day it went back. Its VAT takes back what its sale had added,
    counted from what the voucher part still was before it (every return of those payments up to the
    period's end is read, in order), so the parts of a payment given back in pieces add up to the sale's
    VAT to the cent."""
    in_period = VoucherEntry.objects.filter(kind=VoucherEntry.Kind.RETURN, payment__status__in=PAID_STATUSES,
                                            created_at__gte=period.start, created_at__lt=period.end)
    history = (VoucherEntry.objects.filter(kind=VoucherEntry.Kind.RETURN, created_at__lt=period.end, payment__in=in_period.values("payment"))
               .values("created_at", "delta_cents", "payment_id", "payment__purpose", "payment__vat_rate_percent", "payment__amount_cents",
                       "payment__voucher_cents")
               .order_by("payment_id", "created_at", "pk"))
    found, left = [], {}
    for row in history:
        amount, rate = row["payment__amount_cents"], row["payment__vat_rate_percent"]
        before = left.get(row["payment_id"], row["payment__voucher_cents"])
        back = min(row["delta_cents"], before)
        left[row["payment_id"]] = after = before - back
        if row["created_at"] >= period.start:
            found.append(Movement(row["created_at"].astimezone(STUDIO_TZ), row["payment_id"], row["payment__purpose"], rate, refunded=back,
                                  by_voucher=True, vat=vat_included(amount + after, rate) - vat_included(amount + before, rate)))
    return found


def _vouchers_at_studio(period: Period) -> list[Movement]:
    """Euros the teacher took off a gift voucher at the studio (for a class or a card handed over there):
    turnover on that day, at the rate of what she said it paid for (the studio's default rate for rows
    from before she chose), though no money moved."""
    default_rate = BookingPolicy.current().vat_rate_percent
    rows = VoucherEntry.objects.filter(kind=VoucherEntry.Kind.AT_STUDIO, created_at__gte=period.start, created_at__lt=period.end
                                       ).values_list("created_at", "delta_cents", "vat_rate_percent")
    found = []
    for moment, delta, chosen in rows:
        rate = default_rate if chosen is None else chosen
        found.append(Movement(moment.astimezone(STUDIO_TZ), 0, AT_STUDIO, rate, gross=-delta, by_voucher=True, vat=vat_included(-delta, rate)))
    return found


def _refunds(period: Period) -> list[Movement]:
    """The refunds made in the period. Their VAT needs what each payment had received before, so every
    succeeded refund of those payments up to the period's end is read, in the order they were made."""
    in_period = Refund.objects.filter(status=Refund.Status.SUCCEEDED, created_at__gte=period.start, created_at__lt=period.end,
                                      payment__status__in=PAID_STATUSES)
    history = (Refund.objects.filter(status=Refund.Status.SUCCEEDED, created_at__lt=period.end,
                                     payment__in=in_period.values("payment"))
               .annotate(explained=_explained_refunds("payment"))
               .values("pk", "created_at", "amount_cents", "payment_id", "payment__purpose", "payment__vat_rate_percent",
                       "payment__amount_cents", "payment__refunded_cents", "explained")
               .order_by("payment_id", "created_at", "pk"))
    found, received = [], {}
    for row in history:
        amount, rate = row["payment__amount_cents"], row["payment__vat_rate_percent"]
        if row["payment_id"] not in received:  # an unrecorded rest counts first, on the payment day
            received[row["payment_id"]] = amount - max(row["payment__refunded_cents"] - row["explained"], 0)
        before = received[row["payment_id"]]
        after = before - row["amount_cents"]
        received[row["payment_id"]] = after
        if row["created_at"] >= period.start:
            found.append(Movement(row["created_at"].astimezone(STUDIO_TZ), row["payment_id"], row["payment__purpose"], rate,
                                  refunded=row["amount_cents"], vat=vat_included(after, rate) - vat_included(before, rate), refund_id=row["pk"]))
    return found


def refund_rows(period: Period):
    """The refunds made in the period, each with its movement (for the VAT it corrects), in time
    order: (refund, movement) pairs, the refund with its payment and client. Two queries."""
    moved = {movement.refund_id: movement for movement in _refunds(period)}
    refunds = Refund.objects.filter(pk__in=moved).select_related("payment__client").order_by("created_at", "pk")
    return [(refund, moved[refund.pk]) for refund in refunds]
