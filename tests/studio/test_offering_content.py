"""An offering's own page: what to expect, what to bring and who it suits come from the offering itself,
in the page's language, each block left out when empty; and the price is labelled for what it buys
(a drop-in class, the whole programme, one session) and is what is charged, each with its own VAT."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import translation

from classes import demo as classes_demo
from classes.models import STUDIO_TZ, Offering, ProgrammeRun, Session
from tests.factories import (
    AppointmentTypeFactory,
    OfferingFactory,
    RoomFactory,
    StyleFactory,
    TeacherFactory,
    UserFactory,
    individual_tre_type,
    programme_offering,
    programme_run,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STUDIO_TZ)  # a Wednesday morning
DEMO_OFFERINGS = ["hatha-yoga", "balans-yoga", "yin-yoga", "tre-groep", "tre-traject"]


def block(html, heading_id):
    """The text of one section of the offering page, from its heading to the end of the section."""
    start = html.index(f'id="{heading_id}"')
    return html[start:html.index("</section>", start)]


def dd(html, label):
    """The prices under one label of the facts list, as text."""
    block = re.search(rf"<dt>{re.escape(label)}</dt>(.*?)</div>", html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<dd>(.*?)</dd>", block, re.S)]


def test_every_demo_offering_has_its_own_texts_in_both_languages(client, demo):
    seen = {"expect": set(), "bring": set(), "suits": set()}
    for slug in DEMO_OFFERINGS:
        for language, headings in (("nl", ("Wat je kunt verwachten", "Wat neem je mee", "Voor wie")),
                                   ("en", ("What to expect", "What to bring", "Who it suits"))):
            with translation.override(language):
                url = Offering.objects.get(slug=slug).get_absolute_url()
            html = client.get(url).content.decode()
            for heading_id, heading in zip(("expect-heading", "bring-heading", "suits-heading"), headings, strict=True):
                text = block(html, heading_id)
                assert f">{heading}</h2>" in text, (slug, heading)
                seen[heading_id.split("-")[0]].add(text.split("</h2>")[1])
    assert all(len(texts) == 2 * len(DEMO_OFFERINGS) for texts in seen.values())  # never the same text twice


def test_the_tre_pages_do_not_speak_of_yoga_mats(client, demo):
    for slug in ("tre-groep", "tre-traject"):
        html = client.get(f"/lessen/{slug}/").content.decode()
        assert "Matten, kussens, blokken" not in html and "yogamat" not in block(html, "expect-heading")
        assert "Geen mat nodig" in html or "geen yogamat nodig" in html
        english = client.get(f"/en/classes/{slug}/").content.decode()
        assert "Mats, cushions, blocks" not in english and ("No mat needed" in english or "You do not need a yoga mat" in english)


def test_a_block_without_text_is_left_out(client, frozen):
    OfferingFactory(style=StyleFactory(slug="yin"), what_to_bring_nl="", suits_nl="Voor wie wil **vertragen**.", suits_en="")
    html = client.get("/lessen/yin-yoga/").content.decode()
    assert "Wat neem je mee" not in html and 'id="bring-heading"' not in html
    assert "<strong>vertragen</strong>" in block(html, "suits-heading")
    english = client.get("/en/classes/yin-yoga/").content.decode()
    assert "<strong>vertragen</strong>" in block(english, "suits-heading")  # no English yet: the Dutch text, never nothing


def test_an_offering_without_any_of_the_three_shows_none_of_them(client, frozen):
    offering = OfferingFactory(style=StyleFactory(slug="yin"))
    Offering.objects.filter(pk=offering.pk).update(what_to_expect_nl="", what_to_expect_en="")
    html = client.get("/lessen/yin-yoga/").content.decode()
    for heading in ("Wat je kunt verwachten", "Wat neem je mee", "Voor wie"):
        assert heading not in html


def test_the_price_is_labelled_for_what_it_buys(client, demo):
    group = client.get("/lessen/hatha-yoga/").content.decode()
    assert "<dt>Losse les</dt><dd>€\u00a017,50 <span class=\"vat-note\">incl. btw</span></dd>" in group
    programme = client.get("/lessen/tre-traject/").content.decode()
    assert "<dt>Prijs (3 sessies)</dt><dd>€\u00a0195,00" in programme and "Losse les" not in programme
    english = client.get("/en/classes/tre-traject/").content.decode()
    assert "<dt>Price (3 sessions)</dt>" in english and "Drop-in" not in english
    a_date = Session.objects.filter(programme_run__isnull=False).earliest("starts_at")
    with translation.override("nl"):
        date_page = client.get(a_date.get_absolute_url()).content.decode()
    assert "<dt>Prijs (3 sessies)</dt>" in date_page and "Losse les" not in date_page


def test_a_one_to_one_offering_shows_the_price_of_each_of_its_sessions_with_its_own_vat(client, frozen):
    offering = OfferingFactory(style=StyleFactory(slug="energie"), slug="energetische-sessie", kind=Offering.Kind.ONE_TO_ONE,
                               drop_in_price_cents=9900)
    AppointmentTypeFactory(offering=offering, price_cents=7500, vat_rate_percent=0)
    html = client.get("/lessen/energetische-sessie/").content.decode()
    assert "<dt>Prijs per sessie</dt><dd>€\u00a075,00 <span class=\"vat-note\">vrijgesteld van btw</span></dd>" in html
    assert "99,00" not in html  # the offering's own drop-in price is never charged for a one-to-one
    AppointmentTypeFactory(slug="energetische-sessie-90", name_nl="Energetische Sessie (90 minuten)", offering=offering, duration_minutes=90,
                           price_cents=10500, vat_rate_percent=21, position=2)
    prices = dd(client.get("/lessen/energetische-sessie/").content.decode(), "Prijs per sessie")
    assert prices == ["€\u00a075,00 vrijgesteld van btw · Energetische Sessie (60 minuten)",
                      "€\u00a0105,00 incl. btw · Energetische Sessie (90 minuten)"]


def test_a_one_to_one_offering_no_session_names_shows_every_session_booked_alone(client, frozen):
    OfferingFactory(style=StyleFactory(slug="energie"), slug="individueel", kind=Offering.Kind.ONE_TO_ONE)
    AppointmentTypeFactory(price_cents=7500, vat_rate_percent=0)
    individual_tre_type(is_bookable_alone=False)  # only for the programme: not a price of a single session
    assert dd(client.get("/lessen/individueel/").content.decode(), "Prijs per sessie") == ["€\u00a075,00 vrijgesteld van btw"]


def test_a_programme_shows_what_its_open_group_and_one_to_one_cost(client, frozen):
    offering = programme_offering(drop_in_price_cents=99900, vat_rate_percent=9)
    programme_run(starts=NOW + timedelta(days=8), price_cents=18000)
    programme_run(starts=NOW + timedelta(days=15), price_cents=19500)
    programme_run(starts=NOW - timedelta(days=1), price_cents=15000)  # under way: no longer for sale
    ProgrammeRun.objects.create(offering=offering, teacher=TeacherFactory(), room=RoomFactory(), capacity=6, price_cents=12000,
                                is_open=False)  # closed by the studio
    individual_tre_type()
    html = client.get("/lessen/tre-traject/").content.decode()
    assert dd(html, "Prijs (3 sessies)") == ["vanaf €\u00a0180,00 incl. btw · in een kleine groep", "€\u00a0225,00 incl. btw · individueel"]
    assert "999,00" not in html
    assert dd(client.get("/en/classes/tre-traject/").content.decode(), "Price (3 sessions)") == [
        "from €180.00 incl. VAT · in a small group", "€225.00 incl. VAT · one-to-one"]


def test_a_programme_with_nothing_for_sale_shows_no_price(client, frozen):
    programme_offering()
    programme_run(starts=NOW - timedelta(days=1), price_cents=15000)
    html = client.get("/lessen/tre-traject/").content.decode()
    assert "Prijs (3 sessies)" not in html and "195,00" not in html and "150,00" not in html


def test_the_offering_page_and_the_prices_page_agree(client, demo):
    prices = client.get("/prijzen/").content.decode()
    for price in dd(client.get("/lessen/tre-traject/").content.decode(), "Prijs (3 sessies)"):
        amount = price.split(" incl.")[0].removeprefix("vanaf ")
        assert f"{amount}</strong>" in prices, price


def test_the_offering_page_links_the_prices(client, demo):
    assert '<a href="/prijzen/">Alle prijzen: lessenkaarten, abonnementen en meer</a>' in client.get("/lessen/yin-yoga/").content.decode()


def test_the_demo_gives_an_offering_of_an_earlier_demo_its_own_texts_and_keeps_what_the_studio_wrote(frozen):
    teacher_user = UserFactory(email="manoek@example.nl", first_name="Manoek")
    earlier = OfferingFactory(style=StyleFactory(slug="tre"), slug="tre-groep", **classes_demo.GENERIC_EXPECT, what_to_bring_nl="",
                              suits_nl="Voor wie het traject volgde.")
    classes_demo.load(teacher_user=teacher_user)
    earlier.refresh_from_db()
    own = classes_demo.CONTENT["tre-groep"]
    assert (earlier.what_to_expect_nl, earlier.what_to_expect_en, earlier.what_to_bring_nl) == (
        own["what_to_expect_nl"], own["what_to_expect_en"], own["what_to_bring_nl"])
    assert earlier.suits_nl == "Voor wie het traject volgde."  # written by the studio: kept
    classes_demo.load(teacher_user=teacher_user)  # and again: nothing changes
    assert Offering.objects.get(pk=earlier.pk).suits_nl == "Voor wie het traject volgde."
