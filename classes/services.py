"""Writes to the timetable: turning weekly slots into sessions, closures,
and changing or cancelling a single session."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from .models import STUDIO_TZ, Closure, Session, WeeklySlot

# Sent inside the cancelling transaction, so receivers (bookings) can return
# credits and plan refunds atomically. Arguments: session, reason.
session_cancelled = Signal()


def horizon_weeks() -> int:
    return getattr(settings, "TIMETABLE_HORIZON_WEEKS", 10)


def session_times(day: date, start_time, duration_minutes: int) -> tuple[datetime, datetime]:
    """Start and end of a class on a wall-clock time in Breda, right across summer time.

    The start is a local wall-clock time; the end is the start plus the real
    duration (computed in UTC, so a class over the clock change still lasts as long).
    """
    starts_at = datetime.combine(day, start_time, tzinfo=STUDIO_TZ)
    ends_at = starts_at.astimezone(UTC) + timedelta(minutes=duration_minutes)
    return starts_at, ends_at


def slot_dates(slot: WeeklySlot, first: date, last: date):
    """Every date on the slot's weekday within both the window and its validity."""
    start = max(first, slot.valid_from)
    end = min(last, slot.valid_until) if slot.valid_until else last
    day = start + timedelta(days=(slot.weekday - start.weekday()) % 7)
    while day <= end:
        yield day
        day += timedelta(days=7)


@dataclass
class GenerationResult:
    created: int = 0
    updated: int = 0
    removed: int = 0


def _is_closed(day: date, closures) -> bool:
    return any(closure.starts_on <= day <= closure.ends_on for closure in closures)


def timetable_generate(*, today: date | None = None, weeks: int | None = None, slots=None) -> GenerationResult:
    """Make the sessions of the weekly timetable for the coming weeks. Safe to run any number of times.

    - creates the sessions that are missing (never twice: one per slot and date);
    - brings sessions nobody booked and nobody changed by hand in line with their slot;
    - removes future sessions that no longer fit their slot (moved weekday, shorter validity, closure),
      but only when nobody booked them and nobody changed them by hand;
    - never touches a session changed on its own, or a cancelled one.
    """
    today = today or timezone.localdate()
    last = today + timedelta(weeks=weeks or horizon_weeks())
    result = GenerationResult()
    if slots is None:
        slots = WeeklySlot.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    slots = list(slots)
    closures = list(Closure.objects.filter(ends_on__gte=today, starts_on__lte=last))

    with transaction.atomic():
        existing = {}
        for session in Session.objects.select_for_update().filter(slot__in=slots, slot_date__gte=today):
            existing[(session.slot_id, session.slot_date)] = session
        to_create = []
        for slot in slots:
            wanted = {day for day in slot_dates(slot, today, last) if not _is_closed(day, closures)}
            for day in sorted(wanted):
                starts_at, ends_at = session_times(day, slot.start_time, slot.duration_minutes)
                pattern = {
                    "offering_id": slot.offering_id, "teacher_id": slot.teacher_id, "room_id": slot.room_id,
                    "starts_at": starts_at, "ends_at": ends_at, "capacity": slot.capacity,
                }
                session = existing.get((slot.pk, day))
                if session is None:
                    to_create.append(Session(slot=slot, slot_date=day, **pattern))
                elif _follows_its_slot(session) and any(getattr(session, key) != value for key, value in pattern.items()):
                    for key, value in pattern.items():
                        setattr(session, key, value)
                    session.save(update_fields=[*pattern.keys()])
                    result.updated += 1
            for (slot_id, day), session in existing.items():
                if slot_id == slot.pk and day not in wanted and _follows_its_slot(session):
                    session.delete()
                    result.removed += 1
        created = Session.objects.bulk_create(to_create, ignore_conflicts=True)
        result.created = len(created)
    return result


def _follows_its_slot(session: Session) -> bool:
    return not session.is_customised and session.status == Session.Status.SCHEDULED and session.places_taken == 0


def slot_saved(slot: WeeklySlot, *, today: date | None = None) -> GenerationResult:
    """After a weekly slot is created or changed: bring its sessions in line right away."""
    return timetable_generate(today=today, slots=[slot])


def closure_apply(closure: Closure, *, now: datetime | None = None) -> int:
    """Clear the studio's closed days: unbooked generated sessions go, others are cancelled with the reason.

    Returns how many sessions were removed or cancelled.
    """
    now = now or timezone.now()
    start = datetime.combine(closure.starts_on, datetime.min.time(), tzinfo=STUDIO_TZ)
    end = datetime.combine(closure.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=STUDIO_TZ)
    touched = 0
    with transaction.atomic():
        sessions = Session.objects.select_for_update().scheduled().filter(starts_at__gte=max(start, now), starts_at__lt=end)
        for session in sessions:
            if _follows_its_slot(session):
                session.delete()
            else:
                session_cancel(session, reason=closure.reason_nl, closure=closure)
            touched += 1
    return touched


def session_cancel(session: Session, *, reason: str, closure: Closure | None = None) -> Session:
    """Cancel one session with a reason shown to clients. Cancelling twice changes nothing."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            return session
        session.status = Session.Status.CANCELLED
        session.cancel_reason = reason.strip()
        session.closure = closure
        session.is_customised = True
        session.save(update_fields=["status", "cancel_reason", "closure", "is_customised"])
        session_cancelled.send(sender=Session, session=session, reason=session.cancel_reason)
    return session


CLIENT_VISIBLE_FIELDS = ("teacher_id", "room_id", "starts_at", "ends_at", "capacity", "note", "offering_id")


def session_mark_changed(session: Session, original: Session | None) -> bool:
    """A session edited on its own keeps its changes: the weekly timetable stops updating it."""
    if original is None:
        return False
    changed = any(getattr(session, field) != getattr(original, field) for field in CLIENT_VISIBLE_FIELDS)
    if changed:
        session.is_customised = True
    return changed


def programme_run_add_dates(run, *, first_day: date, start_time, every_days: int = 7) -> list[Session]:
    """Give a new programme group its dates: the programme's number of sessions, `every_days` apart
    (three Thursday evenings: every 7 days), each with the group's capacity, in Breda wall-clock time."""
    offering = run.offering
    sessions = []
    with transaction.atomic():
        for number in range(offering.session_count):
            starts_at, ends_at = session_times(first_day + timedelta(days=number * every_days), start_time, offering.duration_minutes)
            sessions.append(Session.objects.create(
                offering=offering, teacher=run.teacher, room=run.room, starts_at=starts_at, ends_at=ends_at,
                capacity=run.capacity, programme_run=run, is_customised=True))
    return sessions
