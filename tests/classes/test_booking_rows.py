"""The timetable as compact booking rows: a date strip, filter chips, and per session its time, class,
teacher, places left, price and a button to book or join the waitlist; a signed-in client sees her own
state ("Geboekt", "Op de wachtlijst") on her rows instead, filled in after the shared page cache."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bookings.group import services as booking_services
from bookings.group import waitlist
from bookings.models import BookingPolicy
from classes import services
from classes.models import Session
from tests.classes.rows import rows, signed_in
from tests.factories import (
    BookingFactory,
    OfferingFactory,
    SessionFactory,
    StyleFactory,
    TeacherFactory,
    UserFactory,
    local,
    programme_run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = local(2026, 11, 24, 12, 0)  # Tuesday noon in Breda
BOOKED, WAITING = ">Geboekt</a>", ">Op de wachtlijst</a>"


@pytest.fixture
def week():
    """Tuesday morning's class (over), this evening's (room), Thursday's (three left), Friday's (one
    left), Saturday's (full) and Sunday's (cancelled)."""
    yin = OfferingFactory(style=StyleFactory(slug="yin"), drop_in_price_cents=1750)
    hatha = OfferingFactory(style=StyleFactory(slug="hatha"), drop_in_price_cents=1600)
    sessions = {
        "morning": SessionFactory(offering=hatha, starts_at=local(2026, 11, 24, 9, 30), capacity=10),
        "evening": SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 19, 30), capacity=12),
        "thursday": SessionFactory(offering=hatha, starts_at=local(2026, 11, 26, 9, 30), capacity=10),
        "friday": SessionFactory(offering=yin, starts_at=local(2026, 11, 27, 19, 30), capacity=8),
        "saturday": SessionFactory(offering=hatha, starts_at=local(2026, 11, 28, 10, 0), capacity=6),
        "sunday": SessionFactory(offering=yin, starts_at=local(2026, 11, 29, 10, 0), capacity=12),
    }
    for name, taken in (("thursday", 7), ("friday", 7), ("saturday", 6)):
        Session.objects.filter(pk=sessions[name].pk).update(places_taken=taken)
    services.session_cancel(sessions["sunday"], reason="Manoek is ziek")
    return sessions


def test_a_row_shows_time_class_teacher_places_price_and_a_book_button(client, week):
    row = rows(client.get("/rooster/").content.decode())[week["evening"].pk]
    assert '<time datetime="2026-11-24T19:30:00+01:00">19:30</time><span class="row-end">–20:45</span>' in row
    assert ">Yin yoga</a>" in row and '<span class="row-who">Manoek</span>' in row
    assert '<span class="places">nog 12 plekken</span>' in row
    assert "€\u00a017,50" in row
    book_url = reverse("bookings:book", args=[week["evening"].pk])
    assert f'<a class="button row-book" href="{book_url}">Boek<span class="visually-hidden"> Yin yoga di 24 nov 19:30</span></a>' in row


def test_the_book_button_leads_to_the_booking_page(client, week, client_user):
    book_url = reverse("bookings:book", args=[week["evening"].pk])
    assert client.get(book_url)["Location"].startswith(reverse("account_login"))  # a visitor logs in first
    page = signed_in(client_user).get(book_url)
    assert page.status_code == 200 and "Yin yoga" in page.content.decode()


@pytest.mark.parametrize(("name", "chip"), [
    ("thursday", '<span class="places places-few">nog 3 plekken</span>'),
    ("friday", '<span class="places places-few">laatste plek</span>'),
    ("saturday", '<span class="places places-full">vol</span>'),
])
def test_the_places_chip_stands_out_as_places_run_out(client, week, name, chip):
    assert chip in rows(client.get("/rooster/").content.decode())[week[name].pk]


def test_a_full_class_offers_the_waitlist_instead_of_booking(client, week):
    row = rows(client.get("/rooster/").content.decode())[week["saturday"].pk]
    book_url = reverse("bookings:book", args=[week["saturday"].pk])
    assert (f'<a class="button button-quiet row-book" href="{book_url}">Wachtlijst'
            '<span class="visually-hidden"> Trauma-bewuste Hatha yoga za 28 nov 10:00</span></a>') in row
    assert ">Boek<" not in row


def test_cancelled_and_past_classes_offer_nothing_to_book(client, week):
    found = rows(client.get("/rooster/").content.decode())
    cancelled, past = found[week["sunday"].pk], found[week["morning"].pk]
    assert '<span class="row-state">Geannuleerd</span>' in cancelled and "Manoek is ziek" in cancelled
    assert '<span class="row-state">Voorbij</span>' in past
    for row in (cancelled, past):
        assert "/boeken/" not in row and "row-book" not in row and 'class="places' not in row


def test_english_rows(client, week):
    found = rows(client.get("/en/timetable/").content.decode())
    assert "12 places free" in found[week["evening"].pk] and "€17.50" in found[week["evening"].pk]
    assert '>Book<span class="visually-hidden"> Yin yoga Tue 24 Nov 19:30</span>' in found[week["evening"].pk]
    assert ">last place<" in found[week["friday"].pk] and ">Waitlist<span" in found[week["saturday"].pk]
    assert ">Cancelled<" in found[week["sunday"].pk] and ">Past<" in found[week["morning"].pk]


def test_a_programme_date_shows_the_programme_price_and_books_the_programme(client, week):
    run = programme_run(starts=local(2026, 11, 25, 19, 0), price_cents=19500)
    date = run.sessions.order_by("starts_at").first()
    row = rows(client.get("/rooster/").content.decode())[date.pk]
    assert "€\u00a0195,00 voor het hele traject" in row
    assert f'href="{reverse("bookings:programme", args=[run.offering.slug])}">Boek' in row
    assert reverse("bookings:book", args=[date.pk]) not in row


def test_signed_in_each_client_sees_her_own_rows_only(week, client_user, other_client, client):
    """Two clients one after the other share the cached page, each with her own marks only."""
    BookingFactory(client=client_user, session=week["evening"])
    waitlist.waitlist_join(client=other_client, session=week["saturday"])

    hers = signed_in(client_user).get("/rooster/")
    his = signed_in(other_client).get("/rooster/")
    again = signed_in(client_user).get("/rooster/")
    assert (hers["X-Page-Cache"], his["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit", "hit")

    for response in (hers, again):
        found = rows(response.content.decode())
        assert f'<a class="mine-chip" href="{reverse("bookings:my_bookings")}">Geboekt</a>' in found[week["evening"].pk]
        assert "row-book" not in found[week["evening"].pk]
        assert ">Wachtlijst<span" in found[week["saturday"].pk] and WAITING not in response.content.decode()
        assert response.content.decode().count(BOOKED) == 1
    found = rows(his.content.decode())
    assert WAITING in found[week["saturday"].pk] and ">Wachtlijst<" not in found[week["saturday"].pk]
    assert BOOKED not in his.content.decode() and ">Boek<span" in found[week["evening"].pk]

    anonymous = client.get("/rooster/").content.decode()
    assert "<!--mine" not in anonymous and BOOKED not in anonymous and WAITING not in anonymous
    for response in (hers, his, again):
        assert "<!--mine" not in response.content.decode()


def test_her_rows_on_the_offering_teacher_and_home_pages(week, client_user):
    BookingFactory(client=client_user, session=week["evening"])
    browser = signed_in(client_user)
    for url in ("/lessen/yin-yoga/", "/docenten/manoek/", "/"):
        html = browser.get(url).content.decode()
        assert BOOKED in rows(html)[week["evening"].pk], url
        assert ">Boek<span" in rows(html)[week["friday"].pk], url


def test_the_same_rows_with_dutch_dates_on_the_offering_teacher_and_home_pages(client, week):
    for url in ("/lessen/yin-yoga/", "/docenten/manoek/", "/"):
        html = client.get(url).content.decode()
        assert '<span class="row-date">di 24 nov</span>' in rows(html)[week["evening"].pk], url
        assert "row-book" in rows(html)[week["evening"].pk]
        assert week["morning"].pk not in rows(html) and week["sunday"].pk not in rows(html)  # only what is still to come
    english = client.get("/en/classes/yin-yoga/").content.decode()
    assert '<span class="row-date">Tue 24 Nov</span>' in rows(english)[week["evening"].pk]


def test_date_strip_links_each_day_and_marks_today(client, week):
    html = client.get("/rooster/?style=yin").content.decode()
    chips = re.findall(r'<a class="date-chip([^"]*)" href="(#day-\d)"([^>]*)>', html)
    assert [href for _classes, href, _rest in chips] == [f"#day-{n}" for n in range(1, 8)]
    assert [n for n, (classes, _href, rest) in enumerate(chips, 1) if "is-today" in classes and 'aria-current="date"' in rest] == [2]
    for n in range(1, 8):
        assert f'<h2 id="day-{n}">' in html
    assert "dinsdag 24 november" in html  # each chip names its day in full for screen readers
    assert 'href="/rooster/2026-W47/?style=yin" rel="prev"' in html and 'href="/rooster/2026-W49/?style=yin" rel="next"' in html
    next_week = client.get("/rooster/2026-W49/").content.decode()
    assert 'aria-current="date"' not in next_week and 'href="/rooster/">Deze week</a>' in next_week


def chips(html, group):
    block = re.search(rf'aria-labelledby="chips-{group}">(.*?)</div>', html, re.S).group(1)
    return [(label, href.replace("&amp;", "&"), bool(current))
            for href, current, label in re.findall(r'<a class="filter-chip" href="([^"]*)"( aria-current="true")?>([^<]*)</a>', block)]


def test_style_chips_filter_the_week_and_mark_the_chosen_one(client, week):
    TeacherFactory(slug="eva", user=UserFactory(first_name="Eva", last_name="Smit", email="eva@example.nl"))
    html = client.get("/rooster/2026-W48/?style=yin&teacher=manoek").content.decode()
    assert chips(html, "style") == [
        ("Alle", "/rooster/2026-W48/?teacher=manoek", False),
        ("Trauma-bewuste Hatha yoga", "/rooster/2026-W48/?style=hatha&teacher=manoek", False),
        ("Yin yoga", "/rooster/2026-W48/?style=yin&teacher=manoek", True),
    ]
    assert chips(html, "teacher") == [
        ("Alle", "/rooster/2026-W48/?style=yin", False),
        ("Eva", "/rooster/2026-W48/?style=yin&teacher=eva", False),
        ("Manoek", "/rooster/2026-W48/?style=yin&teacher=manoek", True),
    ]
    assert set(rows(html)) == {week["evening"].pk, week["friday"].pk, week["sunday"].pk}
    everything = client.get("/rooster/2026-W48/").content.decode()
    assert chips(everything, "style")[0] == ("Alle", "/rooster/2026-W48/", True) and len(rows(everything)) == 6
    assert rows(client.get("/rooster/?teacher=eva").content.decode()) == {}


def test_one_teacher_needs_no_teacher_chips(client, week):
    html = client.get("/rooster/").content.decode()
    assert 'aria-labelledby="chips-style"' in html and 'aria-labelledby="chips-teacher"' not in html
    assert 'aria-labelledby="chips-teacher"' in client.get("/rooster/?teacher=manoek").content.decode()  # the chosen one can be undone


@pytest.mark.parametrize("url", [
    "/rooster/?style=onbekend",
    "/rooster/?style=yin&teacher=niemand",
    "/rooster/?teacher=%3Cscript%3E",
    "/rooster/2026-W48/?style=../../etc",
    "/rooster/2026-W99/?style=yin",
    "/rooster/2101-W01/",
])
def test_bad_filters_or_weeks_are_not_found(client, week, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_an_empty_filter_shows_everything(client, week):
    html = client.get("/rooster/?style=&teacher=").content.decode()
    assert len(rows(html)) == 6 and chips(html, "style")[0] == ("Alle", "/rooster/", True)


def test_a_booking_that_fills_a_class_shows_on_the_cached_page_at_once(week, client, other_client):
    """The bench's two-server check counts these chips (bench/two_servers.py): the next answer shows the class full."""
    client.get("/rooster/")
    cached = client.get("/rooster/")
    assert cached["X-Page-Cache"] == "hit" and cached.content.decode().count("places-full") == 1
    booking_services.booking_create(client=other_client, session=week["friday"], pay_with="studio", by_staff=True)
    after = client.get("/rooster/")
    assert after["X-Page-Cache"] == "miss" and after.content.decode().count("places-full") == 2
    assert '<span class="places places-full">vol</span>' in rows(after.content.decode())[week["friday"].pk]


