"""Changes to a teacher's hours for one-to-ones: her weekly hours, days off and other exceptions, her
settings (rest, notice, horizon, step) and the kinds of one-to-one she offers.

Every change checks its rules first and writes inside one transaction that holds the teacher's row
(the owner of her one-to-one time, the same lock the appointment services take), so two phones
saving at once cannot leave two overlapping ranges, and nothing is ever half-saved. A rule that says
no raises `HoursError`, a ValidationError whose messages are keyed by the form field they belong to.
Reads for the pages live in bookings/teaching/hours.py; the slot maths in classes/slots.py."""

from datetime import date, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.vat import VAT_RATES

from .models import AppointmentType, DateException, Offering, Teacher, TeacherAvailability, WeeklySlot, WorkingHours

# The sensible range of each setting, (lowest, highest): the forms show the same bounds.
SETTING_BOUNDS = {
    "buffer_minutes": (0, 240),
    "minimum_notice_hours": (0, 24 * 30),
    "horizon_days": (1, 366),
    "step_minutes": (5, 120),
}
DURATION_BOUNDS = (5, 480)
PRICE_MAX_CENTS = 10_000_00
LONGEST_EXCEPTION_DAYS = 366


class HoursError(ValidationError):
    """A rule about her hours said no. Built from {field: message}; a form shows each message next to
    its field (`form.add_error(None, error)`), a message under None above the form."""


def _refuse(errors: dict) -> None:
    if errors:
        raise HoursError(errors)


def _lock(teacher: Teacher) -> Teacher:
    return Teacher.objects.select_for_update().get(pk=teacher.pk)


def _hhmm(value: time) -> str:
    return time_format(value, "H:i")


# Weekly hours ----------------------------------------------------------------------------------


def working_hours_save(*, teacher: Teacher, weekday: int, start_time: time, end_time: time,
                       hours: WorkingHours | None = None) -> WorkingHours:
    """Add a range of weekly hours (or change `hours`). Refused: an end at or before the start, and a
    range overlapping another of hers on that weekday (ranges that only touch are fine)."""
    if hours is not None and hours.teacher_id != teacher.pk:
        raise ValueError("these hours belong to another teacher")
    errors = {}
    if weekday not in WeeklySlot.Weekday.values:
        errors["weekday"] = _("Please choose a day of the week.")
    if start_time and end_time and end_time <= start_time:
        errors["end_time"] = _("The end is before the start. Please check the times.")
    _refuse(errors)
    with transaction.atomic():
        _lock(teacher)
        overlapping = (WorkingHours.objects.filter(teacher=teacher, weekday=weekday, start_time__lt=end_time, end_time__gt=start_time)
                       .exclude(pk=hours.pk if hours else None).first())
        if overlapping is not None:
            _refuse({"start_time": _("This overlaps your hours on %(weekday)s from %(start)s to %(end)s. Change or delete those "
                                     "first, or choose other times.") % {
                "weekday": overlapping.get_weekday_display().lower(), "start": _hhmm(overlapping.start_time),
                "end": _hhmm(overlapping.end_time)}})
        hours = hours or WorkingHours(teacher=teacher)
        hours.weekday, hours.start_time, hours.end_time = weekday, start_time, end_time
        hours.save()
    return hours


def working_hours_delete(*, hours: WorkingHours) -> None:
    with transaction.atomic():
        _lock(hours.teacher)
        hours.delete()


# Days off and other exceptions -----------------------------------------------------------------


def date_exception_check(*, kind: str, first_day: date, last_day: date | None = None, start_time: time | None = None,
                         end_time: time | None = None, today: date | None = None) -> tuple[date, time | None, time | None]:
    """The rules of an exception, without writing: (last day, from, until) as they will be saved, or
    HoursError. The page asks this before it shows which appointments a day off falls on."""
    today = today or timezone.localdate()
    last_day = last_day or first_day
    errors = {}
    if kind not in DateException.Kind.values:
        errors["kind"] = _("Please choose what kind of exception this is.")
    if last_day < first_day:
        errors["last_day"] = _("The last day is before the first day.")
    elif last_day < today:
        errors["last_day"] = _("These days are in the past. Please choose today or a later day.")
    elif (last_day - first_day).days >= LONGEST_EXCEPTION_DAYS:
        errors["last_day"] = _("Please choose at most a year at a time.")
    if kind == DateException.Kind.OFF:
        start_time = end_time = None
    elif kind in DateException.Kind.values:
        if start_time is None:
            errors["start_time"] = _("Please give the hours: from when.")
        if end_time is None:
            errors["end_time"] = _("Please give the hours: until when.")
        elif start_time is not None and end_time <= start_time:
            errors["end_time"] = _("The end is before the start. Please check the times.")
    _refuse(errors)
    return last_day, start_time, end_time


