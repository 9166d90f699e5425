""""Zet in je agenda" per booking: an .ics download of her own class, programme date or one-to-one
session (anyone else's is a 404), a Google Calendar link with the times in UTC, and her private feed
as a webcal:// link beside the copyable address."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from bookings.models import Appointment, Booking, CalendarFeed
from tests.factories import (
    AppointmentTypeFactory,
    BookingFactory,
    OfferingFactory,
    SessionFactory,
    StyleFactory,
    TeacherFactory,
    UserFactory,
    local,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]  # at NOW

NOW = local(2026, 11, 30, 10, 0)
CLASS_START = local(2026, 12, 1, 19, 30)  # a Tuesday evening in winter: 18:30 in UTC
SESSION_START = local(2026, 12, 3, 10, 0)


@pytest.fixture
def hatha_booking(client_user):
    offering = OfferingFactory(style=StyleFactory(slug="hatha"), slug="hatha-agenda")
    session = SessionFactory(offering=offering, starts_at=CLASS_START, ends_at=CLASS_START + timedelta(minutes=75))
    return BookingFactory(client=client_user, session=session)


@pytest.fixture
def one_to_one(client_user):
    kind = AppointmentTypeFactory(teacher=TeacherFactory())
    return Appointment.objects.create(client=client_user, appointment_type=kind, teacher=kind.teacher, starts_at=SESSION_START,
                                      ends_at=SESSION_START + timedelta(hours=1), status="confirmed", paid_with="stripe")


def ics_event(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;") and response["Content-Disposition"].endswith('.ics"')
    [event] = Calendar.from_ical(response.content).events
    return event


def test_her_class_as_an_ics_download_with_its_start_summary_and_place(client, client_user, hatha_booking):
    client.force_login(client_user)
    event = ics_event(client.get(reverse("bookings:booking_ics", kwargs={"pk": hatha_booking.pk})))
    assert event.start == CLASS_START and event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert event["dtstart"].to_ical() == b"20261201T193000"
    assert str(event["summary"]) == "Trauma-bewuste Hatha yoga (Manoek)"
    location = str(event["location"])
    assert settings.STUDIO["name"] in location and hatha_booking.session.room.name in location and settings.STUDIO["street"] in location


def test_the_ics_speaks_her_own_language(client):
    english = UserFactory(email="english@example.nl", language="en")
    offering = OfferingFactory(style=StyleFactory(slug="hatha"), slug="hatha-agenda")
    booking = BookingFactory(client=english, session=SessionFactory(offering=offering, starts_at=CLASS_START,
                                                                    ends_at=CLASS_START + timedelta(minutes=75)))
    client.force_login(english)
    with translation.override("en"):
        event = ics_event(client.get(reverse("bookings:booking_ics", kwargs={"pk": booking.pk})))
    assert str(event["summary"]) == "Trauma-aware Hatha yoga (Manoek)"
    assert "With Manoek Klootwijk" in str(event["description"])


def test_her_one_to_one_as_an_ics_download_at_the_studio(client, client_user, one_to_one):
    client.force_login(client_user)
    event = ics_event(client.get(reverse("bookings:appointment_ics", kwargs={"pk": one_to_one.pk})))
    assert event.start == SESSION_START and event.end == SESSION_START + timedelta(hours=1)
    assert str(event["summary"]).startswith("Energetische Sessie (60 minuten)")
    assert str(event["location"]) == (f"{settings.STUDIO['name']}, {settings.STUDIO['street']}, "
                                      f"{settings.STUDIO['postcode']} {settings.STUDIO['city']}")


def test_another_clients_booking_or_session_is_a_404(client, hatha_booking, one_to_one):
    client.force_login(UserFactory(email="iemand-anders@example.nl"))
    assert client.get(reverse("bookings:booking_ics", kwargs={"pk": hatha_booking.pk})).status_code == 404
    assert client.get(reverse("bookings:appointment_ics", kwargs={"pk": one_to_one.pk})).status_code == 404
    client.logout()
    response = client.get(reverse("bookings:booking_ics", kwargs={"pk": hatha_booking.pk}))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_booking_waiting_for_payment_has_no_calendar_file_yet(client, client_user, hatha_booking):
    Booking.objects.filter(pk=hatha_booking.pk).update(status=Booking.Status.PENDING_PAYMENT)
    client.force_login(client_user)
    assert client.get(reverse("bookings:booking_ics", kwargs={"pk": hatha_booking.pk})).status_code == 404


def google_params(url: str) -> dict:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://calendar.google.com/calendar/render"
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


def test_my_bookings_has_both_calendar_links_for_each_class_and_session(client, client_user, hatha_booking, one_to_one):
    client.force_login(client_user)
    response = client.get(reverse("bookings:my_bookings"))
    html = response.content.decode()
    assert html.count("Zet in je agenda") == 2
    assert reverse("bookings:booking_ics", kwargs={"pk": hatha_booking.pk}) in html
    assert reverse("bookings:appointment_ics", kwargs={"pk": one_to_one.pk}) in html
    [booking] = response.context["upcoming"]
    params = google_params(booking.google_calendar_url)
    assert params["action"] == "TEMPLATE"
    assert params["text"] == "Trauma-bewuste Hatha yoga (Manoek)"
    assert params["dates"] == "20261201T183000Z/20261201T194500Z"  # 19:30-20:45 in Breda is 18:30-19:45 UTC
    assert hatha_booking.session.room.name in params["location"] and settings.STUDIO["street"] in params["location"]
    assert "Met Manoek Klootwijk" in params["details"]
    [appointment] = response.context["appointments"]
    params = google_params(appointment.google_calendar_url)
    assert params["dates"] == "20261203T090000Z/20261203T100000Z"
    assert params["location"].startswith(settings.STUDIO["name"])
    assert booking.google_calendar_url.replace("&", "&amp;") in html


def test_the_google_link_follows_the_pages_language(client, client_user, hatha_booking):
    client.force_login(client_user)
    with translation.override("en"):
        response = client.get(reverse("bookings:my_bookings"))
    [booking] = response.context["upcoming"]
    params = google_params(booking.google_calendar_url)
    assert params["text"] == "Trauma-aware Hatha yoga (Manoek)" and "With Manoek Klootwijk" in params["details"]
    assert "Add to your calendar" in response.content.decode()


def test_a_cancelled_booking_gets_no_calendar_links(client, client_user, hatha_booking):
    Booking.objects.filter(pk=hatha_booking.pk).update(status=Booking.Status.CANCELLED, cancelled_at=NOW)
    client.force_login(client_user)
    response = client.get(reverse("bookings:my_bookings"))
    assert "Zet in je agenda" not in response.content.decode()


def test_the_private_feed_is_a_webcal_link_with_a_copyable_address(client, client_user):
    client.force_login(client_user)
    html = client.get(reverse("bookings:my_bookings")).content.decode()
    feed = CalendarFeed.objects.get(client=client_user)
    path = reverse("bookings:calendar_feed", kwargs={"token": feed.token})
    assert f'href="webcal://testserver{path}"' in html
    assert f'id="feed-url" readonly value="http://testserver{path}"' in html
    assert 'data-copy-from="feed-url"' in html and "Kopieer de link" in html
    assert 'src="/static/js/copy.js" defer' in html


def test_the_booked_one_to_one_page_says_where_and_offers_the_calendar(client, client_user, one_to_one):
    client.force_login(client_user)
    html = client.get(reverse("bookings:appointment", kwargs={"pk": one_to_one.pk})).content.decode()
    assert f"Waar:</strong> {settings.STUDIO['name']}, {settings.STUDIO['street']}, {settings.STUDIO['postcode']} {settings.STUDIO['city']}" in html
    assert reverse("bookings:appointment_ics", kwargs={"pk": one_to_one.pk}) in html and "calendar.google.com" in html


def test_my_bookings_stays_within_its_queries(client, client_user, django_assert_max_num_queries):
    for day in range(4):
        start = CLASS_START + timedelta(days=day)
        BookingFactory(client=client_user, session=SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1)))
    kind = AppointmentTypeFactory(teacher=TeacherFactory())
    for day in range(3):
        start = SESSION_START + timedelta(days=day)
        Appointment.objects.create(client=client_user, appointment_type=kind, teacher=kind.teacher, starts_at=start,
                                   ends_at=start + timedelta(hours=1), status="confirmed", paid_with="stripe")
    client.force_login(client_user)
    client.get(reverse("bookings:my_bookings"))  # the feed row is made once
    with django_assert_max_num_queries(11):
        response = client.get(reverse("bookings:my_bookings") + "?fresh=1")
    assert response.content.decode().count("Zet in je agenda") == 7
