"""A programme's prices follow one rule (classes.selectors.programme_prices) on its offering page and on
the prices page (bookings.prices): in a small group the lowest price of the groups open for booking
("from" when they differ), then one-to-one one price per kind of session that offers it, each with the
programme's VAT rate. The prices page reads them for every programme at once."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest

from bookings import prices
from classes import selectors
from classes.models import STUDIO_TZ, AppointmentType, ProgrammeRun
from classes.services import programme_run_add_dates
from tests.factories import (
    AppointmentTypeFactory,
    OfferingFactory,
    RoomFactory,
    StyleFactory,
    TeacherFactory,
    individual_tre_type,
    programme_offering,
    programme_run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STUDIO_TZ)  # a Wednesday morning
NBSP = "\u00a0"


def programme_card(html):
    start = html.index('id="programmes"')
    return html[start:html.index("</section>", start)]


def offering_page_prices(html):
    found = re.search(r"<dt>Prijs \(3 sessies\)</dt>(.*?)</div>", html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<dd>(.*?)</dd>", found, re.S)]


@pytest.fixture
def tre():
    """Groups open at € 180 and € 195, one under way at € 150 and one closed at € 120; two kinds of
    one-to-one session offering the programme, and one that does not."""
    offering = programme_offering(drop_in_price_cents=99900, vat_rate_percent=Decimal("9"))
    programme_run(starts=NOW + timedelta(days=8), price_cents=18000)
    programme_run(starts=NOW + timedelta(days=15), price_cents=19500)
    programme_run(starts=NOW - timedelta(days=1), price_cents=15000)
    ProgrammeRun.objects.create(offering=offering, teacher=TeacherFactory(), room=RoomFactory(), capacity=6, price_cents=12000, is_open=False)
    individual_tre_type()
    AppointmentTypeFactory(slug="lange-tre", name_nl="Lange TRE®-sessie", name_en="Long TRE® session", offering=offering,
                           duration_minutes=90, price_cents=11000, programme_price_cents=30000, position=5)
    AppointmentTypeFactory(slug="energetisch", offering=None, price_cents=7500)
    return offering


def test_the_rule_lowest_open_group_then_each_one_to_one_with_the_programmes_vat(tre):
    found = selectors.programme_prices([tre], now=NOW)[tre.pk]
    assert [(price.cents, price.vat_rate_percent, price.is_lowest) for price in found] == [
        (18000, Decimal("9"), True), (22500, Decimal("9"), False), (30000, Decimal("9"), False)]
    assert found[0].appointment_type is None
    assert [price.appointment_type.slug for price in found[1:]] == [AppointmentType.objects.get(programme_price_cents=22500).slug, "lange-tre"]
    assert selectors.offering_prices(tre, now=NOW) == found


def test_the_prices_page_reads_the_same_prices_as_the_offering_page(tre):
    listed = prices.price_list(now=NOW)
    assert [programme.prices for programme in listed["programmes"]] == [selectors.offering_prices(tre, now=NOW)]
    programme = listed["programmes"][0]
    assert programme.group.cents == 18000 and [price.cents for price in programme.one_to_one] == [22500, 30000]


def test_both_pages_say_from_when_the_groups_cost_different_amounts(client, tre):
    card = programme_card(client.get("/prijzen/").content.decode())
    assert f"In een kleine groep, op vaste data</span> <p class=\"price\"><strong>vanaf €{NBSP}180,00</strong>" in card
    assert f"Individueel (Lange TRE®-sessie), op momenten die jij kiest</span> <p class=\"price\"><strong>€{NBSP}300,00</strong>" in card
    assert "150,00" not in card and "120,00" not in card and "999,00" not in card
    on_offering_page = offering_page_prices(client.get(tre.get_absolute_url()).content.decode())
    assert on_offering_page[0] == f"vanaf €{NBSP}180,00 incl. btw · in een kleine groep"
    for price in on_offering_page:
        amount = price.split(" incl.")[0].removeprefix("vanaf ")
        assert f"{amount}</strong>" in card, price


def test_one_group_price_is_no_from_price(client):
    programme_run(starts=NOW + timedelta(days=8), price_cents=18000)
    programme_run(starts=NOW + timedelta(days=15), price_cents=18000)
    card = programme_card(client.get("/prijzen/").content.decode())
    assert f"<strong>€{NBSP}180,00</strong>" in card and "vanaf" not in card


def test_the_prices_page_reads_every_programme_at_once(client, tre, django_assert_max_num_queries):
    for slug in ("tre-verdieping", "tre-kort"):
        other = OfferingFactory(style=StyleFactory(slug="tre"), slug=slug, kind="programme", session_count=3)
        run = ProgrammeRun.objects.create(offering=other, teacher=TeacherFactory(), room=RoomFactory(), capacity=6, price_cents=17000)
        programme_run_add_dates(run, first_day=NOW.date() + timedelta(days=9), start_time=time(19, 0))
    with django_assert_max_num_queries(8):  # offerings, one-to-one types, open groups, cards (+ styles), memberships (+ styles), vouchers
        response = client.get("/prijzen/")
    assert response["X-Page-Cache"] == "miss"
    assert programme_card(response.content.decode()).count(f"<strong>€{NBSP}170,00</strong>") == 2