def date_exception_add(*, teacher: Teacher, kind: str, first_day: date, last_day: date | None = None,
                       start_time: time | None = None, end_time: time | None = None, note: str = "",
                       today: date | None = None) -> DateException:
    """A day off or holiday (`off`, first..last day), extra hours on those days (`extra`), or other
    hours instead of the usual ones (`replace`). Appointments already booked on those days stay
    booked: the page shows them first (bookings/teaching/hours.py), the teacher moves or cancels them
    one by one."""
    last_day, start_time, end_time = date_exception_check(kind=kind, first_day=first_day, last_day=last_day, start_time=start_time,
                                                          end_time=end_time, today=today)
    with transaction.atomic():
        _lock(teacher)
        return DateException.objects.create(teacher=teacher, kind=kind, first_day=first_day, last_day=last_day,
                                            start_time=start_time, end_time=end_time, note=note.strip())


def date_exception_delete(*, exception: DateException) -> None:
    with transaction.atomic():
        _lock(exception.teacher)
        exception.delete()


# Settings --------------------------------------------------------------------------------------


def availability_settings_save(*, teacher: Teacher, buffer_minutes: int, minimum_notice_hours: int, horizon_days: int,
                               step_minutes: int) -> TeacherAvailability:
    """Her rest between appointments, how soon and how far ahead clients may book, and how often a
    start time is offered. Made the first time she saves them."""
    values = {"buffer_minutes": buffer_minutes, "minimum_notice_hours": minimum_notice_hours, "horizon_days": horizon_days,
              "step_minutes": step_minutes}
    errors = {}
    for field, value in values.items():
        lowest, highest = SETTING_BOUNDS[field]
        if value is None or not lowest <= value <= highest:
            errors[field] = _("Please choose a number from %(lowest)d to %(highest)d.") % {"lowest": lowest, "highest": highest}
    if not errors and values["minimum_notice_hours"] >= values["horizon_days"] * 24:
        errors["minimum_notice_hours"] = _("With this notice nobody could book within the days ahead you allow. "
                                           "Please choose less notice or more days ahead.")
    _refuse(errors)
    with transaction.atomic():
        _lock(teacher)
        settings, _created = TeacherAvailability.objects.update_or_create(teacher=teacher, defaults=values)
    return settings


# Kinds of one-to-one -------------------------------------------------------------------------


def _free_slug(name: str) -> str:
    base = slugify(name)[:40].strip("-") or "sessie"
    taken = set(AppointmentType.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def appointment_type_save(*, teacher: Teacher, name_nl: str, name_en: str, description_nl: str, description_en: str = "",
                          duration_minutes: int, price_cents: int, offering: Offering | None = None,
                          programme_price_cents: int | None = None, is_bookable_alone: bool = True, is_active: bool = True,
                          position: int = 0, appointment_type: AppointmentType | None = None,
                          vat_rate_percent=None) -> AppointmentType:
    """Add a kind of one-to-one for `teacher` (its short name in URLs made from the Dutch name), or
    change `appointment_type`; its teacher and short name stay, so clients' links keep working."""
    if appointment_type is not None and appointment_type.teacher_id != teacher.pk:
        raise ValueError("this kind of session belongs to another teacher")
    name_nl, name_en = name_nl.strip(), name_en.strip()
    errors = {}
    if not name_nl:
        errors["name_nl"] = _("Please give the Dutch name.")
    if not name_en:
        errors["name_en"] = _("Please give the English name.")
    if not description_nl.strip():
        errors["description_nl"] = _("Please describe the session in Dutch.")
    lowest, highest = DURATION_BOUNDS
    if duration_minutes is None or not lowest <= duration_minutes <= highest:
        errors["duration_minutes"] = _("Please choose a number from %(lowest)d to %(highest)d.") % {"lowest": lowest, "highest": highest}
    for field, cents in (("price_cents", price_cents), ("programme_price_cents", programme_price_cents)):
        if cents is not None and not 0 <= cents <= PRICE_MAX_CENTS:
            errors[field] = _("Please give an amount between 0 and 10,000 euros.")
    if programme_price_cents is not None and (offering is None or offering.kind != Offering.Kind.PROGRAMME):
        errors["programme_price_cents"] = _("A programme price needs a programme as the offering.")
    if price_cents is None:
        errors["price_cents"] = _("Please give the price of one session.")
    if vat_rate_percent is not None and Decimal(vat_rate_percent) not in {rate for rate, _label in VAT_RATES}:
        errors["vat_rate_percent"] = _("Please choose 21%, 9% or exempt from VAT.")
    _refuse(errors)
    with transaction.atomic():
        _lock(teacher)
        kind = appointment_type or AppointmentType(teacher=teacher, slug=_free_slug(name_nl))
        kind.name_nl, kind.name_en = name_nl, name_en
        kind.description_nl, kind.description_en = description_nl.strip(), description_en.strip()
        kind.duration_minutes, kind.price_cents = duration_minutes, price_cents
        kind.offering, kind.programme_price_cents = offering, programme_price_cents
        kind.is_bookable_alone, kind.is_active, kind.position = is_bookable_alone, is_active, position
        if vat_rate_percent is not None:  # left out: the rate stays (a new kind: the general rate)
            kind.vat_rate_percent = Decimal(vat_rate_percent)
        kind.save()
    return kind
