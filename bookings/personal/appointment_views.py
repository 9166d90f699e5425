"""One-to-one pages: the kinds of session, free moments day by day, booking, and the client's own
session (move, cancel, touch). Parse, call, answer."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.models import AppointmentType
from core.dates import DateOutOfRange, parse_day

from .. import calendars
from ..errors import BookingError, IntakeMissing, PaymentError
from ..intake.handoff import to_intake
from ..intake.services import TOUCH_CHOICES, intake_on_file
from ..models import Appointment, BookingPolicy
from ..payments.handoff import send_to_checkout
from ..policy import free_change_until
from . import appointments, availability, programmes


def _types():
    return AppointmentType.objects.filter(is_active=True).select_related("teacher__user", "offering")


def _first_day(request, *, now) -> date | None:
    """The day the week of free moments starts, from `?from=`; a day outside the weeks we can show
    gets a word instead of an error, and the first free week is shown."""
    today = timezone.localdate(now)
    try:
        return parse_day(request.GET.get("from"), earliest=today - timedelta(days=31), latest=today + timedelta(days=731))
    except DateOutOfRange:
        messages.info(request, _("That date is outside the weeks we show; here are the first free moments."))
        return None


def one_to_one(request):
    kinds = list(_types())
    credits = {}
    if request.user.is_authenticated:
        for kind in kinds:
            enrolment = programmes.enrolment_for_type(client=request.user, appointment_type=kind)
            if enrolment is not None:
                credits[kind.pk] = enrolment.balance
    for kind in kinds:
        kind.credits_left = credits.get(kind.pk, 0)
    return render(request, "bookings/personal/one_to_one.html", {"kinds": kinds})


def _asked_day(request, text: str, found: dict, *, today: date, horizon_day: date) -> date | None:
    """The day of `?day=`, when it has free moments; otherwise a word, and the next day that has
    some (or None: the first free moments are shown)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        messages.info(request, _("We could not read that day; here are the first free moments."))
        return None
    if day < today:
        messages.info(request, _("That day has already passed; here are the first free moments."))
        return None
    if day > horizon_day:
        messages.info(request, _("That day is further ahead than you can book yet; here are the first free moments."))
        return None
    if day in found:
        return day
    later = next((free for free in found if free > day), None)
    if later is None:
        messages.info(request, _("There are no free moments from that day on; here are the first free moments."))
    else:
        messages.info(request, _("There are no free moments on %(day)s; here is the next day that has them.") % {
            "day": date_format(day, "l j F")})
    return later


def _picker(request, kind, *, now, exclude_id=None, day=None) -> dict:
    """One day at a time: the week of days around the chosen one (`?day=`, else `day`, else the first
    with a free moment), each with how many moments are free, and the chosen day's moments."""
    today = timezone.localdate(now)
    found, horizon_day = availability.free_days(kind, now=now, exclude_id=exclude_id)
    first_day = _first_day(request, now=now)
    text = (request.GET.get("day") or "").strip()
    if text:
        day = _asked_day(request, text, found, today=today, horizon_day=horizon_day)
    elif day not in found:
        day = None
    if day is not None and (first_day is None or not first_day <= day < first_day + timedelta(days=7)):
        first_day = day
    week = availability.week_of(found, now=now, first_day=first_day, horizon_day=horizon_day)
    if day is None and week["days"]:
        day = week["days"][0]["date"]
    strip = [{"date": each, "count": len(found.get(each, [])), "chosen": each == day} for each in week["all_days"]]
    return {"week": week, "strip": strip, "day": day, "day_slots": found.get(day, []) if day else []}


def _slot_context(request, kind, *, now, exclude_id=None, day=None) -> dict:
    user = request.user
    credit = programmes.enrolment_for_type(client=user, appointment_type=kind) if user.is_authenticated else None
    return {"kind": kind, **_picker(request, kind, now=now, exclude_id=exclude_id, day=day), "credit": credit,
            "policy": BookingPolicy.current(), "intake_ok": user.is_authenticated and intake_on_file(client=user)}


def _refused(request, kind, error, *, start=None, action, moving=None):
    """The booking page again, on the day she chose, with what went wrong at the top (linked to the
    times, or to the code field) and her choice and code kept."""
    now = timezone.now()
    day = timezone.localtime(start).date() if start else None
    context = _slot_context(request, kind, now=now, exclude_id=moving.pk if moving else None, day=day)
    field = "price-code" if isinstance(error, PaymentError) else ("slot-1" if context["day_slots"] else "")
    context.update(action=action, moving=moving, chosen_start=start, price_code=request.POST.get("code", "").strip()[:40],
                   error_summary_items=[{"message": str(error), "field_id": field}])
    return render(request, "bookings/personal/slots.html", context)


