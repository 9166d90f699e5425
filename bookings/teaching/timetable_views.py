"""The teacher's timetable in her back office: the week, offerings, weekly classes, one-off sessions
and closures. Thin: parse, call classes.planning, answer."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes import planning
from classes.models import Closure, Offering, WeeklySlot
from core.roles import SCOPE_MINE, SCOPE_STUDIO, change_teaching_required, is_admin, teacher_required, teaching_scope

from . import timetable
from .timetable_forms import ClosureForm, OfferingForm, OneOffSessionForm, SlotStopForm, WeeklySlotForm


def _refuse(form, error: ValidationError) -> None:
    """A service said no: each message next to its field (or above the form when it has none)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _own_teacher(user):
    """Her Teacher row, or None (an admin who does not teach)."""
    return getattr(user, "teacher_profile", None)


def _week_url(monday, **extra) -> str:
    return reverse("teaching:week") + "?" + urlencode({"week": timetable.iso_week(monday), **extra})


# The week ------------------------------------------------------------------------------------------


@teacher_required
def week(request):
    today = timezone.localdate()
    monday, problem = timetable.week_asked(request.GET, today=today)
    if problem:
        messages.warning(request, problem)
    scope = teaching_scope(request)
    sunday = monday + timedelta(days=6)
    return render(request, "bookings/teaching/timetable/week.html", {
        "days": timetable.week_listing(monday=monday, user=request.user if scope == SCOPE_MINE else None),
        "closures": timetable.closures_in(monday, sunday),
        "today": today, "monday": monday, "sunday": sunday, "scope": scope,
        "is_this_week": monday == today - timedelta(days=today.weekday()),
        "previous_url": _week_url(monday - timedelta(days=7)),
        "next_url": _week_url(monday + timedelta(days=7)),
        "this_week_url": reverse("teaching:week") + "?" + urlencode({"from": today.isoformat()}),
        "switch_url": _week_url(monday, scope=SCOPE_STUDIO if scope == SCOPE_MINE else SCOPE_MINE),
    })


# Offerings: the studio's, so any teacher may write them --------------------------------------------


@teacher_required
def offerings(request):
    listing = Offering.objects.select_related("style").order_by("position", "name_nl")
    return render(request, "bookings/teaching/timetable/offerings.html", {"offerings": listing})


@teacher_required
def offering_edit(request, pk=None):
    offering = get_object_or_404(Offering, pk=pk) if pk is not None else Offering()
    form = OfferingForm(request.POST or None, request.FILES or None, instance=offering)
    if request.method == "POST" and form.is_valid():
        try:
            planning.offering_save(form.instance)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": form.instance.name_nl})
            return redirect("teaching:offerings")
    return render(request, "bookings/teaching/timetable/offering_form.html", {"form": form, "offering": offering})


# Weekly classes ------------------------------------------------------------------------------------


@teacher_required
def slots(request):
    scope, today = teaching_scope(request), timezone.localdate()
    listing = timetable.slots_listing(today=today, user=request.user if scope == SCOPE_MINE else None)
    admin = is_admin(request.user)
    for slot in listing["active_slots"] + listing["ended_slots"]:
        slot.may_change = admin or slot.teacher.user_id == request.user.pk
    return render(request, "bookings/teaching/timetable/slots.html", {
        **listing, "scope": scope, "today": today,
        "switch_url": reverse("teaching:slots") + "?" + urlencode({"scope": SCOPE_STUDIO if scope == SCOPE_MINE else SCOPE_MINE}),
    })


@teacher_required
def slot_edit(request, pk=None):
    if pk is not None:
        slot = get_object_or_404(WeeklySlot.objects.select_related("offering", "teacher__user", "room"), pk=pk)
        change_teaching_required(request.user, slot.teacher)
    else:
        slot = WeeklySlot(teacher=_own_teacher(request.user))
    form = WeeklySlotForm(request.POST or None, instance=slot, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            result = planning.slot_save(form.instance)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The weekly class is saved: %(created)d dates added, %(updated)d changed, %(removed)d removed.") % {
                "created": result.created, "updated": result.updated, "removed": result.removed})
            return redirect("teaching:slots")
    return render(request, "bookings/teaching/timetable/slot_form.html", {"form": form, "slot": slot})


@teacher_required
def slot_stop(request, pk):
    slot = get_object_or_404(WeeklySlot.objects.select_related("offering", "teacher__user", "room"), pk=pk)
    change_teaching_required(request.user, slot.teacher)
    today = timezone.localdate()
    form = SlotStopForm(request.POST or None, initial={"last_day": today})
    if request.method == "POST" and form.is_valid():
        try:
            result = planning.slot_stop(slot, last_day=form.cleaned_data["last_day"], today=today)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The weekly class stops after %(day)s; %(removed)d dates nobody booked are taken off.") % {
                "day": form.cleaned_data["last_day"].strftime("%d-%m-%Y"), "removed": result.removed})
            return redirect("teaching:slots")
    booked = slot.sessions.scheduled().upcoming().filter(places_taken__gt=0).count()
    return render(request, "bookings/teaching/timetable/slot_stop.html", {"form": form, "slot": slot, "booked": booked})


# One-off sessions ----------------------------------------------------------------------------------


@teacher_required
def session_new(request):
    form = OneOffSessionForm(request.POST or None, user=request.user, initial={"teacher": _own_teacher(request.user)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change_teaching_required(request.user, data["teacher"])
        try:
            session = planning.one_off_session_create(**data)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("%(session)s is on the timetable.") % {"session": session})
            return redirect(_week_url(session.local_date))
    return render(request, "bookings/teaching/timetable/session_form.html", {"form": form})


# Closures ------------------------------------------------------------------------------------------


@teacher_required
def closures(request):
    return render(request, "bookings/teaching/timetable/closures.html", timetable.closures_listing(today=timezone.localdate(), user=request.user))


@teacher_required
def closure_new(request):
    """Two steps: the form, then what it will do (who is booked, what happens to them); only the
    confirmation (a POST with `confirm`) closes the studio."""
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, confirmed = form.cleaned_data, bool(request.POST.get("confirm"))
        try:
            if confirmed:
                closure, touched = planning.closure_create(**data, actor=request.user)
            else:
                planning.closure_check(starts_on=data["starts_on"], ends_on=data["ends_on"], actor=request.user)
        except ValidationError as error:
            _refuse(form, error)
        else:
            if confirmed:
                messages.success(request, _("The studio is closed from %(first)s to %(last)s; %(count)d dates were cancelled or taken off.") % {
                    "first": closure.starts_on.strftime("%d-%m-%Y"), "last": closure.ends_on.strftime("%d-%m-%Y"), "count": touched})
                return redirect("teaching:closures")
            preview = timetable.closure_preview(starts_on=data["starts_on"], ends_on=data["ends_on"])
            return render(request, "bookings/teaching/timetable/closure_confirm.html", {"form": form, "preview": preview})
    return render(request, "bookings/teaching/timetable/closure_form.html", {"form": form})


@teacher_required
@require_POST
def closure_delete(request, pk):
    closure = get_object_or_404(Closure, pk=pk)
    try:
        planning.closure_delete(closure, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The closure is removed; its days are back on the timetable."))
    return redirect("teaching:closures")

