"""The teacher's writes to the timetable from her back office: offerings, weekly classes, one-off
sessions and closures. Each runs in one transaction, so a refusal leaves nothing half-saved.

A refusal is a `ValidationError` keyed by the form field it is about (the back office's forms use
the same names), with a message the teacher reads as is."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.dates import within_range
from core.roles import is_admin, may_change_teaching_of

from .models import STUDIO_TZ, Closure, Offering, Room, Session, WeeklySlot
from .services import (
    GenerationResult,
    closure_apply,
    horizon_weeks,
    session_clash,
    session_times,
    slot_dates,
    slot_saved,
    timetable_generate,
)


def _refuse_far_dates(**days) -> None:
    """Dates outside the years the studio works with (they would overflow further on)."""
    errors = {field: _("Please choose a date between %(first)s and %(last)s.") % {"first": 2000, "last": 2100}
              for field, day in days.items() if day is not None and not within_range(day)}
    if errors:
        raise ValidationError(errors)


# Offerings -----------------------------------------------------------------------------------------


def offering_save(offering: Offering) -> Offering:
    """Save an offering the teacher wrote or changed. A new one gets its web address (slug) from
    its Dutch name; the address of an existing one stays, so links to it keep working."""
    with transaction.atomic():
        if offering.pk is None:
            slug = slugify(offering.name_nl or "")[:50].strip("-")
            if not slug:
                raise ValidationError({"name_nl": _("Please use letters or digits in the Dutch name; it makes the web address.")})
            if Offering.objects.filter(slug=slug).exists():
                raise ValidationError({"name_nl": _(
                    "There is already an offering with the web address “%(slug)s”. Please choose another Dutch name.") % {"slug": slug}})
            offering.slug = slug
        offering.full_clean()
        try:
            with transaction.atomic():
                offering.save()
        except IntegrityError as error:  # the same name saved a moment ago by someone else
            raise ValidationError({"name_nl": _("There is already an offering with this name. Please choose another Dutch name.")}) from error
    return offering


# Weekly classes ------------------------------------------------------------------------------------


def slot_save(slot: WeeklySlot, *, today: date | None = None) -> GenerationResult:
    """Save a weekly class and make (or bring in line) its sessions for the coming weeks at once.

    The room is locked first, so two teachers saving overlapping classes at the same moment cannot
    both pass the overlap check (WeeklySlot.clean, which also checks dates and the room's places)."""
    _refuse_far_dates(valid_from=slot.valid_from, valid_until=slot.valid_until)
    today = today or timezone.localdate()
    with transaction.atomic():
        if slot.room_id:
            Room.objects.select_for_update().get(pk=slot.room_id)
        slot.full_clean()
        clash = _clash_with_other_sessions(slot, today=today)
        if clash is not None:
            raise ValidationError({"start_time": _("This overlaps with %(session)s in the same room.") % {"session": clash}})
        slot.save()
        return slot_saved(slot, today=today)


def _clash_with_other_sessions(slot: WeeklySlot, *, today: date) -> Session | None:
    """A scheduled session in the slot's room, not one of its own dates (a one-off, a changed date, a
    programme date), that overlaps one of the dates the slot will make in the coming weeks."""
    last = today + timedelta(weeks=horizon_weeks())
    wanted = [session_times(day, slot.start_time, slot.duration_minutes) for day in slot_dates(slot, today, last)]
    if not wanted:
        return None
    others = Session.objects.scheduled().filter(room_id=slot.room_id, starts_at__lt=wanted[-1][1], ends_at__gt=wanted[0][0])
    if slot.pk:
        others = others.exclude(slot_id=slot.pk)
    for other in others.select_related("offering").order_by("starts_at"):
        if any(other.starts_at < end and start < other.ends_at for start, end in wanted):
            return other
    return None


def slot_stop(slot: WeeklySlot, *, last_day: date, today: date | None = None) -> GenerationResult:
    """Stop a weekly class after `last_day` instead of deleting it: sessions that people booked stay
    (the teacher cancels those one by one if she must), unbooked ones after that day go."""
    today = today or timezone.localdate()
    _refuse_far_dates(last_day=last_day)
    if last_day < today:
        raise ValidationError({"last_day": _("The last day cannot be in the past.")})
    if last_day < slot.valid_from:
        raise ValidationError({"last_day": _(
            "This weekly class only starts on %(day)s. Choose a last day on or after that, or change its dates.") % {
            "day": slot.valid_from.strftime("%d-%m-%Y")}})
    if slot.valid_until is not None and slot.valid_until <= last_day:
        raise ValidationError({"last_day": _("This weekly class already ends on %(day)s.") % {"day": slot.valid_until.strftime("%d-%m-%Y")}})
    with transaction.atomic():
        slot = WeeklySlot.objects.select_for_update().get(pk=slot.pk)
        slot.valid_until = last_day
        slot.save(update_fields=["valid_until"])
        return slot_saved(slot, today=today)


# One-off sessions ----------------------------------------------------------------------------------


def one_off_session_create(*, offering: Offering, teacher, room: Room, day: date, start_time: time, duration_minutes: int,
                           capacity: int, note: str = "", now: datetime | None = None) -> Session:
    """A session on one date only (a workshop, an extra class). The weekly timetable never changes it."""
    now = now or timezone.now()
    _refuse_far_dates(day=day)
    starts_at, ends_at = session_times(day, start_time, duration_minutes)
    if day < timezone.localtime(now, STUDIO_TZ).date():
        raise ValidationError({"day": _("This date is in the past.")})
    if starts_at <= now:
        raise ValidationError({"start_time": _("This time has already passed. Please choose a moment in the future.")})
    closure = Closure.objects.filter(starts_on__lte=day, ends_on__gte=day).first()
    if closure is not None:
        raise ValidationError({"day": _("The studio is closed that day: %(reason)s") % {"reason": closure.reason}})
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        session = Session(offering=offering, teacher=teacher, room=room, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                          note=note.strip(), is_customised=True)
        session.full_clean()
        clash = session_clash(session)
        if clash is not None:
            raise ValidationError({"start_time": _("%(room)s is taken at that time by %(session)s.") % {"room": room, "session": clash}})
        session.save()
    return session


# Closures ------------------------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STUDIO_TZ)


def closure_check(*, starts_on: date, ends_on: date, today: date | None = None, actor=None) -> None:
    """The rules for a new closure, also used before the confirmation step shows its effects. A
    teacher (`actor`, not the admin) may not close the studio over a colleague's booked class: that
    is the colleague's or the admin's to cancel."""
    today = today or timezone.localdate()
    _refuse_far_dates(starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day is before the first day.")})
    if ends_on < today:
        raise ValidationError({"ends_on": _("This period is already over; a closure is for days to come.")})
    if actor is not None:
        start, end = _midnight(starts_on), _midnight(ends_on + timedelta(days=1))
        theirs = [session for session in Session.objects.scheduled().filter(starts_at__gte=start, starts_at__lt=end, places_taken__gt=0)
                  .select_related("teacher__user", "offering").order_by("starts_at") if not may_change_teaching_of(actor, session.teacher)]
        if theirs:
            raise ValidationError(_("Only the admin can close the studio over a colleague's booked classes: %(classes)s.") % {
                "classes": ", ".join(f"{session} ({session.teacher.first_name})" for session in theirs)})


def closure_create(*, starts_on: date, ends_on: date, reason_nl: str, reason_en: str = "", now: datetime | None = None,
                   actor=None) -> tuple[Closure, int]:
    """Close the studio on these days: unbooked sessions go; booked ones are cancelled with the reason,
    which returns credits and payments and tells everyone (classes.services.closure_apply and the
    session_cancelled signal). Returns the closure and how many sessions were removed or cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        closure_check(starts_on=starts_on, ends_on=ends_on, today=timezone.localtime(now, STUDIO_TZ).date(), actor=actor)
        closure = Closure(starts_on=starts_on, ends_on=ends_on, reason_nl=reason_nl.strip(), reason_en=reason_en.strip(), created_by=actor)
        closure.full_clean()
        closure.save()
        touched = closure_apply(closure, now=now)
    return closure, touched


def closure_may_be_deleted(closure: Closure, *, today: date | None = None, actor=None) -> bool:
    today = today or timezone.localdate()
    return closure.ends_on >= today and not closure.cancelled_sessions.exists() and _may_remove(closure, actor)


def _may_remove(closure: Closure, actor) -> bool:
    """The admin removes any closure; a teacher the ones she added."""
    return actor is None or is_admin(actor) or closure.created_by_id == actor.pk


def closure_delete(closure: Closure, *, today: date | None = None, actor=None) -> GenerationResult:
    """Open the studio again on days that were to be closed: only while the closure is not over and
    cancelled no session (a cancelled class stays cancelled: its people were told and refunded).
    The weekly timetable then fills the days again."""
    today = today or timezone.localdate()
    with transaction.atomic():
        closure = Closure.objects.select_for_update().get(pk=closure.pk)
        if not _may_remove(closure, actor):
            raise ValidationError(_("Only the admin, or whoever added it, can remove this closure."))
        if closure.ends_on < today:
            raise ValidationError(_("This closure is over; it stays in the history."))
        if closure.cancelled_sessions.exists():
            raise ValidationError(_(
                "This closure cancelled classes that people had booked. They were told and refunded, so it stays; "
                "you can add a new class for those days instead."))
        closure.delete()
        return timetable_generate(today=today)
