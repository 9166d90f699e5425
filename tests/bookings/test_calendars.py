"""Calendar files: one booking as .ics, and a client's private feed of their own bookings."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from bookings import calendars
from bookings.models import Booking
from tests.factories import BookingFactory, SessionFactory, UserFactory, local

pytestmark = pytest.mark.django_db

NOW = local(2027, 3, 1, 10, 0)
CLASS_START = local(2027, 3, 2, 19, 30)


def session_at(start):
    return SessionFactory(starts_at=start, ends_at=start + timedelta(minutes=75))


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def uids(calendar):
    return {str(event["uid"]) for event in calendar.events}


def test_booking_ics_is_one_event_in_breda_time(client_user):
    booking = BookingFactory(client=client_user, session=session_at(CLASS_START))
    calendar = parse(calendars.booking_ics(booking))
    assert str(calendar["method"]) == "PUBLISH"
    [event] = calendar.events
    assert str(event["uid"]) == f"booking-{booking.pk}@studiotreeoflife"
    assert event.start == CLASS_START and event.end == CLASS_START + timedelta(minutes=75)
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["summary"]) == "Yin yoga (Manoek)"
    assert settings.STUDIO["name"] in str(event["location"]) and "Ginnekenweg 100" in str(event["location"])
    with translation.override("nl"):
        assert str(event["url"]) == settings.SITE_URL + reverse("classes:session", kwargs={"pk": booking.session_id})


def test_booking_ics_speaks_the_clients_language():
    english = UserFactory(language="en")
    booking = BookingFactory(client=english, session=session_at(CLASS_START))
    event = parse(calendars.booking_ics(booking)).events[0]
    assert str(event["url"]).startswith(settings.SITE_URL + "/en/")
    assert "Calm and gentle." in str(event["description"])
    assert "With Manoek Klootwijk" in str(event["description"])


def test_a_cancelled_booking_is_marked_cancelled(client_user):
    booking = BookingFactory(client=client_user, session=session_at(CLASS_START), status=Booking.Status.CANCELLED,
                             cancelled_at=NOW)
    event = parse(calendars.booking_ics(booking)).events[0]
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1


@pytest.mark.parametrize("start", [local(2027, 3, 28, 19, 30), local(2027, 10, 31, 19, 30), local(2027, 7, 6, 9, 0)])
def test_booking_ics_keeps_the_wall_clock_time_across_dst(client_user, start):
    booking = BookingFactory(client=client_user, session=session_at(start))
    data = calendars.booking_ics(booking)
    assert f"DTSTART;TZID=Europe/Amsterdam:{start:%Y%m%dT%H%M}00".encode() in data
    assert parse(data).events[0].start == start


def test_feed_has_exactly_the_clients_own_bookings(client_user, other_client, django_assert_num_queries):
    now = NOW
    mine = BookingFactory(client=client_user, session=session_at(CLASS_START))
    recent = BookingFactory(client=client_user, session=session_at(NOW - timedelta(days=10)))
    cancelled = BookingFactory(client=client_user, session=session_at(CLASS_START + timedelta(days=7)),
                               status=Booking.Status.CANCELLED, cancelled_at=NOW)
    too_old = BookingFactory(client=client_user, session=session_at(NOW - timedelta(days=40)))
    released = BookingFactory(client=client_user, session=session_at(CLASS_START + timedelta(days=14)), status=Booking.Status.RELEASED)
    theirs = BookingFactory(client=other_client, session=mine.session)
    with django_assert_num_queries(2):
        data = calendars.client_feed_ics(client_user, now=now)
    calendar = parse(data)
    assert uids(calendar) == {f"booking-{b.pk}@studiotreeoflife" for b in (mine, recent, cancelled)}
    assert f"booking-{theirs.pk}@studiotreeoflife" not in uids(calendar)
    assert too_old.pk and released.pk
    status = {str(e["uid"]): str(e["status"]) for e in calendar.events}
    assert status[f"booking-{cancelled.pk}@studiotreeoflife"] == "CANCELLED"
    assert status[f"booking-{mine.pk}@studiotreeoflife"] == "CONFIRMED"
    assert "Studio Tree of Life" in str(calendar["x-wr-calname"])


def test_feed_shows_the_place_held_not_the_cancelled_booking_before_it(client_user):
    session = session_at(CLASS_START)
    first = BookingFactory(client=client_user, session=session, status=Booking.Status.CANCELLED, cancelled_at=NOW)
    again = BookingFactory(client=client_user, session=session)
    calendar = parse(calendars.client_feed_ics(client_user, now=NOW))
    assert uids(calendar) == {f"booking-{again.pk}@studiotreeoflife"}
    assert first.pk != again.pk


def test_an_empty_feed_is_still_a_valid_calendar(client_user):
    calendar = parse(calendars.client_feed_ics(client_user, now=NOW))
    assert calendar.events == []
