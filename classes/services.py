"""Writes to the timetable: turning weekly slots into sessions, closures,
and changing or cancelling a single session."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import STUDIO_TZ, Closure, Room, Session, WeeklySlot

# Sent inside the cancelling transaction, so receivers (bookings) can return
# credits and plan refunds atomically. Arguments: session, reason.
session_cancelled = Signal()

# Sent inside the changing transaction (the session locked), after a session's time, room, teacher,
# places or note changed. Arguments: session (as it is now), old (a dict of the values before:
# starts_at, ends_at, room, teacher, capacity, note), changed (a frozenset of the field names that
# changed), actor, now. Receivers (bookings) tell who is booked and offer new places to the waitlist.
session_changed = Signal()


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
        for session in Session.objects.select_for_update().filter(slot__in=slots, slot_date__gte=today).order_by("pk"):
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
                    _remove(session, reason=_timetable_changed_reason(), closure=next(
                        (c for c in closures if c.starts_on <= day <= c.ends_on), None))
                    result.removed += 1
        created = Session.objects.bulk_create(to_create, ignore_conflicts=True)
        result.created = len(created)
    return result


def _remove(session: Session, *, reason: str, closure: Closure | None = None) -> None:
    """A date nobody holds a place on goes. One that still has bookings of the past (cancelled, or
    a hold that ran out) cannot be deleted (they keep their history): it is cancelled instead,
    which tells nobody, since nobody holds a place."""
    try:
        with transaction.atomic():
            session.delete()
    except ProtectedError:
        session_cancel(session, reason=reason, closure=closure)


def _timetable_changed_reason() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("The weekly timetable changed.")


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
        sessions = Session.objects.select_for_update().scheduled().filter(starts_at__gte=max(start, now), starts_at__lt=end).order_by("pk")
        for session in sessions:
            if _follows_its_slot(session):
                _remove(session, reason=closure.reason_nl, closure=closure)
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


# Changing one date -----------------------------------------------------------------------------

CHANGEABLE_FIELDS = ("starts_at", "ends_at", "room", "teacher", "capacity", "note")
# A change of these makes clients' calendars out of date: they are told, with a new calendar file.
MOVING_FIELDS = frozenset({"starts_at", "ends_at", "room", "teacher"})


def session_change(session: Session, *, actor=None, now: datetime | None = None, **changes) -> Session:
    """Change one session on its own: its time, room, teacher, places or note for clients.

    Validated as a whole (Session.clean: the end after the start, places within the room and never
    fewer than already booked) plus: not cancelled, not started, the new time not past nor on a day
    the studio is closed, and no other scheduled class in the same room at the same time. Any refusal raises a ValidationError keyed by
    field, and nothing is saved. A real change marks the session changed by hand (the weekly timetable
    leaves it alone); a change of time, room or teacher raises its `revision`, so calendar files made
    from now on replace the old event. `session_changed` is sent inside the transaction, with the old
    values, so bookings can tell everyone concerned once it is committed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The rooms first (the one it is in and the one it moves to, in pk order), as a new weekly or
        # one-off class does, so two changes cannot both pass the clash check; then the session.
        rooms = {Session.objects.values_list("room_id", flat=True).get(pk=session.pk)}
        if changes.get("room") is not None:
            rooms.add(changes["room"].pk)
        list(Room.objects.select_for_update().filter(pk__in=rooms).order_by("pk"))
        session = Session.objects.select_for_update(of=("self",)).select_related("room", "teacher__user", "offering").get(pk=session.pk)
        old = {field: getattr(session, field) for field in CHANGEABLE_FIELDS}
        changed = session_change_check(session, now=now, **changes)
        if not changed:
            return session
        session.is_customised = True
        fields = [*changed, "is_customised"]
        if changed & MOVING_FIELDS:
            session.revision += 1
            fields.append("revision")
        session.save(update_fields=fields)
        session_changed.send(sender=Session, session=session, old=old, changed=changed, actor=actor, now=now)
    return session


def session_change_check(session: Session, *, now: datetime | None = None, **changes) -> frozenset:
    """Apply `changes` to `session` in memory and check them (the rules of `session_change`); raise a
    ValidationError keyed by field, or return the names of the fields that really change. Saves
    nothing: the Django admin's form asks it before saving, `session_change` under its locks."""
    unknown = set(changes) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise TypeError(f"session_change() cannot change {', '.join(sorted(unknown))}")
    now = now or timezone.now()
    refusal = session_unchangeable_reason(session, now=now)
    if refusal:
        raise ValidationError(refusal)
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip()
    changed = frozenset(field for field, value in changes.items() if value != getattr(session, field))
    for field in changed:
        setattr(session, field, changes[field])
    if not changed:
        return changed
    errors = {}
    try:
        session.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if "starts_at" not in errors and "ends_at" not in errors:
        if changed & {"starts_at", "ends_at"} and session.starts_at <= now:
            errors["starts_at"] = [_("This time has already passed. Please choose a moment in the future.")]
        elif changed & {"starts_at", "ends_at"} and (closure := _closure_on(session.local_date)) is not None:
            errors["starts_at"] = [_("The studio is closed that day: %(reason)s") % {"reason": closure.reason}]
        elif changed & {"starts_at", "ends_at", "room"} and (clash := session_clash(session)) is not None:
            errors["starts_at"] = [_("%(room)s is taken at that time by %(session)s.") % {"room": session.room, "session": clash}]
    if errors:
        raise ValidationError(errors)
    return changed


def session_unchangeable_reason(session: Session, *, now: datetime | None = None) -> str:
    """Why this date can no longer be changed (cancelled, started or over), or "" when it can."""
    if session.is_cancelled:
        return _("This class has been cancelled, so it can no longer be changed.")
    if session.has_started(now or timezone.now()):
        return _("This class has already started or taken place, so it can no longer be changed.")
    return ""


def _closure_on(day: date) -> Closure | None:
    return Closure.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


def session_clash(session: Session) -> Session | None:
    """Another scheduled session in the same room whose time overlaps this one's."""
    return (Session.objects.scheduled().filter(room_id=session.room_id, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at)
            .exclude(pk=session.pk).select_related("offering").order_by("starts_at").first())
