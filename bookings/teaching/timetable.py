"""Reads for the teacher's timetable pages: the week, the weekly classes, closures and what a new
closure would do. One query per question, whatever the number of sessions."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import Closure, Session, WeeklySlot
from classes.selectors import local_midnight, week_start
from core.dates import DateOutOfRange, parse_day, within_range
from core.roles import is_admin

from ..models import Booking
from ..models.booking import PLACE_HOLDING


def iso_week(monday: date) -> str:
    """2026-11-30 -> '2026-W49' (the value of the ?week= links)."""
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_asked(query, *, today: date) -> tuple[date, str]:
    """The Monday of the week the page shows, from `?week=2026-W49` or `?from=2026-12-01`; this week
    when neither is given. A value we cannot read falls back to this week, with a message why."""
    this_monday = week_start(today)
    week, start = (query.get("week") or "").strip(), (query.get("from") or "").strip()
    if week:
        try:
            monday = date.fromisocalendar(int(week[:4]), int(week.upper().split("-W", 1)[1]), 1)
        except (ValueError, IndexError):
            return this_monday, _("We could not read that week; here is this week.")
        if not within_range(monday) or not within_range(monday + timedelta(days=6)):
            return this_monday, _("Please choose a date between %(first)s and %(last)s.") % {"first": 2000, "last": 2100}
        return monday, ""
    if start:
        try:
            day = parse_day(start, latest=date(2100, 12, 24))
        except DateOutOfRange:
            return this_monday, _("Please choose a date between %(first)s and %(last)s.") % {"first": 2000, "last": 2100}
        if day is None:
            return this_monday, _("We could not read that date; here is this week.")
        return week_start(day), ""
    return this_monday, ""


def week_listing(*, monday: date, user=None) -> list[dict]:
    """Monday to Sunday, each day with its sessions (cancelled ones too): time, offering, room,
    teacher, places taken / total and `waiting`, the length of the waitlist. With `user`, only the
    sessions that user teaches."""
    sessions = (
        Session.objects.for_listing()
        .filter(starts_at__gte=local_midnight(monday), starts_at__lt=local_midnight(monday + timedelta(days=7)))
        .annotate(waiting=Count("waitlist", filter=Q(waitlist__status="waiting")))
        .order_by("starts_at", "pk")
    )
    if user is not None:
        sessions = sessions.filter(teacher__user=user)
    days = [{"date": monday + timedelta(days=offset), "sessions": []} for offset in range(7)]
    for session in sessions:
        days[(session.local_date - monday).days]["sessions"].append(session)
    return days


def closures_in(first: date, last: date) -> list[Closure]:
    return list(Closure.objects.filter(starts_on__lte=last, ends_on__gte=first))


def slots_listing(*, today: date, user=None) -> dict:
    """The weekly classes: those still running (or yet to start) and those that ended."""
    slots = WeeklySlot.objects.select_related("offering", "teacher__user", "room").order_by("weekday", "start_time", "pk")
    if user is not None:
        slots = slots.filter(teacher__user=user)
    slots = list(slots)
    return {
        "active_slots": [slot for slot in slots if slot.valid_until is None or slot.valid_until >= today],
        "ended_slots": [slot for slot in slots if slot.valid_until is not None and slot.valid_until < today],
    }


def closures_listing(*, today: date, user=None) -> dict:
    closures = list(Closure.objects.annotate(cancelled=Count("cancelled_sessions")).order_by("starts_on"))
    removes_any = user is None or is_admin(user)
    for closure in closures:
        closure.may_delete = (closure.ends_on >= today and not closure.cancelled
                              and (removes_any or closure.created_by_id == user.pk))
    return {
        "coming_closures": [closure for closure in closures if closure.ends_on >= today],
        "past_closures": [closure for closure in reversed(closures) if closure.ends_on < today],
    }


@dataclass
class ClosurePreview:
    """What closing the studio on these days would do, before the teacher confirms."""

    booked: list = field(default_factory=list)  # sessions with people on them: cancelled, everyone told and refunded
    cancelled_unbooked: int = 0  # changed or one-off sessions nobody booked: shown as cancelled, nobody to tell
    removed: int = 0  # sessions of the weekly timetable nobody booked: they simply disappear


def closure_preview(*, starts_on: date, ends_on: date, now: datetime | None = None) -> ClosurePreview:
    """The scheduled sessions from now on within the days (as classes.services.closure_apply sees
    them), with the names of the people booked on each. Two queries."""
    now = now or timezone.now()
    people = Booking.objects.filter(status__in=PLACE_HOLDING).select_related("client").order_by("client__first_name", "client__last_name")
    sessions = (
        Session.objects.scheduled().for_listing()
        .filter(starts_at__gte=max(local_midnight(starts_on), now), starts_at__lt=local_midnight(ends_on + timedelta(days=1)))
        .prefetch_related(Prefetch("bookings", queryset=people, to_attr="people"))
        .order_by("starts_at", "pk")
    )
    preview = ClosurePreview()
    for session in sessions:
        if session.places_taken or session.people:
            preview.booked.append(session)
        elif session.is_customised:
            preview.cancelled_unbooked += 1
        else:
            preview.removed += 1
    return preview
