"""The public prices page: everything the studio sells with its price incl. VAT (or exempt), what it
includes and how long it is valid, in Dutch and English; the intro offer marked once; a section the
studio sells nothing in left out; every button goes to a page that sells it; kept in step with the
products although it is cached."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.models import ClassCardType, MembershipType, VoucherProduct
from classes.models import STUDIO_TZ, AppointmentType, Offering
from tests.factories import AppointmentTypeFactory, ClassCardTypeFactory, OfferingFactory, StyleFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STUDIO_TZ)  # a Wednesday morning
NBSP = "\u00a0"


def section(html, anchor):
    """The HTML of one section of the page (from its id to the end of that section)."""
    start = html.index(f'id="{anchor}"')
    return html[start:html.index("</section>", start)]


def card_of(html, name):
    """The card or row (an <li>) that carries `name`."""
    start = html.rindex('<li class="', 0, html.index(name))
    return html[start:html.index("\n    </li>", start)]


def test_the_prices_page_lists_everything_in_dutch_with_vat(client, demo):
    response = client.get("/prijzen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Prijzen</h1>" in html

    hatha = card_of(section(html, "drop-in"), "Trauma-bewuste Hatha yoga")
    assert f"€{NBSP}17,50</strong> <span class=\"vat-note\">incl. btw</span>" in hatha and "Eén les van 75 minuten" in hatha
    assert f"€{NBSP}20,00" in card_of(html, "TRE® groepsles")

    five = card_of(section(html, "cards"), "5-lessenkaart")
    assert f"€{NBSP}80,00</strong> <span class=\"vat-note\">incl. btw</span>" in five
    assert f"5 lessen (€{NBSP}16,00 per les), 3 maanden geldig vanaf de dag dat je hem koopt." in five

    memberships = section(html, "memberships")
    assert f"€{NBSP}79,00 per maand</strong> <span class=\"vat-note\">incl. btw</span>" in card_of(memberships, "Onbeperkt yoga")
    four = card_of(memberships, "4 lessen per maand")
    assert "één ongebruikte les gaat mee naar de volgende maand" in four and "Elke maand opzegbaar" in four

    programme = card_of(section(html, "programmes"), "TRE®-traject (drie sessies)")
    assert "3 sessies van 90 minuten" in programme and "alle 3 sessies" in programme
    assert re.search(rf"In een kleine groep, op vaste data</span> <p class=\"price\"><strong>€{NBSP}195,00</strong>", programme)
    assert re.search(rf"Individueel, op momenten die jij kiest</span> <p class=\"price\"><strong>€{NBSP}225,00</strong>", programme)

    one_to_ones = section(html, "one-to-one")
    assert f"€{NBSP}75,00" in card_of(one_to_ones, "Energetische Sessie (60 minuten)")
    assert "Eén sessie van 90 minuten." in card_of(one_to_ones, "Energetische Sessie (90 minuten)")

    vouchers = section(html, "vouchers")
    assert f"€{NBSP}10,00 tot €{NBSP}250,00</strong> <span class=\"vat-note\">een bedrag naar keuze</span>" in card_of(vouchers, "<h3>Cadeaubon</h3>")
    assert "12 maanden geldig." in vouchers and "Op de bon zelf zit geen btw" in vouchers


def test_the_intro_offer_is_marked_once_per_person(client, demo):
    html = client.get("/prijzen/").content.decode()
    cards = section(html, "cards")
    intro = card_of(cards, "Kennismaking: 2 lessen voor € 25")
    assert "Eén keer per persoon, voor je eerste keer bij ons." in intro
    assert cards.count("Eén keer per persoon") == 1  # the other cards are for everyone


def test_the_prices_page_in_english_names_everything_in_english(client, demo):
    html = client.get("/en/prices/").content.decode()
    assert "<h1>Prices</h1>" in html
    for name in ("Trauma-aware Hatha yoga", "5-class card", "Intro offer: 2 classes for € 25", "Unlimited yoga", "TRE® programme (three sessions)",
                 "Energetic Session (60 minutes)", "Gift voucher"):
        assert name in html, name
    for dutch in ("5-lessenkaart", "Onbeperkt yoga", "TRE®-traject", "Energetische Sessie", "Cadeaubon", "Losse les", "btw"):
        assert dutch not in html, dutch
    assert "€79.00 a month</strong> <span class=\"vat-note\">incl. VAT</span>" in html
    assert "Once per person, for your first time with us." in html
    assert 'href="/en/class-cards/"' in html and 'href="/en/timetable/?style=hatha"' in html


def test_a_programme_followed_one_to_one_in_two_ways_names_each_way(client, demo):
    tre = AppointmentType.objects.get(slug="tre-individueel")
    AppointmentTypeFactory(slug="tre-individueel-90", name_nl="Lange TRE®-sessie", name_en="Long TRE® session", teacher=tre.teacher,
                           offering=tre.offering, duration_minutes=90, price_cents=11000, programme_price_cents=30000)
    programme = card_of(section(client.get("/prijzen/").content.decode(), "programmes"), "TRE®-traject (drie sessies)")
    assert "Individueel (Individuele TRE®-sessie), op momenten die jij kiest" in programme
    assert re.search(rf"Individueel \(Lange TRE®-sessie\), op momenten die jij kiest</span> <p class=\"price\"><strong>€{NBSP}300,00", programme)


def test_an_exempt_rate_says_so_instead_of_incl_vat(client, demo):
    AppointmentType.objects.filter(slug="energetische-sessie-60").update(vat_rate_percent=Decimal("0.0"))
    html = client.get("/prijzen/").content.decode()
    assert '<span class="vat-note">vrijgesteld van btw</span>' in card_of(html, "Energetische Sessie (60 minuten)")
    assert '<span class="vat-note">incl. btw</span>' in card_of(html, "Energetische Sessie (90 minuten)")


def test_a_studio_without_cards_memberships_programmes_one_to_ones_or_vouchers_shows_only_its_classes(client, frozen):
    OfferingFactory(style=StyleFactory(slug="yin", name_nl="Yin yoga", name_en="Yin yoga"))
    ClassCardTypeFactory(is_on_sale=False)
    AppointmentTypeFactory(is_active=False)
    html = client.get("/prijzen/").content.decode()
    assert 'id="drop-in"' in html and "Yin yoga" in html
    for anchor in ("cards", "memberships", "programmes", "one-to-one", "vouchers"):
        assert f'id="{anchor}"' not in html and f'href="#{anchor}"' not in html, anchor


def test_only_what_is_for_sale_is_listed(client, demo):
    Offering.objects.filter(slug="balans-yoga").update(is_shown=False)
    ClassCardType.objects.filter(name_nl="10-lessenkaart").update(is_on_sale=False)
    MembershipType.objects.filter(name_nl="Onbeperkt yoga").update(is_on_sale=False)
    VoucherProduct.objects.filter(name_nl="Cadeaubon").update(is_on_sale=False)
    html = client.get("/prijzen/").content.decode()
    for gone in ('href="/lessen/balans-yoga/"', "10-lessenkaart", "Onbeperkt yoga", "<h3>Cadeaubon</h3>"):
        assert gone not in html, gone
    assert "5-lessenkaart" in html and "4 lessen per maand" in html and "Cadeaubon 5-lessenkaart" in html


def test_a_programme_without_a_group_or_a_one_to_one_to_book_shows_its_own_price(client, frozen):
    OfferingFactory(style=StyleFactory(slug="tre", name_nl="TRE®", name_en="TRE®"), slug="tre-traject", kind=Offering.Kind.PROGRAMME,
                    name_nl="TRE®-traject", session_count=3, drop_in_price_cents=19500)
    html = client.get("/prijzen/").content.decode()
    programme = section(html, "programmes")
    assert f"€{NBSP}195,00</strong> <span class=\"vat-note\">incl. btw</span>" in programme
    assert "In een kleine groep" not in programme and "alle 3 sessies" in programme
    assert 'id="drop-in"' not in html  # a programme is no drop-in class


def test_every_button_goes_to_a_page_that_sells_it_asking_for_a_login_only_where_needed(client, demo, client_user):
    html = client.get("/prijzen/").content.decode()
    buttons = re.findall(r'<a class="button" href="([^"]+)">', html)
    assert len(buttons) == 15  # 4 drop-ins, 3 cards, 2 memberships, 1 programme, 3 one-to-ones, 2 vouchers
    login_asked = set()
    for href in set(buttons):
        response = client.get(href)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), href
            login_asked.add(href)
        else:
            assert response.status_code == 200, href
    assert login_asked == {reverse("bookings:cards")}  # a class card needs an account; reading every other page does not
    client.force_login(client_user)
    assert client.get(reverse("bookings:cards")).status_code == 200


def test_the_prices_page_is_cached_and_follows_a_changed_price(client, demo):
    assert client.get("/prijzen/")["X-Page-Cache"] == "miss"
    assert client.get("/prijzen/")["X-Page-Cache"] == "hit"
    card = ClassCardType.objects.get(name_nl="5-lessenkaart")
    card.price_cents = 8500
    card.save()
    response = client.get("/prijzen/")
    assert response["X-Page-Cache"] == "miss" and f"€{NBSP}85,00" in card_of(response.content.decode(), "5-lessenkaart")
    MembershipType.objects.get(name_nl="Onbeperkt yoga").styles.clear()
    assert "Voor elke groepsles" in card_of(client.get("/prijzen/").content.decode(), "Onbeperkt yoga")


def test_the_prices_page_reads_the_database_a_few_times_only(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # offerings, one-to-one types, open groups, cards (+ styles), memberships (+ styles), vouchers
        response = client.get("/prijzen/")
    assert response["X-Page-Cache"] == "miss"


def test_the_sitemap_lists_the_prices_page_in_both_languages(client, demo):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/prijzen/</loc>" in xml and "/en/prices/</loc>" in xml
