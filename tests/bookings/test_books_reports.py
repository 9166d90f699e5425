"""The reports page: periods and presets, the comparison of two periods, the charts and the VAT page,
on the fixed books of tests/bookings/books_data.py (every figure below is worked out there)."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.books import charts, reports
from bookings.books.periods import Period, presets
from tests.bookings import books_data
from tests.factories import BookingFactory, PaymentFactory, SessionFactory, UserFactory, local

pytestmark = pytest.mark.django_db

@pytest.fixture
def books(client):
    books_data.money()
    books_data.classes()
    client.force_login(books_data.admin())


def page(client, url, query=None):
    with time_machine.travel(books_data.NOW, tick=False):
        response = client.get(url, query or {})
    assert response.status_code == 200
    return response.content.decode()


def october(client, **extra):
    return page(client, "/boekhouding/overzichten/", {"first": "2026-10-01", "last": "2026-10-31", **extra})


def comparison_table(html):
    table = re.search(r'<table class="books-table" id="comparison">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    return {label: [re.sub(r"<.*?>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
            for label, cells in rows}


def parse_svg(markup):
    return ET.fromstring(str(markup).replace('xmlns="http://www.w3.org/2000/svg" ', ""))


def svgs(html):
    """Each chart on the page as XML, by its title."""
    found = {}
    for markup in re.findall(r"<svg .*?</svg>", html, re.S):
        tree = parse_svg(markup)
        found[tree.find("title").text] = tree
    return found


def table_cells(table):
    return [[re.sub(r"<.*?>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


# Periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "last", "previous"), [
    (date(2026, 10, 1), date(2026, 10, 31), (date(2026, 9, 1), date(2026, 9, 30))),  # a month: the month before
    (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),
    (date(2026, 11, 1), date(2026, 11, 15), (date(2026, 10, 1), date(2026, 10, 15))),  # month so far: same days before
    (date(2026, 3, 1), date(2026, 3, 30), (date(2026, 2, 1), date(2026, 2, 28))),  # no 30 February
    (date(2026, 10, 1), date(2026, 12, 31), (date(2026, 7, 1), date(2026, 9, 30))),  # a quarter
    (date(2026, 1, 1), date(2026, 5, 20), (date(2025, 8, 1), date(2025, 12, 20))),  # five months so far: five before
    (date(2026, 10, 10), date(2026, 10, 19), (date(2026, 9, 30), date(2026, 10, 9))),  # any ten days: the ten before
])
def test_the_previous_period_has_equal_length(first, last, previous):
    assert Period(first, last).previous() == Period(*previous)


def test_presets_are_this_month_last_month_this_quarter_and_this_year():
    assert [(str(label), period) for label, period in presets(date(2026, 12, 15))] == [
        ("Deze maand", Period(date(2026, 12, 1), date(2026, 12, 15))),
        ("Vorige maand", Period(date(2026, 11, 1), date(2026, 11, 30))),
        ("Dit kwartaal", Period(date(2026, 10, 1), date(2026, 12, 15))),
        ("Dit jaar", Period(date(2026, 1, 1), date(2026, 12, 15))),
    ]


# The comparison -----------------------------------------------------------------------


def test_the_period_comparison_gives_the_exact_figures(books):
    period = Period(*books_data.OCTOBER)
    rows = {row.key: row for row in reports.comparison(period, period.previous(), now=books_data.NOW)}
    figures = {key: (row.current, row.previous, row.difference, row.change_percent) for key, row in rows.items()}
    assert figures == {
        # October: 17,50 + 120,00 in, 45,00 + 30,00 back (September's card, refunded on 2 October). September: 80,00.
        "revenue": (6250, 8000, -1750, Decimal("-21.9")),
        "classes": (3, 2, 1, Decimal("50.0")),
        "places": (21, 10, 11, Decimal("110.0")),
        "occupancy": (Decimal("75.0"), Decimal("50.0"), Decimal("25.0"), Decimal("50.0")),  # 21 of 28; 10 of 20
        "no_show": (Decimal("9.5"), Decimal("10.0"), Decimal("-0.5"), Decimal("-5.0")),  # 2 of 21; 1 of 10
        "late_cancel": (Decimal("4.3"), Decimal("9.1"), Decimal("-4.8"), Decimal("-52.7")),  # 1 of 23; 1 of 11
        "bookings": (24, 11, 13, Decimal("118.2")),
    }


def test_the_reports_page_shows_the_comparison(client, books):
    table = comparison_table(october(client))
    assert table == {
        "Omzet na terugbetalingen": ["€\xa062,50", "€\xa080,00", "-€\xa017,50", "-21,9%"],
        "Gegeven lessen": ["3", "2", "+1", "+50,0%"],
        "Bezette plekken": ["21", "10", "+11", "+110,0%"],
        "Bezetting": ["75,0%", "50,0%", "+25,0 procentpunt", "+50,0%"],
        "Niet gekomen": ["9,5%", "10,0%", "-0,5 procentpunt", "-5,0%"],
        "Late annuleringen": ["4,3%", "9,1%", "-4,8 procentpunt", "-52,7%"],
        "Gemaakte boekingen": ["24", "11", "+13", "+118,2%"],
    }


def test_a_chosen_comparison_period_replaces_the_previous_one(client, books):
    html = page(client, "/boekhouding/overzichten/", {"first": "2026-09-01", "last": "2026-09-30",
                                                      "compare_first": "2026-10-01", "compare_last": "2026-10-31"})
    table = comparison_table(html)
    assert table["Omzet na terugbetalingen"] == ["€\xa080,00", "€\xa062,50", "+€\xa017,50", "+28,0%"]
    assert table["Gegeven lessen"] == ["2", "3", "-1", "-33,3%"]
    assert "1 september 2026 – 30 september 2026 tegenover 1 oktober 2026 – 31 oktober 2026" in html
    nothing_before = page(client, "/boekhouding/overzichten/", {"first": "2026-09-01", "last": "2026-09-30",
                                                                "compare_first": "2025-09-01", "compare_last": "2025-09-30"})
    assert comparison_table(nothing_before)["Gegeven lessen"] == ["2", "0", "+2", "–"]  # no change in % from nothing


# The charts ---------------------------------------------------------------------------


def test_the_charts_carry_the_figures(client, books):
    html = october(client)
    found = svgs(html)
    assert set(found) == {"Bezetting per stijl", "Bezetting per week", "Omzet per maand, na terugbetalingen"}
    for chart in found.values():
        assert chart.get("role") == "img" and chart.get("viewBox").startswith("0 0 ")
        assert chart.get("aria-labelledby").endswith("-title") and chart.get("aria-describedby").endswith("-desc")
    style = found["Bezetting per stijl"]
    assert style.find("desc").text == ("Trauma-bewuste Hatha yoga: 100,0% van de plekken bezet (8 van 8, 1 lessen). "
                                       "Yin yoga: 65,0% van de plekken bezet (13 van 20, 2 lessen).")
    assert [text.text for text in style.iter("text") if text.get("class") == "chart-value"] == ["100,0%", "65,0%"]
    week = found["Bezetting per week"]
    assert [text.text for text in week.iter("text") if text.get("class") == "chart-value"] == ["80,0%", "100,0%", "50,0%"]
    assert "week van 5 oktober: 80,0% van de plekken bezet (8 van 10)." in week.find("desc").text
    revenue = found["Omzet per maand, na terugbetalingen"]
    assert revenue.find("desc").text == "oktober 2026: €\xa062,50 (Losse les: €\xa017,50; Lessenkaart: €\xa045,00)."
    assert [text.text for text in revenue.iter("text") if text.get("class") == "chart-value"] == ["€\xa062,50"]
    legend = [text.text for text in revenue.iter("text") if text.get("class") == "chart-text"]
    assert legend == ["Losse les", "Lessenkaart"]
    # A bar's length is its share of the scale: 100% fills the plot, 65% is 65% of it.
    bars = [int(rect.get("width")) for rect in style.iter("rect")]
    assert bars == [charts.WIDTH - charts.LABELS - charts.VALUES, round(0.65 * (charts.WIDTH - charts.LABELS - charts.VALUES))]
    assert "<style" not in html.split("<main", 1)[-1] and ' style="' not in html  # the CSP allows no inline style


def test_the_fullest_classes_and_rates(client, books):
    html = october(client)
    fullest = re.search(r"<h2>Volste lessen</h2>\s*<ol>(.*?)</ol>", html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", fullest)[:2] == ["13 oktober 2026, 19:30 Trauma-bewuste Hatha yoga: 8 / 8",
                                                           "6 oktober 2026, 19:30 Yin yoga: 8 / 10"]
    assert "Niet gekomen: 9,5% (2 van 21 boekingen)" in html
    assert "Laat geannuleerd: 4,3% (1)" in html


def test_a_refund_of_an_earlier_months_payment_is_drawn_as_a_loss_of_nothing():
    rows = [{"month": date(2026, 10, 1), "total": -3000, "by_product": {"class_card": -3000}}]
    markup = charts.revenue_per_month(rows, [{"purpose": "class_card", "label": "Lessenkaart", "amount": -3000}])
    tree = parse_svg(markup)
    assert [rect for rect in tree.iter("rect") if rect.get("class") == "chart-bar"] == []
    assert [text.text for text in tree.iter("text") if text.get("class") == "chart-value"] == ["-€\xa030,00"]
    assert tree.find("desc").text == "oktober 2026: -€\xa030,00 (Lessenkaart: -€\xa030,00)."


# The page itself ------------------------------------------------------------------------


def test_the_date_fields_show_the_period_so_the_browser_can(client, books):
    html = october(client)
    assert re.search(r'<input type="date" name="first" value="2026-10-01"', html)
    assert re.search(r'<input type="date" name="last" value="2026-10-31"', html)
    default = page(client, "/boekhouding/overzichten/")
    assert re.search(r'<input type="date" name="first" value="2026-09-01"', default)  # the three whole months before
    assert re.search(r'<input type="date" name="last" value="2026-12-15"', default)


def test_the_presets_are_links_to_their_period(client, books):
    html = october(client)
    presets_nav = re.search(r'<nav class="books-presets".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="\?([^"]+)"[^>]*>([^<]+)</a>', presets_nav) == [
        ("first=2026-12-01&amp;last=2026-12-15", "Deze maand"), ("first=2026-11-01&amp;last=2026-11-30", "Vorige maand"),
        ("first=2026-10-01&amp;last=2026-12-15", "Dit kwartaal"), ("first=2026-01-01&amp;last=2026-12-15", "Dit jaar")]
    last_month = page(client, "/boekhouding/overzichten/", {"first": "2026-11-01", "last": "2026-11-30"})
    assert 'aria-current="true">Vorige maand</a>' in last_month


def test_bad_dates_on_the_page_get_a_clear_message(client, books):
    for query, message in (({"first": "2026-10-31", "last": "2026-10-01"}, "De einddatum ligt voor de begindatum."),
                           ({"first": "morgen", "last": "2026-10-01"}, "Voer een geldige datum in."),
                           ({"first": "2026-10-01", "last": "2026-10-31", "compare_last": "2026-09-30"},
                            "Vul allebei de datums in van de periode om mee te vergelijken, of laat ze allebei leeg."),
                           ({"first": "2026-10-01", "last": "2026-10-31", "compare_first": "2026-09-30", "compare_last": "2026-09-01"},
                            "De periode om mee te vergelijken eindigt voordat hij begint.")):
        assert message in page(client, "/boekhouding/overzichten/", query)


def test_the_english_page_speaks_english(client, books):
    html = page(client, "/en/books/reports/", {"first": "2026-10-01", "last": "2026-10-31"})
    assert comparison_table(html)["Revenue after refunds"] == ["€62.50", "€80.00", "-€17.50", "-21.9%"]
    assert set(svgs(html)) == {"Occupancy per style", "Occupancy per week", "Revenue per month, after refunds"}
    assert 'href="/en/books/export/payments.csv?first=2026-10-01&amp;last=2026-10-31"' in html


def test_the_reports_page_asks_the_same_few_queries_however_much_data(client, books, django_assert_max_num_queries):
    def count():
        with CaptureQueriesContext(connection) as queries:
            october(client)
        return len(queries)

    october(client)  # the studio's rules are read once and kept in the cache
    few = count()
    session = SessionFactory(starts_at=local(2026, 10, 29, 19, 30), ends_at=local(2026, 10, 29, 20, 45), capacity=12)
    for i in range(12):
        person = UserFactory(email=f"veel{i}@example.nl")
        BookingFactory(session=session, client=person, confirmed_at=local(2026, 10, 26, 9, 0))
        payment = PaymentFactory(client=person, purpose="drop_in", amount_cents=1750, status="paid", paid_at=local(2026, 10, 26, 9, i))
        books_data._refund(payment, 250, local(2026, 10, 27, 9, i))
    assert count() == few
    with django_assert_max_num_queries(22):
        october(client)


# The VAT page -------------------------------------------------------------------------


def test_the_vat_page_shows_each_quarter_with_its_figures(client, books):
    html = page(client, "/boekhouding/btw/", {"year": "2026"})
    assert "<h1>Btw-overzicht 2026</h1>" in html
    q4 = re.search(r'<table class="books-table" id="vat-q4">.*?</table>', html, re.S).group(0)
    assert table_cells(q4)[1:] == [
        ["21%", "2", "€\xa0195,00", "€\xa0150,00", "€\xa045,00", "€\xa07,82", "€\xa037,18"],
        ["9%", "1", "€\xa017,50", "€\xa00,00", "€\xa017,50", "€\xa01,44", "€\xa016,06"],
        ["Totaal", "3", "€\xa0212,50", "€\xa0150,00", "€\xa062,50", "€\xa09,26", "€\xa053,24"],
    ]
    assert 'id="vat-q3"' in html and "In dit kwartaal is niets ontvangen of terugbetaald." in html  # Q1 and Q2
    assert 'href="/boekhouding/export/vat.csv?first=2026-01-01&amp;last=2026-12-31"' in html
    assert '<a href="/boekhouding/btw/" aria-current="page">Btw</a>' in html


def test_the_vat_page_refuses_a_bad_year_with_a_clear_message(client, books):
    for year in ("1999", "twee", "99999"):
        html = page(client, "/boekhouding/btw/", {"year": year})
        assert "Kies een jaar tussen 2000 en 2100." in html and "books-table" not in html


def test_the_books_are_for_the_admin_only(client, teacher_user, client_user):
    for person in (teacher_user, client_user):
        client.force_login(person)
        for url in ("/boekhouding/overzichten/", "/boekhouding/btw/", "/boekhouding/export/vat.csv"):
            assert client.get(url).status_code == 404, url
    client.logout()
    assert "/account/login/" in client.get("/boekhouding/btw/")["Location"]


def test_the_desk_menu_leads_to_the_reports_and_the_vat_page(client, books):
    html = page(client, "/boekhouding/overzichten/")
    assert '<a href="/boekhouding/overzichten/" aria-current="page">Overzichten</a>' in html
    assert '<a href="/boekhouding/btw/">Btw</a>' in html
    assert 'href="/boekhouding/btw/?year=2026"' in html
