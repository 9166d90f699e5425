"""A teacher's free time for one-to-ones: her hours, exceptions and settings from the database, handed
to the pure slot maths in classes.slots.

This module knows what the timetable knows: the group sessions she teaches and the studio's closures
are busy. Appointments live in the bookings app, which passes them in as `extra_busy` (see
bookings/availability.py); classes never imports bookings."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from . import slots
from .models import STUDIO_TZ, Closure, Session, TeacherAvailability

DAY = timedelta(days=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STUDIO_TZ)


def window(availability: TeacherAvailability, now: datetime) -> tuple[datetime, datetime]:
    """The stretch of time any slot can touch, with a day to spare on both sides (for buffers)."""
    return now - DAY, now + timedelta(days=availability.horizon_days) + DAY


def weekly_hours_of(teacher) -> list[slots.WorkingHours]:
    return [slots.WorkingHours(row.weekday, row.start_time, row.end_time) for row in teacher.working_hours.all()]


def exceptions_of(teacher, first: date, last: date) -> list[slots.DateException]:
    """Every exception touching first..last, one per date (a holiday range becomes its days off)."""
    found = []
    for row in teacher.date_exceptions.filter(last_day__gte=first, first_day__lte=last):
        for day in row.days():
            if first <= day <= last:
                if row.kind == "off":
                    found.append(slots.DateException(day))
                else:
                    found.append(slots.DateException(day, row.start_time, row.end_time, kind=row.kind))
    return found


def sessions_busy(teacher, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The group sessions (and programme dates) she teaches in the window, cancelled ones left out."""
    return list(Session.objects.scheduled().filter(teacher=teacher, starts_at__lt=end, ends_at__gt=start)
                .values_list("starts_at", "ends_at"))


def closures_blocked(first: date, last: date) -> list[tuple[datetime, datetime]]:
    """The studio's closed days, from the first day's midnight to the midnight after the last."""
    return [(_midnight(c.starts_on), _midnight(c.ends_on + DAY))
            for c in Closure.objects.filter(ends_on__gte=first, starts_on__lte=last)]


def slot_rules(*, teacher, duration: timedelta, now: datetime, extra_busy: Iterable[tuple[datetime, datetime]] = (),
               availability: TeacherAvailability | None = None) -> dict:
    """The keyword arguments for `slots.free_slots` / `slots.is_slot_free` for one teacher and one
    duration, read from the database at this moment (five queries)."""
    availability = availability or TeacherAvailability.of(teacher)
    start, end = window(availability, now)
    first, last = start.astimezone(STUDIO_TZ).date(), end.astimezone(STUDIO_TZ).date()
    return {
        "weekly_hours": weekly_hours_of(teacher),
        "exceptions": exceptions_of(teacher, first, last),
        "busy": sessions_busy(teacher, start, end) + list(extra_busy),
        "closures": closures_blocked(first, last),
        "duration": duration,
        "buffer": timedelta(minutes=availability.buffer_minutes),
        "now": now,
        "minimum_notice": timedelta(hours=availability.minimum_notice_hours),
        "horizon": timedelta(days=availability.horizon_days),
        "step": timedelta(minutes=availability.step_minutes),
        "tz": STUDIO_TZ,
    }
