"""A membership's periods and what she has used of them: the paid period (as Stripe's subscription
says), the next one when it renews, the classes counted in each, and the date a cancellation takes
effect. Reads only; the rules that say no live in `allowance` and `changes`."""

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from classes.selectors import local_midnight

from ..errors import BookingError
from ..models import Booking, Membership

Status = Membership.Status
LIVE = (Status.ACTIVE, Status.PAST_DUE)  # a membership she can book with (within the rules)
MAX_PAUSE_DAYS = 92  # about three months
MAX_PAUSE_AHEAD_DAYS = 366  # a pause is planned at most a year ahead


class MembershipError(BookingError):
    """A membership rule said no; the message is shown to the client as is. `action` names what she
    can do about it on her membership page ("pay": update the payment method; "pause": end the pause)."""

    def __init__(self, message, *, action: str = ""):
        super().__init__(message)
        self.action = action


def live_membership(client, *, lock=False) -> Membership | None:
    """Her one running membership (active, or with a payment that failed), if she has one."""
    memberships = Membership.objects.filter(client=client, status__in=LIVE).select_related("membership_type")
    if lock:
        memberships = memberships.select_for_update(of=("self",))
    return memberships.order_by("-created_at", "-pk").first()


def counted(membership: Membership, start: datetime, end: datetime):
    """The bookings that use a class of this period: confirmed ones, and those cancelled late (an early
    cancellation, or the studio cancelling, gives the class back: it simply stops counting)."""
    return Booking.objects.filter(membership=membership, session__starts_at__gte=start, session__starts_at__lt=end).filter(
        Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.CANCELLED, late_cancellation=True, cancelled_by_studio=False))


def next_period_end(end: datetime) -> datetime:
    """The end of the month that follows a period ending at `end` (Stripe renews monthly on the anchor)."""
    return end + relativedelta(months=1)


def renews(membership: Membership) -> bool:
    return (membership.status in LIVE and not membership.cancel_at_period_end
            and (membership.ends_at is None or membership.ends_at > membership.current_period_end))


def period_of(membership: Membership, moment: datetime) -> tuple[datetime, datetime, int] | None:
    """(start, end, classes carried over) of the period `moment` falls in: the paid period, or the next
    one when the membership renews; None when it falls in neither."""
    start, end = membership.current_period_start, membership.current_period_end
    if start is None or end is None:
        return None
    if start <= moment < end:
        return start, end, membership.carried_over
    if moment >= end and renews(membership) and moment < next_period_end(end):
        return end, next_period_end(end), 0
    return None


def allowance(membership: Membership, period) -> int | None:
    """How many classes a period holds (None: unlimited)."""
    per_period = membership.membership_type.classes_per_period
    return None if per_period is None else per_period + period[2]


def classes_left(membership: Membership, *, now) -> int | None:
    """Classes left in the period running now (None: unlimited, or no period yet)."""
    period = period_of(membership, now)
    if period is None or membership.membership_type.is_unlimited:
        return None
    return max(allowance(membership, period) - counted(membership, period[0], period[1]).count(), 0)


def carry_over_into_next(membership: Membership) -> int:
    """What the period now ending leaves for the next one: one class at most, when the type carries over."""
    kind = membership.membership_type
    if not kind.carry_over or kind.is_unlimited or membership.current_period_start is None:
        return 0
    start, end = membership.current_period_start, membership.current_period_end
    unused = kind.classes_per_period + membership.carried_over - counted(membership, start, end).count()
    return max(0, min(1, unused))


local_date = timezone.localdate  # the studio's date of a moment (TIME_ZONE is Breda's)
start_of_day = local_midnight  # midnight at the studio at the beginning of a day


def paused_now(membership: Membership, *, now) -> bool:
    return membership.is_paused_on(local_date(now))


def cancellation_end(membership: Membership, *, now) -> datetime | None:
    """When cancelling now would end it: the end of a period, no earlier than the minimum term after
    the start and the notice after today. None without a period yet."""
    end = membership.current_period_end
    if end is None:
        return None
    kind = membership.membership_type
    earliest = now
    if kind.notice_months:
        earliest = max(earliest, now + relativedelta(months=kind.notice_months))
    if kind.minimum_months and membership.started_at:
        earliest = max(earliest, membership.started_at + relativedelta(months=kind.minimum_months) - timedelta(days=1))
    while end < earliest:
        end = next_period_end(end)
    return end


def grace_ends(membership: Membership, policy) -> datetime | None:
    if membership.status != Status.PAST_DUE or membership.payment_failed_at is None:
        return None
    return membership.payment_failed_at + timedelta(days=policy.membership_grace_days)
