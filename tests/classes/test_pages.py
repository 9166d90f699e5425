"""Public timetable pages, their query counts, the iCalendar feed and structured data."""

import json
import re
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from bookings.models import BookingPolicy
from classes import services
from classes.models import STUDIO_TZ, Session
from tests.factories import (
    ClosureFactory,
    OfferingFactory,
    RoomFactory,
    SessionFactory,
    StyleFactory,
    TeacherFactory,
    WeeklySlotFactory,
    local,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=STUDIO_TZ)  # Monday morning


@pytest.fixture
def week(frozen):
    yin = OfferingFactory(style=StyleFactory(slug="yin"))
    hatha = OfferingFactory(style=StyleFactory(slug="hatha"))
    sessions = [
        SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 19, 30), ends_at=local(2026, 11, 24, 20, 45), capacity=12),
        SessionFactory(offering=hatha, starts_at=local(2026, 11, 26, 9, 30), ends_at=local(2026, 11, 26, 10, 45), capacity=10),
        SessionFactory(offering=hatha, starts_at=local(2026, 11, 27, 19, 30), ends_at=local(2026, 11, 27, 20, 45), capacity=6),
    ]
    Session.objects.filter(pk=sessions[1].pk).update(places_taken=8)
    Session.objects.filter(pk=sessions[2].pk).update(places_taken=6)
    return {"yin": yin, "hatha": hatha, "sessions": sessions}


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_timetable_shows_the_week_with_places_left(client, week):
    response = client.get("/rooster/")
    assert response.status_code == 200
    html = text(response)
    assert "Week van 23 november tot en met 29 november 2026" in html
    assert "nog 12 plekken" in html and "nog 2 plekken" in html
    assert ">vol</span>" in html and ">Wachtlijst<" in html
    assert 'class="day is-today' in html
    assert html.count("session-row") == 3


def test_timetable_in_english(client, week):
    html = text(client.get("/en/timetable/"))
    assert "Week of 23 November to 29 November 2026" in html
    assert "12 places free" in html and "2 places free" in html and ">full</span>" in html and ">Waitlist<" in html


def test_cancelled_session_shows_its_reason(client, week):
    services.session_cancel(week["sessions"][0], reason="Manoek is ziek")
    html = text(client.get("/rooster/"))
    assert '<p class="row-meta">Manoek is ziek</p>' in html and '<span class="row-state">Geannuleerd</span>' in html


def test_previous_and_next_week(client, week):
    html = text(client.get("/rooster/"))
    assert 'href="/rooster/2026-W47/"' in html and 'href="/rooster/2026-W49/"' in html
    next_week = text(client.get("/rooster/2026-W49/"))
    assert "Week van 30 november tot en met 6 december 2026" in next_week
    assert "session-row" not in next_week


def test_filter_by_style_and_teacher(client, week):
    html = text(client.get("/rooster/?style=yin"))
    assert html.count("session-row") == 1
    assert 'href="/rooster/2026-W49/?style=yin"' in html
    assert text(client.get("/rooster/?teacher=manoek")).count("session-row") == 3


@pytest.mark.parametrize("url", [
    "/rooster/?style=onbekend",
    "/rooster/?teacher=niemand",
    "/rooster/2026-W54/",
    "/rooster/2026-W00/",
    "/rooster/1999-W10/",
    "/rooster/week-twaalf/",
    "/rooster/les/999999/",
    "/lessen/bestaat-niet/",
    "/docenten/niemand/",
    "/timetable/onbekend.ics",
    "/timetable.ics?lang=fr",
])
def test_unknown_week_style_or_object_is_a_404(client, week, url):
    assert client.get(url).status_code == 404


def test_closure_is_announced_in_its_week(client, week):
    ClosureFactory(starts_on=date(2026, 11, 28), ends_on=date(2026, 11, 29), reason_nl="Studio-onderhoud", reason_en="Maintenance")
    assert "De studio is gesloten van 28 november tot en met 29 november: Studio-onderhoud" in text(client.get("/rooster/"))
    assert "The studio is closed from 28 November to 29 November: Maintenance" in text(client.get("/en/timetable/"))


def test_hidden_offerings_are_not_shown(client, week):
    week["hatha"].is_shown = False
    week["hatha"].save()
    assert text(client.get("/rooster/")).count("session-row") == 1
    assert client.get(week["sessions"][1].get_absolute_url()).status_code == 404
    assert client.get("/lessen/hatha-yoga/").status_code == 404


