"""The end-of-day cash-up: what was taken at the studio on a day (cash and PIN, less what was given
back by hand), and the count the admin or teacher records against it."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import PaymentError
from ..models import CashCount, Payment, Refund
from ..models.payments import PAID_STATUSES
from .periods import Period

AT_STUDIO = (Payment.Method.CASH, Payment.Method.PIN)


@dataclass(frozen=True)
class StudioTakings:
    """Money that changed hands at the studio on one day, per method, in cents."""

    day: date
    cash_in: int
    cash_out: int
    pin_in: int
    pin_out: int
    cash_payments: int
    pin_payments: int

    @property
    def cash_net(self) -> int:
        return self.cash_in - self.cash_out

    @property
    def pin_net(self) -> int:
        return self.pin_in - self.pin_out


def studio_takings(day: date) -> StudioTakings:
    """Cash and PIN payments received on the day, and refunds of such payments given back that day
    (they go back by hand, so they leave the drawer or the terminal the day they are recorded)."""
    start, end = Period.day(day).bounds
    paid = Payment.objects.filter(method__in=AT_STUDIO, paid_at__gte=start, paid_at__lt=end, status__in=PAID_STATUSES)
    money_in = paid.aggregate(
        cash=Sum("amount_cents", filter=Q(method=Payment.Method.CASH), default=0),
        pin=Sum("amount_cents", filter=Q(method=Payment.Method.PIN), default=0),
        cash_n=_count(Payment.Method.CASH), pin_n=_count(Payment.Method.PIN),
    )
    back = Refund.objects.filter(status=Refund.Status.SUCCEEDED, payment__method__in=AT_STUDIO, created_at__gte=start, created_at__lt=end)
    money_out = back.aggregate(
        cash=Sum("amount_cents", filter=Q(payment__method=Payment.Method.CASH), default=0),
        pin=Sum("amount_cents", filter=Q(payment__method=Payment.Method.PIN), default=0),
    )
    return StudioTakings(day=day, cash_in=money_in["cash"], cash_out=money_out["cash"], pin_in=money_in["pin"],
                         pin_out=money_out["pin"], cash_payments=money_in["cash_n"], pin_payments=money_in["pin_n"])


def _count(method):
    return Count("pk", filter=Q(method=method))


def cash_count_record(*, day: date, float_cents: int, cash_counted_cents: int, pin_counted_cents: int, counted_by,
                      note: str = "", now=None) -> CashCount:
    """Save a count of the drawer and the terminal for `day`. Expected amounts are taken from the
    books at this moment, so a recount later in the day compares against what came in since."""
    now = now or timezone.now()
    if day > timezone.localdate(now):
        raise PaymentError(_("A day that has not come yet cannot be counted."))
    if min(float_cents, cash_counted_cents, pin_counted_cents) < 0:
        raise PaymentError(_("Amounts cannot be negative."))
    takings = studio_takings(day)
    return CashCount.objects.create(
        day=day, float_cents=float_cents, cash_expected_cents=float_cents + takings.cash_net, cash_counted_cents=cash_counted_cents,
        pin_expected_cents=takings.pin_net, pin_counted_cents=pin_counted_cents, note=note.strip()[:300], counted_by=counted_by,
        counted_at=now,
    )


def counts_of(day: date):
    return CashCount.objects.filter(day=day).select_related("counted_by")
