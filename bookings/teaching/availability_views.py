"""Her hours for one-to-ones: the overview with a preview of clients' free moments, her weekly hours,
days off and other exceptions, her settings and her kinds of one-to-one. Parse, call, answer: the
rules are in classes.hours, the reads in .hours. A teacher changes only her own hours; the admin
chooses whose with `?teacher=<slug>`."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from classes import hours as services
from classes.models import AppointmentType, DateException, TeacherAvailability, WorkingHours
from core.money_fields import cents_as_text
from core.roles import change_teaching_required, is_admin, teacher_required

from . import hours
from .availability_forms import (
    AppointmentTypeForm,
    AvailabilitySettingsForm,
    DateExceptionForm,
    WorkingHoursForm,
)

TEMPLATES = "bookings/teaching/availability/"


def _overview_url(teacher, **query) -> str:
    query = {"teacher": teacher.slug, **query}
    return f"{reverse('teaching:availability')}?{urlencode(query)}"


def _owned(queryset, request, pk):
    """A row of a teacher's hours that the user may change (others: 404, as for clients)."""
    row = get_object_or_404(queryset.select_related("teacher__user"), pk=pk)
    change_teaching_required(request.user, row.teacher)
    return row


def for_chosen_teacher(view):
    """Pages that add to someone's hours: hers, or (the admin) the teacher chosen with `?teacher=`;
    without one, the overview asks whose."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        teacher = hours.chosen_teacher(request)
        if teacher is None:
            return redirect("teaching:availability")
        return view(request, *args, teacher=teacher, **kwargs)

    return wrapper


def _form_page(request, form, *, teacher, title, intro="", button, delete_url=None):
    return render(request, TEMPLATES + "form.html", {
        "form": form, "teacher": teacher, "title": title, "intro": intro, "button": button, "delete_url": delete_url,
        "back": _overview_url(teacher)})


@teacher_required
@never_cache
def overview(request):
    teacher = hours.chosen_teacher(request)
    admin = is_admin(request.user)
    context = {"teachers": hours.teachers_to_choose() if admin else [], "user_is_admin": admin, "teacher": teacher}
    if teacher is not None:
        context.update(hours.overview(teacher, now=timezone.now(), type_slug=request.GET.get("type")))
    return render(request, TEMPLATES + "overview.html", context)


# Weekly hours ----------------------------------------------------------------------------------


def _hours_page(request, *, teacher, row=None):
    initial = {"weekday": request.GET.get("weekday")} if row is None else {
        "weekday": row.weekday, "start_time": row.start_time, "end_time": row.end_time}
    form = WorkingHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.working_hours_save(teacher=teacher, hours=row, **form.cleaned_data)
        except services.HoursError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your hours are saved. Clients see the new free moments at once."))
            return redirect(_overview_url(teacher))
    return _form_page(request, form, teacher=teacher, title=_("Change these hours") if row else _("Add hours"),
                      intro=_("Several ranges on one day are fine, for example 9:00–12:00 and 14:00–17:00."),
                      button=_("Save"), delete_url=reverse("teaching:availability_hours_delete", args=[row.pk]) if row else None)


@teacher_required
@never_cache
@for_chosen_teacher
def hours_add(request, *, teacher):
    return _hours_page(request, teacher=teacher)


@teacher_required
@never_cache
def hours_edit(request, pk):
    row = _owned(WorkingHours.objects.all(), request, pk)
    return _hours_page(request, teacher=row.teacher, row=row)


@teacher_required
@require_POST
def hours_delete(request, pk):
    row = _owned(WorkingHours.objects.all(), request, pk)
    services.working_hours_delete(hours=row)
    messages.success(request, _("Those hours are deleted. Appointments already booked in them stay booked."))
    return redirect(_overview_url(row.teacher))


# Days off and other exceptions -----------------------------------------------------------------


@teacher_required
@never_cache
@for_chosen_teacher
def exception_add(request, *, teacher):
    form = DateExceptionForm(request.POST or None, initial={"first_day": request.GET.get("day")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        try:
            last_day, start_time, end_time = services.date_exception_check(
                kind=data["kind"], first_day=data["first_day"], last_day=data["last_day"], start_time=data["start_time"],
                end_time=data["end_time"], today=timezone.localdate(now))
            booked = hours.booked_during(teacher, first_day=data["first_day"], last_day=last_day, now=now, kind=data["kind"],
                                         start_time=start_time, end_time=end_time)
            if booked and not request.POST.get("confirmed"):
                return render(request, TEMPLATES + "exception_confirm.html", {
                    "form": form, "teacher": teacher, "booked": booked, "kind": data["kind"], "first_day": data["first_day"],
                    "last_day": last_day, "back": _overview_url(teacher)})
            services.date_exception_add(teacher=teacher, today=timezone.localdate(now), **data)
        except services.HoursError as error:
            form.add_error(None, error)
        else:
            if booked:
                messages.warning(request, ngettext(
                    "Saved. %(count)d appointment stays booked on those days: move or cancel it yourself.",
                    "Saved. %(count)d appointments stay booked on those days: move or cancel them yourself.",
                    len(booked)) % {"count": len(booked)})
            else:
                messages.success(request, _("Saved. Clients see the changed free moments at once."))
            return redirect(_overview_url(teacher))
    return _form_page(request, form, teacher=teacher, title=_("Add a day off or other hours"),
                      intro=_("A day off or holiday takes away your hours for one-to-ones on those days; your group classes "
                              "go ahead as planned. Extra hours add to your week; other hours take the place of the usual ones."),
                      button=_("Save"))


@teacher_required
@require_POST
def exception_delete(request, pk):
    row = _owned(DateException.objects.all(), request, pk)
    services.date_exception_delete(exception=row)
    messages.success(request, _("Deleted. Your usual hours apply again on those days."))
    return redirect(_overview_url(row.teacher))


# Settings --------------------------------------------------------------------------------------


@teacher_required
@never_cache
@for_chosen_teacher
def settings_edit(request, *, teacher):
    current = TeacherAvailability.of(teacher)
    form = AvailabilitySettingsForm(request.POST or None, initial={field: getattr(current, field) for field in services.SETTING_BOUNDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.availability_settings_save(teacher=teacher, **form.cleaned_data)
        except services.HoursError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect(_overview_url(teacher))
    return _form_page(request, form, teacher=teacher, title=_("Settings for one-to-ones"), button=_("Save"))


# Kinds of one-to-one -------------------------------------------------------------------------


def _type_page(request, *, teacher, kind=None):
    initial = {} if kind is None else {
        "name_nl": kind.name_nl, "name_en": kind.name_en, "description_nl": kind.description_nl, "description_en": kind.description_en,
        "duration_minutes": kind.duration_minutes, "price_cents": cents_as_text(kind.price_cents), "offering": kind.offering_id,
        "programme_price_cents": cents_as_text(kind.programme_price_cents), "is_bookable_alone": kind.is_bookable_alone,
        "is_active": kind.is_active, "position": kind.position, "vat_rate_percent": kind.vat_rate_percent}
    form = AppointmentTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.appointment_type_save(teacher=teacher, appointment_type=kind, **form.cleaned_data)
        except services.HoursError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": kind.name})
            return redirect(_overview_url(teacher, type=kind.slug))
    return _form_page(request, form, teacher=teacher, title=_("Change this kind of session") if kind else _("New kind of session"),
                      button=_("Save"))


@teacher_required
@never_cache
@for_chosen_teacher
def type_add(request, *, teacher):
    return _type_page(request, teacher=teacher)


@teacher_required
@never_cache
def type_edit(request, pk):
    kind = _owned(AppointmentType.objects.all(), request, pk)
    return _type_page(request, teacher=kind.teacher, kind=kind)
