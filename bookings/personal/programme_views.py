"""Programme pages: choosing a group or one-to-one, paying once, the client's journey and cancelling.
Parse, call, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.models import AppointmentType, Offering, ProgrammeRun, Session

from ..errors import BookingError, IntakeMissing, PaymentError
from ..intake.handoff import to_intake
from ..intake.services import intake_on_file
from ..models import BookingPolicy, ProgrammeEnrolment
from ..payments.handoff import send_to_checkout
from . import journeys, programmes


def _open_runs(offering, now):
    dates = Session.objects.scheduled().select_related("room").order_by("starts_at")
    runs = (ProgrammeRun.objects.filter(offering=offering, is_open=True).select_related("teacher__user", "room")
            .annotate(first_start=Min("sessions__starts_at")).filter(first_start__gt=now).order_by("first_start")
            .prefetch_related(Prefetch("sessions", queryset=dates, to_attr="dates")))
    shown = []
    for run in runs:
        if run.dates:
            run.places_left = min(max(session.capacity - session.places_taken, 0) for session in run.dates)
            shown.append(run)
    return shown


def programme(request, slug):
    offering = get_object_or_404(Offering.objects.shown().select_related("style"), slug=slug, kind=Offering.Kind.PROGRAMME)
    now = timezone.now()
    kinds = [kind for kind in AppointmentType.objects.filter(offering=offering, is_active=True).select_related("teacher__user", "offering")
             if kind.offers_programme]
    mine = []
    if request.user.is_authenticated:
        mine = list(ProgrammeEnrolment.objects.filter(client=request.user, offering=offering, status=ProgrammeEnrolment.Status.ACTIVE))
    return render(request, "bookings/personal/programme.html", {
        "offering": offering, "runs": _open_runs(offering, now), "kinds": kinds, "mine": mine, "policy": BookingPolicy.current(),
        "intake_ok": request.user.is_authenticated and intake_on_file(client=request.user),
    })


@login_required
@require_POST
def join_group(request, pk):
    run = get_object_or_404(ProgrammeRun.objects.select_related("offering"), pk=pk)
    back = reverse("bookings:programme", kwargs={"slug": run.offering.slug})
    try:
        enrolment = programmes.group_enrol(client=request.user, run=run, code=request.POST.get("code", ""))
    except IntakeMissing as error:
        return to_intake(request, str(error), back)
    except (BookingError, PaymentError) as error:
        messages.error(request, str(error))
        return redirect(back)
    return send_to_checkout(request, enrolment.payment)


@login_required
@require_POST
def buy_individual(request, pk):
    kind = get_object_or_404(AppointmentType.objects.select_related("offering"), pk=pk)
    try:
        enrolment = programmes.individual_buy(client=request.user, appointment_type=kind, code=request.POST.get("code", ""))
    except (BookingError, PaymentError) as error:
        messages.error(request, str(error))
        return redirect("bookings:one_to_one")
    return send_to_checkout(request, enrolment.payment)


@login_required
def journey(request, pk):
    now = timezone.now()
    found = journeys.client_journey(client=request.user, pk=pk, now=now)
    if found is None:
        raise Http404("not your programme")
    enrolment = found.enrolment
    return render(request, "bookings/personal/journey.html", {
        "journey": found, "enrolment": enrolment, "now": now,
        "follow_ups": journeys.follow_ups(enrolment.offering, now=now) if found.is_complete else [],
        "can_cancel": enrolment.is_active and programmes.cancellation_terms(enrolment, now=now).allowed,
        "intake_ok": intake_on_file(client=request.user),
    })


@login_required
def cancel(request, pk):
    enrolment = get_object_or_404(ProgrammeEnrolment.objects.select_related("offering", "payment"), pk=pk, client=request.user)
    if request.method == "POST":
        try:
            terms = programmes.enrolment_cancel(enrolment=enrolment, actor=request.user)
        except BookingError as error:
            messages.error(request, str(error))
            return redirect("bookings:journey", pk=pk)
        messages.success(request, _("Your programme is cancelled. Your money is on its way back; it usually arrives within a few days.")
                         if terms.refund_cents else _("Your programme is cancelled and its dates are free for someone else."))
        return redirect("bookings:my_bookings")
    terms = programmes.cancellation_terms(enrolment) if enrolment.is_active else None
    return render(request, "bookings/personal/programme_cancel.html", {"enrolment": enrolment, "terms": terms, "policy": BookingPolicy.current()})
