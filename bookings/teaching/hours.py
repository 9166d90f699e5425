"""Reads for the teacher's hours page: her week, her coming exceptions, her settings and kinds of
one-to-one, the appointments a day off would fall on, and a preview of the free moments clients
see. The preview is the clients' own computation (bookings.personal.availability over
classes.slots), never a second one. Changes go through classes.hours."""

from datetime import date, datetime, timedelta

from django.shortcuts import get_object_or_404

from classes.models import STUDIO_TZ, AppointmentType, DateException, Teacher, TeacherAvailability, WeeklySlot
from core.roles import change_teaching_required

from ..models import Appointment
from ..personal import availability

PREVIEW_DAYS = 14


def own_teacher(user) -> Teacher | None:
    return Teacher.objects.select_related("user").filter(user=user).first()


def chosen_teacher(request) -> Teacher | None:
    """Whose hours: `?teacher=<slug>` (the admin may choose anyone; a teacher only herself, anyone
    else is a 404), else her own. None for an admin with no teacher profile who chose nobody."""
    slug = request.GET.get("teacher") or request.POST.get("teacher")
    if slug:
        teacher = get_object_or_404(Teacher.objects.select_related("user"), slug=slug)
    else:
        teacher = own_teacher(request.user)
    if teacher is not None:
        change_teaching_required(request.user, teacher)
    return teacher


def teachers_to_choose() -> list[Teacher]:
    """The teachers the admin can switch between (only the admin switches)."""
    return list(Teacher.objects.select_related("user").order_by("-is_active", "user__first_name", "user__last_name"))


def week_of(teacher) -> list[dict]:
    """Every weekday, Monday first, with her ranges of hours that day (possibly none)."""
    ranges = list(teacher.working_hours.order_by("weekday", "start_time"))
    return [{"weekday": value, "label": label, "ranges": [r for r in ranges if r.weekday == value]}
            for value, label in WeeklySlot.Weekday.choices]


def coming_exceptions(teacher, *, today: date) -> list[DateException]:
    return list(teacher.date_exceptions.filter(last_day__gte=today).order_by("first_day", "start_time", "pk"))


def appointment_types(teacher) -> list[AppointmentType]:
    return list(teacher.appointment_types.select_related("offering").order_by("-is_active", "position", "name_nl", "duration_minutes"))


def booked_during(teacher, *, first_day: date, last_day: date, now: datetime, kind: str = DateException.Kind.OFF,
                  start_time=None, end_time=None) -> list[Appointment]:
    """Her coming appointments (booked, or held while the client pays) that a new exception would
    leave outside her hours: every one on a day off; for other hours instead, those not within
    them; extra hours take nothing away."""
    if kind == DateException.Kind.EXTRA:
        return []
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=STUDIO_TZ)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tzinfo=STUDIO_TZ)
    found = (Appointment.objects.filter(teacher=teacher).holding_time(now).filter(starts_at__gte=max(start, now), starts_at__lt=end)
             .select_related("client", "appointment_type").order_by("starts_at"))
    if kind == DateException.Kind.REPLACE:
        return [a for a in found if not (start_time <= a.starts_at.astimezone(STUDIO_TZ).time()
                                         and a.ends_at.astimezone(STUDIO_TZ).time() <= end_time
                                         and a.starts_at.astimezone(STUDIO_TZ).date() == a.ends_at.astimezone(STUDIO_TZ).date())]
    return list(found)


def preview(appointment_type: AppointmentType, *, now: datetime, days: int = PREVIEW_DAYS) -> dict:
    """The free moments clients see for this kind, from today on, grouped per Breda day: exactly
    what the clients' slot page computes (`availability.slot_week`)."""
    today = now.astimezone(STUDIO_TZ).date()
    return availability.slot_week(appointment_type, now=now, first_day=today, days=days)


def overview(teacher, *, now: datetime, type_slug: str | None = None) -> dict:
    """Everything her hours page shows, with the preview for the chosen kind (default: her first
    kind that is offered now)."""
    types = appointment_types(teacher)
    chosen = next((t for t in types if t.slug == type_slug), None) if type_slug else None
    chosen = chosen or next((t for t in types if t.is_active), None) or (types[0] if types else None)
    settings = TeacherAvailability.of(teacher)
    return {
        "teacher": teacher,
        "week": week_of(teacher),
        "exceptions": coming_exceptions(teacher, today=now.astimezone(STUDIO_TZ).date()),
        "settings": settings,
        "settings_saved": settings.pk is not None,
        "types": types,
        "chosen_type": chosen,
        "preview": preview(chosen, now=now) if chosen else None,
        "preview_days": PREVIEW_DAYS,
    }

