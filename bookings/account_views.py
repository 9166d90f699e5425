"""The client's own overview, "My bookings", gathered from every purpose (classes, cards, payments,
one-to-ones and programmes), and her private calendar feed."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pagecache import cached_per_person

from . import calendars
from .group import selectors
from .models import BookingPolicy, CalendarFeed
from .personal import journeys


@login_required
@cached_per_person
def my_bookings(request):
    now = timezone.now()
    context = selectors.my_bookings(client=request.user, now=now)
    context.update(journeys.my_personal(client=request.user, now=now))
    feed, _created = CalendarFeed.objects.get_or_create(client=request.user)
    context["feed_url"] = request.build_absolute_uri(feed_path(feed))
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


def feed_path(feed):
    return reverse("bookings:calendar_feed", kwargs={"token": feed.token})


def calendar_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("client"), token=token)
    response = HttpResponse(calendars.client_feed_ics(feed.client), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def calendar_reset(request):
    feed, _created = CalendarFeed.objects.get_or_create(client=request.user)
    feed.reset()
    messages.success(request, _("Your calendar link has been renewed. The old link no longer works; add the new one to your calendar."))
    return redirect("bookings:my_bookings")
