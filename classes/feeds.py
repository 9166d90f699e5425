"""A public iCalendar feed of the timetable that calendar apps can subscribe to."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from .models import STUDIO_TZ, Session, Style

FEED_WEEKS = 12


def timetable_ics(request, style=None):
    language = request.GET.get("lang", "nl")
    if language not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    sessions = Session.objects.shown().for_listing()
    title = "Studio Tree of Life"
    with translation.override(language):
        if style is not None:
            style_obj = Style.objects.filter(slug=style).first()
            if style_obj is None:
                raise Http404("unknown style")
            sessions = sessions.filter(offering__style=style_obj)
            title = f"{title}: {style_obj.name}"
        now = timezone.now()
        sessions = sessions.filter(starts_at__gte=now - timedelta(days=14), starts_at__lt=now + timedelta(weeks=FEED_WEEKS))
        calendar = timetable_calendar(sessions.order_by("starts_at"), title=title)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="studio-tree-of-life.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def timetable_calendar(sessions, *, title: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Studio Tree of Life//Timetable//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", str(STUDIO_TZ))
    calendar.add("refresh-interval;value=duration", "PT6H")
    for session in sessions:
        calendar.add_component(session_event(session))
    calendar.add_missing_timezones()
    return calendar


def session_event(session) -> Event:
    studio = settings.STUDIO
    event = Event()
    event.add("uid", f"session-{session.pk}@studiotreeoflife")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, STUDIO_TZ))
    event.add("dtend", timezone.localtime(session.ends_at, STUDIO_TZ))
    summary = f"{session.offering.name} ({session.teacher.first_name})"
    if session.is_cancelled:
        summary = f"[{translation.gettext('Cancelled')}] {summary}"
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    event.add("summary", summary)
    event.add("location", f"{studio['name']}, {session.room.name}, {studio['street']}, {studio['postcode']} {studio['city']}")
    description = session.offering.summary
    if session.note:
        description += f"\n\n{session.note}"
    if session.is_cancelled and session.cancel_reason_shown:
        description += f"\n\n{session.cancel_reason_shown}"
    event.add("description", description)
    event.add("url", settings.SITE_URL + session.get_absolute_url())
    return event
