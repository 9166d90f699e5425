"""Calendar files of a client's bookings: one booking as an .ics attachment, and the client's
private feed of all their classes. Times are Breda wall-clock with their VTIMEZONE, texts are in
the client's language."""

from datetime import UTC, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from classes.models import STUDIO_TZ

from .models import Appointment, Booking

FEED_DAYS_BACK = 30
PRODID = "-//Studio Tree of Life//Bookings//NL"
CHANGES = Q(events__action__in=["moved", "cancelled", "cancelled_late", "cancelled_by_studio"])


def booking_ics(booking: Booking) -> bytes:
    """One booking as a calendar file to attach to an email (cancelled ones say so)."""
    with translation.override(booking.client.language):
        calendar = _calendar(method="PUBLISH")
        calendar.add_component(booking_event(booking))
        return _finish(calendar, [booking])


def client_feed_ics(client, *, now=None) -> bytes:
    """The client's private feed: confirmed bookings from 30 days back on, and cancelled ones
    (marked cancelled, so calendar apps take them out), and their one-to-one sessions. One query
    for the bookings, one for the one-to-ones."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(client=client, session__starts_at__gte=now - timedelta(days=FEED_DAYS_BACK),
                               status__in=[Booking.Status.CONFIRMED, Booking.Status.CANCELLED])
        .select_related("client", "session__offering", "session__teacher__user", "session__room", "session__closure")
        .order_by("session__starts_at", "pk")
    )
    appointments = list(
        Appointment.objects.filter(client=client, starts_at__gte=now - timedelta(days=FEED_DAYS_BACK),
                                   status__in=[Appointment.Status.CONFIRMED, Appointment.Status.CANCELLED])
        .select_related("client", "appointment_type", "teacher__user").annotate(changes=Count("events", filter=CHANGES))
        .order_by("starts_at", "pk")
    )
    with translation.override(client.language):
        calendar = _calendar()
        calendar.add("x-wr-calname", _("My classes at %(studio)s") % {"studio": settings.STUDIO["name"]})
        calendar.add("x-wr-timezone", str(STUDIO_TZ))
        calendar.add("refresh-interval;value=duration", "PT1H")
        calendar.add("x-published-ttl", "PT1H")
        shown = _one_per_session(bookings)
        for booking in shown:
            calendar.add_component(booking_event(booking, now=now))
        for appointment in appointments:
            calendar.add_component(appointment_event(appointment, now=now, sequence=appointment.changes))
        return _finish(calendar, shown, [(a.starts_at, a.ends_at) for a in appointments])


def _one_per_session(bookings: list[Booking]) -> list[Booking]:
    """Booked again after cancelling: show the place held, not the cancelled booking beside it."""
    chosen: dict[int, Booking] = {}
    for booking in bookings:
        current = chosen.get(booking.session_id)
        if current is None or booking.is_confirmed or (not current.is_confirmed and booking.pk > current.pk):
            chosen[booking.session_id] = booking
    return sorted(chosen.values(), key=lambda b: (b.session.starts_at, b.pk))


def booking_event(booking: Booking, *, now=None) -> Event:
    """A VEVENT for one booking, in the active language."""
    session = booking.session
    cancelled = booking.status == Booking.Status.CANCELLED
    event = Event()
    event.add("uid", f"booking-{booking.pk}@studiotreeoflife")
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, STUDIO_TZ))
    event.add("dtend", timezone.localtime(session.ends_at, STUDIO_TZ))
    event.add("sequence", booking_sequence(booking))
    summary = f"{session.offering.name} ({session.teacher.first_name})"
    if cancelled:
        summary = _("Cancelled: %(class)s") % {"class": summary}
    event.add("summary", summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("location", location(session))
    event.add("description", _description(booking, cancelled))
    event.add("url", settings.SITE_URL + reverse("classes:session", kwargs={"pk": session.pk}))
    return event


def booking_sequence(booking: Booking) -> int:
    """The event's version: one up for each change of the class's time, room or teacher (its
    revision), and one more once the booking is cancelled, so calendar apps replace what they have."""
    return booking.session.revision + (1 if booking.status == Booking.Status.CANCELLED else 0)


def location(session) -> str:
    studio = settings.STUDIO
    address = session.room.address or f"{studio['street']}, {studio['postcode']} {studio['city']}"
    return f"{studio['name']}, {session.room.name}, {address}"


def _description(booking: Booking, cancelled: bool) -> str:
    session = booking.session
    lines = [session.offering.summary, _("With %(teacher)s") % {"teacher": session.teacher.name}]
    if cancelled:
        if booking.cancelled_by_studio:
            lines.append(_("The studio had to cancel this class."))
            if session.cancel_reason_shown:
                lines.append(session.cancel_reason_shown)
        else:
            lines.append(_("You cancelled this booking."))
    elif session.note:
        lines.append(session.note)
    lines.append(_("Your bookings: %(url)s") % {"url": settings.SITE_URL + reverse("bookings:my_bookings")})
    return "\n\n".join(line for line in lines if line)


def _calendar(*, method=None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _finish(calendar: Calendar, bookings: list[Booking], others=()) -> bytes:
    """Add the Europe/Amsterdam VTIMEZONE, covering just the years the events fall in."""
    spans = [(b.session.starts_at, b.session.ends_at) for b in bookings] + list(others)
    if spans:
        first = timezone.localtime(min(start for start, _end in spans), STUDIO_TZ).date()
        last = timezone.localtime(max(end for _start, end in spans), STUDIO_TZ).date()
        calendar.add_missing_timezones(first_date=first.replace(month=1, day=1) - timedelta(days=1),
                                       last_date=last.replace(month=12, day=31) + timedelta(days=1))
    return calendar.to_ical()


# One-to-one sessions and programmes -------------------------------------------------------------


def appointment_event(appointment: Appointment, *, now=None, sequence=0) -> Event:
    """A VEVENT for a one-to-one session. The same UID after a move or cancellation, with a higher
    SEQUENCE, so calendar apps update the event they already have."""
    cancelled = appointment.status == Appointment.Status.CANCELLED
    kind = appointment.appointment_type
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@studiotreeoflife")
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", timezone.localtime(appointment.starts_at, STUDIO_TZ))
    event.add("dtend", timezone.localtime(appointment.ends_at, STUDIO_TZ))
    event.add("sequence", sequence)
    summary = f"{kind.name} ({appointment.teacher.first_name})"
    event.add("summary", _("Cancelled: %(class)s") % {"class": summary} if cancelled else summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("location", studio_location())
    lines = [_("One-to-one session with %(teacher)s") % {"teacher": appointment.teacher.name},
             _("Your bookings: %(url)s") % {"url": settings.SITE_URL + reverse("bookings:my_bookings")}]
    event.add("description", "\n\n".join(lines))
    event.add("url", settings.SITE_URL + reverse("bookings:appointment", kwargs={"pk": appointment.pk}))
    return event


def appointment_ics(appointment: Appointment) -> bytes:
    sequence = appointment.events.filter(action__in=["moved", "cancelled", "cancelled_late", "cancelled_by_studio"]).count()
    with translation.override(appointment.client.language):
        calendar = _calendar(method="PUBLISH")
        calendar.add_component(appointment_event(appointment, sequence=sequence))
        return _finish(calendar, [], [(appointment.starts_at, appointment.ends_at)])


# "Add to my calendar" per booking: a Google Calendar link beside the .ics download ---------------

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"


def google_calendar_url(*, title: str, starts_at, ends_at, details: str, location: str) -> str:
    """A link that opens Google Calendar with the event filled in (times in UTC, as Google wants them)."""
    def utc(moment):
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return GOOGLE_CALENDAR + "?" + urlencode({"action": "TEMPLATE", "text": title, "dates": f"{utc(starts_at)}/{utc(ends_at)}",
                                               "details": details, "location": location})


def booking_google_url(booking: Booking) -> str:
    """For a class or programme date, in the active language (no queries with `for_listing`)."""
    session = booking.session
    details = "\n\n".join([_("With %(teacher)s") % {"teacher": session.teacher.name},
                            _("Your bookings: %(url)s") % {"url": settings.SITE_URL + reverse("bookings:my_bookings")}])
    return google_calendar_url(title=f"{session.offering.name} ({session.teacher.first_name})", starts_at=session.starts_at,
                               ends_at=session.ends_at, details=details, location=location(session))


def appointment_google_url(appointment: Appointment) -> str:
    """For a one-to-one session, in the active language (no queries with `for_listing`)."""
    details = "\n\n".join([_("One-to-one session with %(teacher)s") % {"teacher": appointment.teacher.name},
                            settings.SITE_URL + reverse("bookings:appointment", kwargs={"pk": appointment.pk})])
    return google_calendar_url(title=f"{appointment.appointment_type.name} ({appointment.teacher.first_name})",
                               starts_at=appointment.starts_at, ends_at=appointment.ends_at, details=details,
                               location=studio_location())


def studio_location() -> str:
    studio = settings.STUDIO
    return f"{studio['name']}, {studio['street']}, {studio['postcode']} {studio['city']}"


def bookings_ics(bookings: list[Booking], language: str) -> bytes:
    """Several bookings in one file: every date of a programme followed in a group."""
    with translation.override(language):
        calendar = _calendar(method="PUBLISH")
        for booking in bookings:
            calendar.add_component(booking_event(booking))
        return _finish(calendar, bookings)
