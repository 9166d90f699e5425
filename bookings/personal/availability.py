"""Free moments for one-to-one sessions: the timetable's busy time (classes.availability) plus the
appointments that hold the teacher's time. Reads only; the booking services ask again under the
teacher's row lock before they write."""

from datetime import date, datetime, timedelta

from classes import slots
from classes.availability import slot_rules, window
from classes.models import STUDIO_TZ, AppointmentType, TeacherAvailability

from ..models import Appointment


def appointments_busy(teacher, *, now, start, end, exclude_id=None) -> list[tuple[datetime, datetime]]:
    """Confirmed appointments, and those held while paying, that touch start..end."""
    appointments = Appointment.objects.filter(teacher=teacher).holding_time(now).filter(starts_at__lt=end, ends_at__gt=start)
    if exclude_id is not None:
        appointments = appointments.exclude(pk=exclude_id)
    return list(appointments.values_list("starts_at", "ends_at"))


def rules_for(appointment_type: AppointmentType, *, now: datetime, exclude_id=None) -> dict:
    """The slot maths' arguments for this type's teacher and duration, as the database says now."""
    teacher = appointment_type.teacher
    settings = TeacherAvailability.of(teacher)
    start, end = window(settings, now)
    busy = appointments_busy(teacher, now=now, start=start, end=end, exclude_id=exclude_id)
    return slot_rules(teacher=teacher, duration=appointment_type.duration, now=now, extra_busy=busy, availability=settings)


def free_slots(appointment_type: AppointmentType, *, now: datetime, exclude_id=None) -> list[datetime]:
    """Every moment this type can start, in UTC, sorted."""
    return slots.free_slots(**rules_for(appointment_type, now=now, exclude_id=exclude_id))


def is_free(appointment_type: AppointmentType, start: datetime, *, now: datetime, exclude_id=None, ignore_notice=False) -> bool:
    """Can this type start at `start`? `ignore_notice` is for a payment that arrived after its hold ran
    out: the time must still be free and in the future, but the minimum notice no longer applies."""
    rules = rules_for(appointment_type, now=now, exclude_id=exclude_id)
    if ignore_notice:
        rules["minimum_notice"] = timedelta(0)
        rules["horizon"] = max(rules["horizon"], start + appointment_type.duration - now)
    return start > now and slots.is_slot_free(start, **rules)


def free_days(appointment_type: AppointmentType, *, now: datetime, exclude_id=None) -> tuple[dict[date, list[datetime]], date]:
    """Every free moment per Breda date (dates ascending), and the last day that can be booked."""
    rules = rules_for(appointment_type, now=now, exclude_id=exclude_id)
    found = slots.slots_by_day(slots.free_slots(**rules), STUDIO_TZ)
    return found, (now + rules["horizon"]).astimezone(STUDIO_TZ).date()


def week_of(found: dict[date, list[datetime]], *, now: datetime, first_day: date | None = None, days: int = 7,
            horizon_day: date | None = None) -> dict:
    """The free moments of `days` days from `first_day` (default: the first day with a free moment),
    grouped per Breda date, with the days before and after that have any, for paging."""
    dates = list(found)
    if first_day is None:
        first_day = dates[0] if dates else now.astimezone(STUDIO_TZ).date()
    last_day = first_day + timedelta(days=days - 1)
    shown = [{"date": day, "slots": found[day]} for day in dates if first_day <= day <= last_day]
    earlier = [day for day in dates if day < first_day]
    later = [day for day in dates if day > last_day]
    return {
        "days": shown,
        "first_day": first_day,
        "last_day": last_day,
        "all_days": [first_day + timedelta(days=offset) for offset in range(days)],
        "previous_day": max(first_day - timedelta(days=days), earlier[0]) if earlier else None,
        "next_day": later[0] if later else None,
        "has_any": bool(dates),
        "horizon_day": horizon_day,
    }


def slot_week(appointment_type: AppointmentType, *, now: datetime, first_day: date | None = None, days: int = 7,
              exclude_id=None) -> dict:
    """`week_of` the free moments of this type now."""
    found, horizon_day = free_days(appointment_type, now=now, exclude_id=exclude_id)
    return week_of(found, now=now, first_day=first_day, days=days, horizon_day=horizon_day)
