"""The home page leads somewhere: every offer card opens its own page, "Boek een les" goes to the
timetable, and the one-to-ones, the TRE® programme, the class cards (when some are on sale) and the
prices are one tap away; the main menu and the footer link the prices page."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from classes.models import STUDIO_TZ, Offering
from tests.factories import (
    AppointmentTypeFactory,
    ClassCardTypeFactory,
    OfferingFactory,
    PageFactory,
    StyleFactory,
    individual_tre_type,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STUDIO_TZ)  # a Wednesday morning


def links_in(html, css_class):
    """The hrefs of the links inside every element with `css_class` (a card, a list of quick links)."""
    blocks = re.findall(rf'<(li|nav|p) class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</\1>', html, flags=re.S)
    return [href for _tag, block in blocks for href in re.findall(r'href="([^"]+)"', block)]


def test_every_offer_card_opens_its_own_page(client, demo):
    html = client.get("/").content.decode()
    hrefs = links_in(html, "offer-card")
    assert hrefs == ["/lessen/hatha-yoga/", "/lessen/balans-yoga/", "/lessen/yin-yoga/", "/lessen/tre-groep/", "/lessen/tre-traject/",
                     reverse("bookings:one_to_one")]
    for href in hrefs:
        assert client.get(href).status_code == 200, href
    assert "Individuele Energetische Sessies" in html and "TRE®-traject (drie sessies)" in html


def test_book_a_class_is_the_first_button_and_goes_to_the_timetable(client, demo):
    html = client.get("/").content.decode()
    first_button = re.search(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', html)
    assert first_button.groups() == (reverse("classes:timetable"), "Boek een les")
    assert html.index("Boek een les") < html.index('id="offer-heading"')  # in the hero, before the offers


def test_one_to_ones_the_programme_the_cards_and_the_prices_are_one_tap_from_home(client, demo):
    html = client.get("/").content.decode()
    quick = links_in(html, "quick-links")
    assert quick == [reverse("bookings:one_to_one"), reverse("bookings:programme", args=["tre-traject"]),
                     reverse("prices") + "#cards", reverse("prices")]
    for href in quick:
        assert client.get(href.split("#")[0]).status_code == 200, href
    assert 'id="cards"' in client.get(reverse("prices")).content.decode()  # the anchor the cards link jumps to
    assert re.search(r'href="/tre/">Wat is TRE® en hoe begin je\?</a>', html)


def test_the_home_page_in_english_links_the_english_pages(client, demo):
    html = client.get("/en/").content.decode()
    assert ">Book a class now</a>" in html
    assert links_in(html, "offer-card")[-2:] == ["/en/classes/tre-traject/", "/en/one-to-one/"]
    assert "TRE® programme (three sessions)" in html and "Trauma-aware Hatha yoga" in html
    assert links_in(html, "quick-links")[-1] == "/en/prices/"


def test_the_main_menu_and_the_footer_link_the_prices_and_the_one_to_ones(client, demo):
    html = client.get("/contact/").content.decode()
    menu = html[html.index('aria-label="Hoofdmenu"'):html.index("</nav>", html.index('aria-label="Hoofdmenu"'))]
    assert f'<a href="{reverse("prices")}">Prijzen</a>' in menu
    assert f'<a href="{reverse("bookings:one_to_one")}">Individueel</a>' in menu
    footer = html[html.index('<footer'):]
    assert f'<a href="{reverse("prices")}">Prijzen</a>' in footer


def test_a_studio_with_only_group_classes_shows_no_links_to_what_it_does_not_offer(client, frozen):
    OfferingFactory(style=StyleFactory(slug="yin", name_nl="Yin yoga", name_en="Yin yoga"))
    html = client.get("/").content.decode()
    assert links_in(html, "offer-card") == ["/lessen/yin-yoga/"]
    assert links_in(html, "quick-links") == [reverse("prices")]  # no class card on sale: no link to cards that are not there
    assert "Wat is TRE®" not in html  # no page about TRE® written yet


def test_the_class_cards_link_shows_only_while_a_card_is_on_sale(client, frozen):
    OfferingFactory(style=StyleFactory(slug="yin"))
    card = ClassCardTypeFactory(is_on_sale=False)
    ClassCardTypeFactory(name_nl="Tegoed", name_en="Credit", is_studio_credit=True)  # a studio credit is never sold
    assert reverse("prices") + "#cards" not in links_in(client.get("/").content.decode(), "quick-links")
    card.is_on_sale = True
    card.save()  # the cached home page follows the products (bookings.prices)
    assert links_in(client.get("/").content.decode(), "quick-links") == [reverse("prices") + "#cards", reverse("prices")]
    assert 'id="cards"' in client.get(reverse("prices")).content.decode()


def test_the_one_to_one_card_needs_a_kind_that_can_be_booked_alone(client, frozen):
    individual_tre_type(is_bookable_alone=False)  # only the way to follow the programme one-to-one
    AppointmentTypeFactory(is_active=False)  # not offered now
    html = client.get("/").content.decode()
    assert reverse("bookings:one_to_one") not in links_in(html, "offer-card") + links_in(html, "quick-links")
    AppointmentTypeFactory(slug="energetische-sessie-90", name_nl="Energetische Sessie (90 minuten)", duration_minutes=90)
    html = client.get("/").content.decode()
    assert links_in(html, "offer-card") == ["/lessen/tre-traject/", reverse("bookings:one_to_one")]
    assert "Individuele Energetische Sessies" in html  # no one-to-one offering written: the studio's own words


def test_the_one_to_one_card_takes_the_name_and_summary_of_the_one_to_one_offering(client, frozen):
    AppointmentTypeFactory()
    OfferingFactory(style=StyleFactory(slug="energie"), slug="individueel", kind=Offering.Kind.ONE_TO_ONE,
                    name_nl="Sessies voor jou alleen", name_en="Sessions just for you",
                    summary_nl="Op jouw tempo, met alle aandacht.", summary_en="At your pace, with all the attention.")
    html = client.get("/").content.decode()
    card = re.findall(r'<li class="card offer-card">(.*?)</li>', html, re.S)
    assert card == [f'<h3><a href="{reverse("bookings:one_to_one")}">Sessies voor jou alleen</a></h3><p>Op jouw tempo, met alle aandacht.</p>']
    assert "Individuele Energetische Sessies" not in html
    english = client.get("/en/").content.decode()
    assert ">Sessions just for you</a>" in english and "At your pace, with all the attention." in english


def test_a_one_to_one_type_alone_gives_the_one_to_one_card(client, frozen):
    AppointmentTypeFactory()
    PageFactory(key="tre", title_nl="Over TRE®", title_en="About TRE®")
    html = client.get("/").content.decode()
    assert links_in(html, "offer-card") == [reverse("bookings:one_to_one")]
    assert 'href="/tre/"' in html


def test_the_home_page_reads_the_database_a_few_times_only(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
