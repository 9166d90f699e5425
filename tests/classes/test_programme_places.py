"""A programme date is booked only with its whole group, so its row, its page and its search-engine data
tell the group's places left: the fewest left on any of the group's scheduled dates (as the programme
page counts them), not that one date's. A teacher may give one date fewer places; a cancelled date no
longer counts. One subquery in the page's one query, however many groups the week shows."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from classes import services
from classes.models import Session
from tests.classes.rows import rows
from tests.factories import OfferingFactory, SessionFactory, StyleFactory, local, programme_run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "rules")]

NOW = local(2026, 11, 24, 12, 0)  # Tuesday noon in Breda
BOOK_PROGRAMME = f'href="{reverse("bookings:programme", args=["tre-traject"])}">Boek'


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def search_engine_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


@pytest.fixture
def run():
    """A group of six places on Thursday 26 November, 3 and 10 December; nobody booked yet."""
    return programme_run(starts=local(2026, 11, 26, 19, 0), capacity=6, price_cents=19500)


def dates(run) -> list[Session]:
    return list(run.sessions.order_by("starts_at"))


def set_taken(session, taken):
    """What the place accounting writes (bookings.places); done before a page is first drawn."""
    Session.objects.filter(pk=session.pk).update(places_taken=taken)


def test_the_first_dates_row_tells_the_fewest_places_left_on_any_date_of_the_group(client, run):
    first, second, third = dates(run)
    set_taken(second, 3)
    set_taken(third, 5)  # one place left on the last date: one place left in the group
    row = rows(client.get("/rooster/").content.decode())[first.pk]
    assert '<span class="places places-few">laatste plek</span>' in row and BOOK_PROGRAMME in row
    assert "nog 6 plekken" not in row


def test_a_date_the_teacher_gave_fewer_places_sets_the_groups_places_on_every_row(client, run):
    first, second, _third = dates(run)
    second.capacity = 4  # changed on its own in the back office; a save, so the cached pages renew
    second.save()
    this_week = rows(client.get("/rooster/").content.decode())
    next_week = rows(client.get("/rooster/2026-W49/").content.decode())
    assert '<span class="places">nog 4 plekken</span>' in this_week[first.pk]
    assert '<span class="places">nog 4 plekken</span>' in next_week[second.pk]


def test_a_group_full_on_one_date_offers_no_booking_on_any_of_its_rows(client, run):
    first, second, third = dates(run)
    set_taken(third, 6)
    for week, date in (("/rooster/", first), ("/rooster/2026-W49/", second)):
        row = rows(client.get(week).content.decode())[date.pk]
        assert '<span class="places places-full">vol</span>' in row, week
        assert "row-book" not in row and "/traject/" not in row, week


def test_the_session_page_tells_the_groups_places_and_offers_no_booking_when_the_group_is_full(client, run):
    first, second, third = dates(run)
    set_taken(second, 2)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "nog 4 plekken vrij in deze groep, op al haar data" in text(page)
    assert "0 van 6 bezet" not in text(page) and "Boek dit traject" in page
    assert '<span class="badge">nog 4 plekken vrij</span>' in page
    assert search_engine_data(page)["remainingAttendeeCapacity"] == 4

    third.capacity = 2  # the teacher shrinks the last date to the two already booked there
    set_taken(third, 2)
    third.save()
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Deze trajectgroep is vol." in text(page) and "Boek dit traject" not in page
    assert '<span class="badge badge-full">' in page
    data = search_engine_data(page)
    assert data["remainingAttendeeCapacity"] == 0 and data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_a_cancelled_date_no_longer_counts_for_the_groups_places(client, run):
    first, second, _third = dates(run)
    set_taken(second, 6)
    services.session_cancel(second, reason="De zaal is dicht")
    row = rows(client.get("/rooster/").content.decode())[first.pk]
    assert '<span class="places">nog 6 plekken</span>' in row and BOOK_PROGRAMME in row


def test_the_offering_and_teacher_pages_tell_the_groups_places_too(client, run):
    first, _second, third = dates(run)
    set_taken(third, 4)
    for url in (run.offering.get_absolute_url(), run.teacher.get_absolute_url(), "/"):
        found = rows(client.get(url).content.decode())
        assert '<span class="places places-few">nog 2 plekken</span>' in found[first.pk], url


def test_a_drop_in_class_keeps_its_own_places(client, run):
    yin = SessionFactory(offering=OfferingFactory(style=StyleFactory(slug="yin")), starts_at=local(2026, 11, 25, 19, 30), capacity=12)
    set_taken(yin, 2)
    row = rows(client.get("/rooster/").content.decode())[yin.pk]
    assert '<span class="places">nog 10 plekken</span>' in row
    assert "0 van 12 bezet" not in text(client.get(yin.get_absolute_url()).content.decode())
    assert "2 van 12 bezet" in text(client.get(yin.get_absolute_url()).content.decode())


def test_the_week_takes_the_same_queries_however_many_programme_groups_it_shows(run, django_assert_max_num_queries):
    for day in (24, 25, 27, 28):
        programme_run(starts=local(2026, 11, day, 20, 0), capacity=6, teacher=run.teacher)
    Session.objects.filter(programme_run__isnull=False).update(places_taken=4)  # two left on every date
    with django_assert_max_num_queries(5):  # the week's sessions (each group's places in the same query), styles, teachers, closures, rules
        html = Client().get("/rooster/").content.decode()
    found = rows(html)
    assert len(found) == 5, found
    for row in found.values():
        assert "nog 2 plekken</span>" in row, row