def slots(request, slug):
    kind = get_object_or_404(_types(), slug=slug)
    context = _slot_context(request, kind, now=timezone.now())
    context["action"] = reverse("bookings:appointment_book", kwargs={"slug": kind.slug})
    return render(request, "bookings/personal/slots.html", context)


@login_required
@require_POST
def book(request, slug):
    kind = get_object_or_404(AppointmentType.objects.select_related("teacher__user", "offering"), slug=slug)
    back = reverse("bookings:appointment_slots", kwargs={"slug": slug})
    start = None
    try:
        start = appointments.parse_start(request.POST.get("starts_at", ""))
        appointment = appointments.appointment_book(client=request.user, appointment_type=kind, starts_at=start,
                                                    pay_with=request.POST.get("pay_with", ""), code=request.POST.get("code", ""))
    except IntakeMissing as error:
        return to_intake(request, str(error), back)
    except (BookingError, PaymentError) as error:
        if not kind.is_active:
            messages.error(request, str(error))
            return redirect(back)
        return _refused(request, kind, error, start=start, action=reverse("bookings:appointment_book", kwargs={"slug": slug}))
    if appointment.is_pending:
        return send_to_checkout(request, appointment.payment)
    messages.success(request, _("Your session is booked. A confirmation is on its way to your inbox."))
    return redirect("bookings:appointment", pk=appointment.pk)


def _own(request, pk) -> Appointment:
    return get_object_or_404(Appointment.objects.for_listing().select_related("session_note"), pk=pk, client=request.user)


@login_required
def detail(request, pk):
    appointment = _own(request, pk)
    now = timezone.now()
    policy = BookingPolicy.current()
    free_until = free_change_until(appointment, policy)
    return render(request, "bookings/personal/appointment.html", {
        "appointment": appointment, "note": getattr(appointment, "session_note", None), "free_until": free_until,
        "can_change": appointment.is_confirmed and now <= free_until, "is_coming": appointment.starts_at > now,
        "touch": {True: "yes", False: "no", None: ""}[appointment.touch_ok],
        "calendar_ics_url": reverse("bookings:appointment_ics", kwargs={"pk": appointment.pk}),
        "calendar_google_url": calendars.appointment_google_url(appointment),
    })


@login_required
def cancel(request, pk):
    appointment = _own(request, pk)
    if appointment.status not in (Appointment.Status.CONFIRMED, Appointment.Status.PENDING_PAYMENT):
        messages.info(request, _("This session is already cancelled."))
        return redirect("bookings:appointment", pk=pk)
    if request.method == "POST":
        try:
            terms = appointments.appointment_cancel(appointment=appointment, actor=request.user)
        except BookingError as error:
            messages.error(request, str(error))
            return redirect("bookings:appointment", pk=pk)
        if terms.credit_returned:
            messages.success(request, _("Your session is cancelled and it is back in your programme."))
        elif terms.refund_cents:
            messages.success(request, _("Your session is cancelled. Your money is on its way back; it usually arrives within a few days."))
        else:
            messages.success(request, _("Your session is cancelled."))
        return redirect("bookings:my_bookings")
    terms = appointments.cancellation_terms(appointment)
    return render(request, "bookings/personal/appointment_cancel.html", {"appointment": appointment, "terms": terms,
                                                                "policy": BookingPolicy.current()})


@login_required
def move(request, pk):
    appointment = _own(request, pk)
    back = reverse("bookings:appointment_move", kwargs={"pk": pk})
    if request.method == "POST":
        start = None
        try:
            start = appointments.parse_start(request.POST.get("starts_at", ""))
            appointments.appointment_move(appointment=appointment, new_start=start, actor=request.user)
        except BookingError as error:
            if not appointment.is_confirmed:
                messages.error(request, str(error))
                return redirect("bookings:appointment", pk=pk)
            return _refused(request, appointment.appointment_type, error, start=start, action=back, moving=appointment)
        messages.success(request, _("Your session has moved. The new time is in your inbox, with a calendar file."))
        return redirect("bookings:appointment", pk=pk)
    if not appointment.is_confirmed:
        messages.info(request, _("Only a booked session can be moved."))
        return redirect("bookings:appointment", pk=pk)
    context = _slot_context(request, appointment.appointment_type, now=timezone.now(), exclude_id=appointment.pk)
    context.update(action=back, moving=appointment)
    return render(request, "bookings/personal/slots.html", context)


@login_required
@require_POST
def touch(request, pk):
    appointment = _own(request, pk)
    choice = request.POST.get("touch", "")
    try:
        if choice not in TOUCH_CHOICES:
            raise BookingError(_("Please choose one of the options."))
        appointments.touch_set(appointment=appointment, client=request.user, touch_ok=TOUCH_CHOICES[choice])
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. Only the teacher sees your choice; you can change it until the session begins."))
    return redirect("bookings:appointment", pk=pk)
