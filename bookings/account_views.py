"""The client's own overview, "My bookings", gathered from every purpose (classes, cards, payments,
one-to-ones and programmes), and her private calendar feed."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pagecache import cached_per_person

from . import calendars
from .group import selectors
from .models import Appointment, Booking, BookingPolicy, CalendarFeed
from .personal import journeys


@login_required
@cached_per_person
def my_bookings(request):
    now = timezone.now()
    context = selectors.my_bookings(client=request.user, now=now)
    context.update(journeys.my_personal(client=request.user, now=now))
    feed, _created = CalendarFeed.objects.get_or_create(client=request.user)
    context["feed_url"] = request.build_absolute_uri(feed_path(feed))
    context["feed_webcal_url"] = webcal(context["feed_url"])
    for booking in context["upcoming"]:
        if booking.status == Booking.Status.CONFIRMED and not booking.session.is_cancelled:
            booking.google_calendar_url = calendars.booking_google_url(booking)
    for appointment in context["appointments"]:
        if appointment.is_confirmed:
            appointment.google_calendar_url = calendars.appointment_google_url(appointment)
    context["policy"] = BookingPolicy.current()
    response = render(request, "bookings/my_bookings.html", context)
    response.valid_until = next_change(context, now)
    return response


def next_change(context, now):
    """The first moment from `now` at which this page would read differently with no row changed:
    a class or session starting (it moves to the past, a programme step to "to be marked"), free
    cancelling ending, a held place running out, a card expiring. None when nothing on it waits
    for the clock. Keep it in step with what my_bookings.html compares with the time."""
    moments = []
    for booking in context["upcoming"]:
        moments += [booking.session.starts_at, getattr(booking, "free_until", None), booking.hold_expires_at]
    moments += [entry.session.starts_at for entry in context["waiting"]]
    moments += [card.expires_at for card in context["cards"]]
    for appointment in context["appointments"]:
        moments += [appointment.starts_at, appointment.hold_expires_at]
    for journey in context["journeys"]:
        moments += [step.starts_at for step in journey.steps]
    ahead = [moment for moment in moments if moment is not None and moment >= now]
    return min(ahead, default=now + timedelta(days=365))


def webcal(url: str) -> str:
    """The feed's address for calendar apps: webcal:// subscribes where https:// would download once."""
    return "webcal://" + url.split("://", 1)[-1]


def feed_path(feed):
    return reverse("bookings:calendar_feed", kwargs={"token": feed.token})


def calendar_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("client"), token=token)
    response = HttpResponse(calendars.client_feed_ics(feed.client), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


def _ics_download(content: bytes, name: str, starts_at) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "studio"}-{timezone.localtime(starts_at):%Y-%m-%d}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def booking_ics(request, pk):
    """One of her own classes or programme dates as a calendar file (another's: 404)."""
    booking = get_object_or_404(Booking.objects.select_related("client", "session__offering", "session__teacher__user",
                                                               "session__room", "session__closure"),
                                pk=pk, client=request.user, status__in=[Booking.Status.CONFIRMED, Booking.Status.CANCELLED])
    return _ics_download(calendars.booking_ics(booking), booking.session.offering.name, booking.session.starts_at)


@login_required
def appointment_ics(request, pk):
    """One of her own one-to-one sessions as a calendar file (another's: 404)."""
    appointment = get_object_or_404(Appointment.objects.select_related("client", "appointment_type", "teacher__user"),
                                    pk=pk, client=request.user, status__in=[Appointment.Status.CONFIRMED, Appointment.Status.CANCELLED])
    return _ics_download(calendars.appointment_ics(appointment), appointment.appointment_type.name, appointment.starts_at)


@login_required
@require_POST
def calendar_reset(request):
    feed, _created = CalendarFeed.objects.get_or_create(client=request.user)
    feed.reset()
    messages.success(request, _("Your calendar link has been renewed. The old link no longer works; add the new one to your calendar."))
    return redirect("bookings:my_bookings")
