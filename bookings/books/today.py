"""The admin's day at a glance: the day's classes and how full they are, money in and out, what was
taken at the studio and whether it was counted, and payments or refunds that need a look."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from classes.models import Session

from ..models import Payment, Refund
from ..models.payments import PAID_STATUSES
from . import cashup
from .periods import Period

# A payment still on its way after this long (an iDEAL or card payment normally settles in minutes)
# or a refund still waiting for Stripe's answer is listed for a look.
STUCK_AFTER = timedelta(hours=2)
LOOK_BACK = timedelta(days=14)


@dataclass(frozen=True)
class MoneyOfTheDay:
    received: int
    received_count: int
    online: int
    at_studio: int
    refunded: int
    refunded_count: int

    @property
    def net(self) -> int:
        return self.received - self.refunded


def sessions_of(day: date):
    start, end = Period.day(day).bounds
    return list(Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
                .select_related("offering", "teacher__user", "room").order_by("starts_at", "pk"))


def money_of(day: date, takings: cashup.StudioTakings) -> MoneyOfTheDay:
    """Everything received and refunded on the day; what was taken at the studio comes from its takings."""
    start, end = Period.day(day).bounds
    money_in = Payment.objects.filter(paid_at__gte=start, paid_at__lt=end, status__in=PAID_STATUSES).aggregate(
        total=Sum("amount_cents", default=0), count=Count("pk"))
    at_studio = takings.cash_in + takings.pin_in
    money_out = Refund.objects.filter(status=Refund.Status.SUCCEEDED, created_at__gte=start, created_at__lt=end).aggregate(
        total=Sum("amount_cents", default=0), count=Count("pk"))
    return MoneyOfTheDay(received=money_in["total"], received_count=money_in["count"], online=money_in["total"] - at_studio,
                         at_studio=at_studio, refunded=money_out["total"], refunded_count=money_out["count"])


def needing_a_look(*, now):
    """Payments that failed or are stuck on their way, and refunds that failed or still wait for
    Stripe, of the last two weeks: oldest first."""
    since = now - LOOK_BACK
    payments = list(Payment.objects.filter(created_at__gte=since).filter(
        Q(status=Payment.Status.FAILED) | Q(status=Payment.Status.PROCESSING, created_at__lt=now - STUCK_AFTER)
        | ~Q(problem="")).select_related("client").order_by("created_at", "pk")[:50])
    refunds = list(Refund.objects.filter(created_at__gte=since).filter(
        Q(status=Refund.Status.FAILED) | Q(status=Refund.Status.PENDING, created_at__lt=now - STUCK_AFTER))
        .select_related("payment__client").order_by("created_at", "pk")[:50])
    return {"payments": payments, "refunds": refunds}


def the_day(day: date, *, now) -> dict:
    sessions = sessions_of(day)
    takings = cashup.studio_takings(day)
    taken = sum(s.places_taken for s in sessions if s.status == Session.Status.SCHEDULED)
    places = sum(s.capacity for s in sessions if s.status == Session.Status.SCHEDULED)
    return {
        "day": day, "sessions": sessions, "places_taken": taken, "places": places,
        "money": money_of(day, takings), "takings": takings, "counts": list(cashup.counts_of(day)),
        "look": needing_a_look(now=now),
    }
