"""The client's own overview, "My bookings", gathered from every purpose (classes, cards, payments,
one-to-ones and programmes), and her private calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import calendars
from .group import selectors
from .models import BookingPolicy, CalendarFeed
from .personal import journeys


@login_required
def my_bookings(request):
    context = selectors.my_bookings(client=request.user)
    context.update(journeys.my_personal(client=request.user))
    feed, _created = CalendarFeed.objects.get_or_create(client=request.user)
    context["feed_url"] = request.build_absolute_uri(feed_path(feed))
    context["policy"] = BookingPolicy.current()
    return render(request, "bookings/my_bookings.html", context)


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
