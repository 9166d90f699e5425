"""What a booking row and a session's page offer at each moment, and at what price.

A row offers "Boek" (or "Wachtlijst") only while the class can be booked online: until the studio's
closing time before the start (bookings.policy), and for a programme date only while its group is open
and has not begun. Otherwise it says why ("Boeken gesloten", "Begonnen", "Traject loopt al", "Voorbij")
and shows no places chip. The price is what is charged: a programme date's group price, else the drop-in
price, on the row, the session page and in its search-engine data alike. A signed-in client's copy of a
shared page carries her own marks, only where the page put them, and is private to her."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from bookings.group import waitlist
from classes import booking_window, services
from classes.models import ProgrammeRun, Session
from tests.classes.rows import rows, signed_in
from tests.factories import (
    BookingFactory,
    OfferingFactory,
    SessionFactory,
    StyleFactory,
    local,
    programme_offering,
    programme_run,
)

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 24, 12, 0)  # Tuesday noon in Breda
BOOKED = ">Geboekt</a>"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def yin(db):
    return OfferingFactory(style=StyleFactory(slug="yin"), drop_in_price_cents=1750)


def assert_nothing_to_book(row):
    assert "row-book" not in row and 'class="places' not in row and "/boeken/" not in row and "/traject/" not in row


# Closing and started -------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen", "rules")
def test_a_class_in_progress_says_begonnen_not_voorbij(client, yin):
    now_on = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 11, 30))  # 11:30-12:45
    row = rows(client.get("/rooster/").content.decode())[now_on.pk]
    assert '<span class="row-state">Begonnen</span>' in row and "Voorbij" not in row
    assert_nothing_to_book(row)
    page = client.get(now_on.get_absolute_url()).content.decode()
    assert "Deze les is al begonnen." in page and "Boek deze les" not in page and reverse("bookings:book", args=[now_on.pk]) not in page


@pytest.mark.usefixtures("frozen", "rules")
def test_a_row_offers_booking_only_until_online_booking_closes(client, yin):
    soon = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 12, 20))  # closed at 11:50
    full_soon = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 12, 25), capacity=1)
    Session.objects.filter(pk=full_soon.pk).update(places_taken=1)
    later = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 12, 45))  # closes at 12:15
    found = rows(client.get("/rooster/").content.decode())
    for closed in (soon, full_soon):  # no waitlist either: it could never give a place in time
        assert '<span class="row-state">Boeken gesloten</span>' in found[closed.pk]
        assert_nothing_to_book(found[closed.pk])
    assert '>Boek<span class="visually-hidden">' in found[later.pk] and 'class="places' in found[later.pk]
    page = client.get(soon.get_absolute_url()).content.decode()
    assert "Online boeken voor deze les is gesloten." in page and "Boek deze les" not in page


@pytest.mark.usefixtures("frozen")
def test_a_new_closing_rule_shows_on_the_cached_rows_at_once(client, yin, rules):
    later = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 12, 45))
    client.get("/rooster/")
    assert "row-book" in rows(client.get("/rooster/").content.decode())[later.pk]
    rules.booking_closes_minutes = 60
    rules.save()
    response = client.get("/rooster/")
    assert response["X-Page-Cache"] == "miss"
    assert '<span class="row-state">Boeken gesloten</span>' in rows(response.content.decode())[later.pk]


@pytest.mark.usefixtures("rules")
def test_a_kept_copy_of_the_timetable_never_offers_booking_past_the_closing_minute(client, yin):
    """The shared copy is kept per minute (core.pagecache): drawn at 11:59:30 it says "Boek" for the class
    of 12:30, and from 12:00:00, when online booking closes, the page says so."""
    class_at = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 12, 30))
    with time_machine.travel(local(2026, 11, 24, 11, 59) + timedelta(seconds=30), tick=False):
        assert "row-book" in rows(client.get("/rooster/").content.decode())[class_at.pk]
    with time_machine.travel(local(2026, 11, 24, 11, 59) + timedelta(seconds=59), tick=False):
        kept = client.get("/rooster/")
        assert kept["X-Page-Cache"] == "hit" and "row-book" in rows(kept.content.decode())[class_at.pk]
    with time_machine.travel(local(2026, 11, 24, 12, 0), tick=False):
        response = client.get("/rooster/")
        assert response["X-Page-Cache"] == "miss"
        assert '<span class="row-state">Boeken gesloten</span>' in rows(response.content.decode())[class_at.pk]
        assert client.get(class_at.get_absolute_url()).content.decode().count("Boek deze les") == 0


@pytest.mark.usefixtures("frozen", "rules")
def test_she_still_sees_her_own_place_on_a_closed_or_started_row(yin, client_user):
    started = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 11, 30))
    soon = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 12, 20))
    for session in (started, soon):
        BookingFactory(client=client_user, session=session)
    found = rows(signed_in(client_user).get("/rooster/").content.decode())
    for session in (started, soon):
        assert BOOKED in found[session.pk] and "row-state" not in found[session.pk]


@pytest.mark.usefixtures("frozen", "rules")
def test_the_rules_are_read_once_for_a_whole_page_of_rows(client, yin, monkeypatch):
    for day in range(24, 30):
        SessionFactory(offering=yin, starts_at=local(2026, 11, day, 19, 30))
    reads = []
    reader = booking_window._reader
    monkeypatch.setattr(booking_window, "_reader", lambda: reads.append(1) or reader())
    client.get("/rooster/")
    assert len(reads) == 1
    client.get("/rooster/2026-W40/")  # a week long gone: no row needs the rule
    assert len(reads) == 1


# Programme dates -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen", "rules")
def test_a_programme_date_is_bookable_only_while_its_group_is_open_and_to_come(client):
    open_run = programme_run(starts=local(2026, 11, 26, 19, 0), price_cents=19500)
    under_way = programme_run(starts=local(2026, 11, 23, 10, 0), price_cents=19500, teacher=open_run.teacher)  # Monday: begun
    closed_run = programme_run(starts=local(2026, 11, 25, 10, 0), price_cents=19500, teacher=open_run.teacher)
    ProgrammeRun.objects.filter(pk=closed_run.pk).update(is_open=False)
    services.session_cancel(closed_run.sessions.earliest("starts_at"), reason="Vervalt")  # any save bumps the cached pages
    almost = programme_run(starts=local(2026, 11, 24, 12, 20), price_cents=19500, teacher=open_run.teacher)  # closes at 11:50

    week = rows(client.get("/rooster/").content.decode()) | rows(client.get("/rooster/2026-W49/").content.decode())
    for date in open_run.sessions.filter(starts_at__lt=local(2026, 12, 7, 0, 0)):
        assert f'href="{reverse("bookings:programme", args=["tre-traject"])}">Boek' in week[date.pk]
    for run, state in ((under_way, "Traject loopt al"), (closed_run, "Boeken gesloten"), (almost, "Boeken gesloten")):
        for date in run.sessions.scheduled().filter(starts_at__gt=NOW, starts_at__lt=local(2026, 12, 7, 0, 0)):
            assert f'<span class="row-state">{state}</span>' in week[date.pk], (run.pk, date.starts_at)
            assert_nothing_to_book(week[date.pk])
            assert "195,00" not in week[date.pk]
    later_date = under_way.sessions.order_by("starts_at")[1]
    page = text(client.get(later_date.get_absolute_url()).content.decode())
    assert "Deze trajectgroep is al begonnen, dus boeken kan niet meer." in page
    assert "Boek dit traject" not in page


# Prices --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen", "rules")
def test_a_programme_date_costs_its_groups_price_on_the_row_the_page_and_for_search_engines(client):
    programme_offering(drop_in_price_cents=99900)
    run = programme_run(starts=local(2026, 11, 26, 19, 0), price_cents=18000)
    date = run.sessions.earliest("starts_at")
    assert "€\u00a0180,00 voor het hele traject" in rows(client.get("/rooster/").content.decode())[date.pk]
    html = client.get(date.get_absolute_url()).content.decode()
    assert "<dt>Prijs (3 sessies)</dt><dd>€\u00a0180,00 <span class=\"vat-note\">incl. btw</span> · voor het hele traject</dd>" in html
    assert "999,00" not in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["offers"]["price"] == "180.00"


@pytest.mark.usefixtures("frozen", "rules")
def test_a_drop_in_costs_the_drop_in_price_with_its_vat(client, yin):
    session = SessionFactory(offering=yin, starts_at=local(2026, 11, 25, 19, 30))
    html = client.get(session.get_absolute_url()).content.decode()
    assert "<dt>Losse les</dt><dd>€\u00a017,50 <span class=\"vat-note\">incl. btw</span></dd>" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["offers"]["price"] == "17.50"


@pytest.mark.usefixtures("frozen", "rules")
def test_rows_say_once_that_prices_include_vat_and_an_exempt_price_says_so_itself(client, yin):
    SessionFactory(offering=yin, starts_at=local(2026, 11, 25, 19, 30))
    exempt = SessionFactory(offering=OfferingFactory(style=StyleFactory(slug="tre"), vat_rate_percent=0),
                            starts_at=local(2026, 11, 26, 19, 30))
    for url in ("/rooster/", "/", exempt.offering.get_absolute_url(), exempt.teacher.get_absolute_url()):
        html = client.get(url).content.decode()
        assert html.count('<p class="vat-note prices-note">Prijzen incl. btw, tenzij anders vermeld.</p>') == 1, url
        assert '<span class="vat-note">vrijgesteld van btw</span>' in rows(html)[exempt.pk], url
    english = client.get("/en/timetable/").content.decode()
    assert "Prices incl. VAT, unless stated otherwise." in english and "exempt from VAT" in rows(english)[exempt.pk]


# Her marks -----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen", "rules")
def test_a_booked_client_is_not_invited_to_book_her_class_again(yin, client_user, other_client):
    session = SessionFactory(offering=yin, starts_at=local(2026, 11, 25, 19, 30))
    BookingFactory(client=client_user, session=session)
    hers = signed_in(client_user).get(session.get_absolute_url()).content.decode()
    assert "Boek deze les" not in hers and reverse("bookings:book", args=[session.pk]) not in hers
    assert BOOKED in hers and "Je bent ingeschreven" in hers and "<!--mine" not in hers
    his = signed_in(other_client).get(session.get_absolute_url())
    assert his["X-Page-Cache"] == "hit" and "Boek deze les" in his.content.decode() and BOOKED not in his.content.decode()


@pytest.mark.usefixtures("frozen", "rules")
def test_a_client_on_the_waitlist_is_not_invited_to_join_it_again(yin, client_user):
    session = SessionFactory(offering=yin, starts_at=local(2026, 11, 25, 19, 30), capacity=1)
    Session.objects.filter(pk=session.pk).update(places_taken=1)
    waitlist.waitlist_join(client=client_user, session=session)
    hers = signed_in(client_user).get(session.get_absolute_url()).content.decode()
    assert ">Op de wachtlijst</a>" in hers and reverse("bookings:book", args=[session.pk]) not in hers


@pytest.mark.usefixtures("frozen", "rules")
def test_markers_in_what_the_studio_writes_stay_text_and_the_overlay_leaves_them(client, client_user):
    """Her marks are filled in where the page put a marker; a marker typed into a name, a description,
    a cancel reason or a note is shown as text (or dropped by the Markdown cleaner), never acted on."""
    session = SessionFactory(offering=OfferingFactory(style=StyleFactory(slug="yin")), starts_at=local(2026, 11, 25, 19, 30))
    BookingFactory(client=client_user, session=session)
    fake = f"<!--mine-row:{session.pk}-->x<!--/mine-row--><!--mine:{session.pk}-->"
    offering = session.offering
    offering.name_nl = f"Yin {fake}"
    offering.description_nl = f"Kom **rustig** binnen. {fake}"
    offering.save()
    Session.objects.filter(pk=session.pk).update(note=f"Let op {fake}")
    cancelled = SessionFactory(offering=offering, teacher=session.teacher, starts_at=local(2026, 11, 26, 19, 30))
    services.session_cancel(cancelled, reason=f"Ziek {fake}")

    escaped = f"&lt;!--mine-row:{session.pk}--&gt;x&lt;!--/mine-row--&gt;"
    for url in ("/rooster/", offering.get_absolute_url(), session.get_absolute_url(), cancelled.get_absolute_url()):
        for browser in (client, signed_in(client_user)):
            html = browser.get(url).content.decode()
            assert "<!--mine" not in html, url
            assert escaped in html, url
    timetable = signed_in(client_user).get("/rooster/").content.decode()
    assert timetable.count(BOOKED) == 1 and BOOKED in rows(timetable)[session.pk]
    assert f"Ziek {escaped}" in rows(timetable)[cancelled.pk]
    offering_page = signed_in(client_user).get(offering.get_absolute_url()).content.decode()
    assert "<strong>rustig</strong>" in offering_page and "x" in offering_page
    session_page = signed_in(client_user).get(session.get_absolute_url()).content.decode()
    assert f"Let op {escaped}" in session_page and session_page.count("Je bent ingeschreven") == 1 and session_page.count(BOOKED) == 1


@pytest.mark.usefixtures("frozen", "rules")
def test_a_signed_in_copy_is_private_and_a_visitors_copy_is_not(client, yin, client_user):
    session = SessionFactory(offering=yin, starts_at=local(2026, 11, 25, 19, 30))
    BookingFactory(client=client_user, session=session)
    browser = signed_in(client_user)
    for url in ("/rooster/", "/", session.get_absolute_url(), yin.get_absolute_url()):
        for attempt in ("miss", "hit"):
            response = browser.get(url)
            assert response["X-Page-Cache"] == attempt, url
            assert "private" in response.get("Cache-Control", ""), url
        visitor = client.get(url)
        assert "private" not in visitor.get("Cache-Control", ""), url


# The button's name ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen", "rules")
def test_every_book_button_names_its_class_and_time_for_a_screen_reader(client, yin):
    for day in (25, 26, 27):
        SessionFactory(offering=yin, starts_at=local(2026, 11, day, 19, 30))
    full = SessionFactory(offering=yin, starts_at=local(2026, 11, 28, 10, 0), capacity=1)
    Session.objects.filter(pk=full.pk).update(places_taken=1)
    for url in ("/rooster/", "/"):
        names = [text(link) for link in re.findall(r'<a class="button[^"]*row-book"[^>]*>(.*?)</a>', client.get(url).content.decode(), re.S)]
        assert names == ["Boek Yin yoga wo 25 nov 19:30", "Boek Yin yoga do 26 nov 19:30", "Boek Yin yoga vr 27 nov 19:30",
                         "Wachtlijst Yin yoga za 28 nov 10:00"], url
    english = client.get("/en/timetable/").content.decode()
    assert '>Book<span class="visually-hidden"> Yin yoga Wed 25 Nov 19:30</span></a>' in english


@pytest.mark.usefixtures("frozen", "rules")
def test_an_article_invites_to_book_only_a_class_still_open_for_booking(client, yin):
    from tests.blog.factories import PostFactory

    soon = SessionFactory(offering=yin, starts_at=local(2026, 11, 24, 12, 20))  # online booking closed at 11:50
    later = SessionFactory(offering=yin, starts_at=local(2026, 11, 25, 19, 30))
    post = PostFactory(offerings=[yin])
    html = client.get(post.get_absolute_url()).content.decode()
    cta = html[html.index('class="cta"'):]
    assert f'<a class="button button-quiet" href="{soon.get_absolute_url()}">Bekijk' in cta
    assert f'<a class="button" href="{later.get_absolute_url()}">Boek' in cta