def test_query_counts_anonymous_and_signed_in(week, client_user, django_assert_max_num_queries):
    BookingPolicy.objects.get_or_create(pk=1)
    visitor = Client()
    with django_assert_max_num_queries(5):  # the week's sessions, the styles, the teachers, the closures; the booking rules (then kept)
        assert visitor.get("/rooster/").status_code == 200
    with django_assert_max_num_queries(0):
        assert visitor.get("/rooster/")["X-Page-Cache"] == "hit"
    BookingFactory(client=client_user, session=week["evening"])
    browser = signed_in(client_user)
    with django_assert_max_num_queries(9):  # her account, her role (2), the page's 4 (made once for all clients), her marks (2)
        browser.get("/rooster/")
    with django_assert_max_num_queries(1):  # her account; role and marks kept under her own version
        response = browser.get("/rooster/")
    assert response["X-Page-Cache"] == "hit" and BOOKED in response.content.decode()


def test_a_full_demo_week_stays_under_30_kb(client):
    call_command("demo", stdout=io.StringIO())
    response = client.get("/rooster/")
    size = len(response.content)
    print(f"\ntimetable HTML, demo week: {size} bytes, {len(rows(response.content.decode()))} rows")
    assert len(rows(response.content.decode())) >= 5
    assert size < 30_000


def test_a_busy_week_of_forty_classes_stays_under_30_kb(client):
    offering, teacher = OfferingFactory(style=StyleFactory(slug="yin")), TeacherFactory()
    for index in range(40):
        starts = local(2026, 11, 23, 7, 0) + timedelta(days=index % 7, hours=index // 7 * 2)
        SessionFactory(offering=offering, teacher=teacher, starts_at=starts)
    size = len(client.get("/rooster/").content)
    print(f"\ntimetable HTML, 40 classes: {size} bytes")
    assert size < 30_000