def test_offering_page(client, week):
    html = text(client.get("/lessen/yin-yoga/"))
    assert "<h1>Yin yoga</h1>" in html
    assert "Wat je kunt verwachten" in html and "Je mag altijd rusten" in html
    assert "€ 17,50" in html  # the no-break space is normalised by text()
    assert "di 24 nov" in html
    english = text(client.get("/en/classes/yin-yoga/"))
    assert "What to expect" in english and "You may always rest" in english


def test_session_page_with_event_json_ld(client, week):
    session = week["sessions"][0]
    response = client.get(f"/rooster/les/{session.pk}/")
    html = response.content.decode()
    assert "dinsdag 24 november 2026, 19:30" in text(response)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2026-11-24T19:30:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["offers"] == {"@type": "Offer", "price": "17.50", "priceCurrency": "EUR",
                              "url": f"http://127.0.0.1:8000/rooster/les/{session.pk}/", "availability": "https://schema.org/InStock"}
    assert data["location"]["address"]["addressLocality"] == "Breda"


def test_json_ld_cannot_break_out_of_its_script(client, week):
    week["yin"].summary_nl = "</script><script>alert(1)</script>"
    week["yin"].save()
    html = client.get(week["sessions"][0].get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_teacher_page(client, week):
    html = text(client.get("/docenten/manoek/"))
    assert "Manoek Klootwijk" in html and "Eerstvolgende lessen met Manoek" in html


def test_home_shows_the_next_sessions(client, week):
    html = text(client.get("/"))
    assert html.count("session-row") == 3
    assert "Bekijk het hele rooster" in html


def test_sitemap_lists_sessions_offerings_and_teachers(client, week):
    xml = client.get("/sitemap.xml").content.decode()
    for session in week["sessions"]:
        assert f"/rooster/les/{session.pk}/</loc>" in xml and f"/en/timetable/session/{session.pk}/</loc>" in xml
    assert "/lessen/yin-yoga/</loc>" in xml and "/docenten/manoek/</loc>" in xml


def test_icalendar_feed_matches_the_sessions(client, week):
    response = client.get("/timetable.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 3
    for event, session in zip(events, week["sessions"], strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start == session.starts_at and end == session.ends_at
        assert str(start.tzinfo) == "Europe/Amsterdam"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    yin_only = Calendar.from_ical(client.get("/timetable/yin.ics").content)
    assert [str(e["summary"]) for e in yin_only.walk("VEVENT")] == ["Yin yoga (Manoek)"]


def test_icalendar_feed_marks_cancelled_sessions(client, week):
    services.session_cancel(week["sessions"][0], reason="Ziek")
    event = next(e for e in Calendar.from_ical(client.get("/timetable.ics").content).walk("VEVENT")
                 if e["uid"] == f"session-{week['sessions'][0].pk}@studiotreeoflife")
    assert event["status"] == "CANCELLED"


def make_sessions(count):
    offering = OfferingFactory(style=StyleFactory(slug="yin"))
    room = RoomFactory()
    teacher = TeacherFactory()
    monday = local(2026, 11, 23, 7, 0)
    for index in range(count):
        starts = monday + timedelta(days=index % 7, minutes=30 * (index // 7))
        SessionFactory(offering=offering, room=room, teacher=teacher, starts_at=starts, ends_at=starts + timedelta(minutes=25))


@pytest.mark.parametrize("url", ["/rooster/", "/lessen/yin-yoga/", "/"])
def test_query_count_does_not_grow_with_the_sessions_shown(client, frozen, url, django_assert_max_num_queries):
    BookingPolicy.current()  # the booking rules the rows read, made once and kept in the cache as on a running site
    make_sessions(3)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    make_sessions(57)  # 60 in all, same week
    with django_assert_max_num_queries(12) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_generated_demo_week_renders_in_both_languages(client, frozen):
    WeeklySlotFactory(weekday=0, start_time=time(19, 30), valid_from=date(2026, 1, 1))
    services.timetable_generate(today=date(2026, 11, 23), weeks=2)
    assert "session-row" in text(client.get("/rooster/"))
    assert "session-row" in text(client.get("/en/timetable/"))
