"""The bookkeeper's CSV files, read the way Excel reads them in the Netherlands, and the VAT summary
(tests/bookings/books_data.py holds the fixed books every figure here comes from)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from bookings.books import exports, vat
from bookings.books.periods import Period, Quarter
from bookings.models import Payment, Refund
from core import money
from tests.bookings import books_data
from tests.factories import PaymentFactory, UserFactory, local

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def dutch_excel(content: bytes) -> list[list[str]]:
    """What Excel with Dutch settings does with the file: a BOM says UTF-8, a semicolon separates."""
    assert content.startswith(BOM), "without a BOM Excel takes the file for Windows-1252"
    text = content.decode("utf-8-sig")
    assert "\ufeff" not in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def amount(cell: str) -> Decimal:
    """A number as Dutch Excel reads it: a decimal comma, and no thousands separator at all."""
    assert "." not in cell, f"{cell!r}: Dutch Excel would take the point for a thousands separator"
    return Decimal(cell.replace(",", "."))


def as_records(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def books(client):
    paid = books_data.money()
    client.force_login(books_data.admin())
    return paid


def download(client, kind, first, last, english=False):
    with time_machine.travel(books_data.NOW, tick=False):
        response = client.get(f"{'/en/books' if english else '/boekhouding'}/export/{kind}.csv",
                              {"first": first.isoformat(), "last": last.isoformat()})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response.content


def test_payments_export_opens_in_dutch_excel_with_the_exact_figures(client, books):
    rows = as_records(dutch_excel(download(client, "payments", *books_data.Q4)))
    figures = [(row["Bonnummer"], row["Datum betaald"], row["Tijd"], row["Product"], row["Betaalwijze"], row["Status"],
                amount(row["Bruto (€)"]), amount(row["Terugbetaald (€)"]), amount(row["Netto ontvangen (€)"]),
                row["btw-tarief (%)"], amount(row["Btw over netto (€)"]), amount(row["Excl. btw (€)"])) for row in rows]
    assert figures == [
        ("2026-00101", "15-10-2026", "10:00", "Losse les", "iDEAL", "Betaald",
         Decimal("17.50"), Decimal("0.00"), Decimal("17.50"), "9", Decimal("1.44"), Decimal("16.06")),
        ("2026-00102", "20-10-2026", "14:30", "Lessenkaart", "Kaart", "Deels terugbetaald",
         Decimal("120.00"), Decimal("45.00"), Decimal("75.00"), "21", Decimal("13.02"), Decimal("61.98")),
        ("2026-00103", "05-11-2026", "09:15", "Individuele sessie", "Contant in de studio", "Terugbetaald",
         Decimal("75.00"), Decimal("75.00"), Decimal("0.00"), "21", Decimal("0.00"), Decimal("0.00")),
    ]
    assert sum(amount(row["Netto ontvangen (€)"]) for row in rows) == Decimal("92.50")
    assert sum(amount(row["Btw over netto (€)"]) for row in rows) == Decimal("14.46")


def test_vat_export_gives_each_quarter_and_rate_net_of_the_refunds_made_in_it(client, books):
    rows = as_records(dutch_excel(download(client, "vat", date(2026, 7, 1), date(2026, 12, 31))))
    figures = [(row["Kwartaal"], row["btw-tarief (%)"], row["Betalingen"], amount(row["Bruto ontvangen (€)"]),
                amount(row["Terugbetaald (€)"]), amount(row["Netto ontvangen incl. btw (€)"]), amount(row["Btw (€)"]),
                amount(row["Excl. btw (€)"])) for row in rows]
    assert figures == [
        # September's class card: its VAT declared in full in Q3 (80,00 x 21/121 = 13,884 -> 13,88) ...
        ("K3 2026", "21", "1", Decimal("80.00"), Decimal("0.00"), Decimal("80.00"), Decimal("13.88"), Decimal("66.12")),
        # ... its 30,00 back on 2 October corrects Q4: VAT(50,00) - VAT(80,00) = 8,68 - 13,88 = -5,20. With October's card
        # (VAT 20,83, then 13,02 after 45,00 back) and November's one-to-one (13,02, then nothing): 20,83 - 7,81 + 13,02
        # - 13,02 - 5,20 = 7,82.
        ("K4 2026", "21", "2", Decimal("195.00"), Decimal("150.00"), Decimal("45.00"), Decimal("7.82"), Decimal("37.18")),
        ("K4 2026", "9", "1", Decimal("17.50"), Decimal("0.00"), Decimal("17.50"), Decimal("1.44"), Decimal("16.06")),
    ]


def test_a_refund_in_the_next_quarter_lowers_that_quarters_vat_and_leaves_the_first_alone():
    client = UserFactory(email="kaart@example.nl")
    payment = PaymentFactory(client=client, purpose="class_card", amount_cents=8000, vat_rate_percent=21, status="paid",
                             paid_at=local(2026, 9, 20, 11, 0), receipt_number="2026-00200")
    both = Period(date(2026, 7, 1), date(2026, 12, 31))
    before = {entry.quarter: entry.total for entry in vat.vat_summary(both)}
    assert (before[Quarter(2026, 3)].vat, before[Quarter(2026, 4)].vat) == (1388, 0)
    books_data._refund(payment, 3000, local(2026, 10, 2, 16, 0))
    after = {entry.quarter: entry.total for entry in vat.vat_summary(both)}
    assert (after[Quarter(2026, 3)].gross, after[Quarter(2026, 3)].refunded, after[Quarter(2026, 3)].vat) == (8000, 0, 1388)
    assert (after[Quarter(2026, 4)].payments, after[Quarter(2026, 4)].refunded, after[Quarter(2026, 4)].vat) == (0, 3000, -520)
    assert after[Quarter(2026, 4)].excluding_vat == -3000 + 520
    # Over the payment's life: exactly the VAT on the 50,00 it kept.
    assert after[Quarter(2026, 3)].vat + after[Quarter(2026, 4)].vat == money.vat_included(5000, 21) == 868


def test_a_payments_vat_over_all_its_refunds_is_the_vat_on_what_it_kept():
    payment = PaymentFactory(client=UserFactory(email="veel@example.nl"), purpose="class_card", amount_cents=9999,
                             vat_rate_percent=Decimal("9"), status="paid", paid_at=local(2026, 3, 31, 23, 30))
    for cents, moment in ((1, local(2026, 4, 1, 0, 5)), (333, local(2026, 6, 30, 23, 59)), (4444, local(2026, 7, 1, 0, 0))):
        books_data._refund(payment, cents, moment)
    summary = vat.vat_summary(Period(date(2026, 1, 1), date(2026, 12, 31)))
    assert [entry.total.vat for entry in summary] == [826, -28, -367, 0]
    assert sum(entry.total.vat for entry in summary) == money.vat_included(9999 - 1 - 333 - 4444, 9) == 431
    assert sum(entry.total.net for entry in summary) == 9999 - 4778
    payment.refresh_from_db()
    assert payment.refunded_cents == 4778 and payment.status == "partially_refunded"


def test_a_payment_refunded_in_full_in_its_own_quarter_carries_no_vat(client, books):
    summary = vat.vat_summary(Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert len(summary) == 1 and summary[0].quarter == Quarter(2026, 4)
    rows = as_records(dutch_excel(download(client, "payments", date(2026, 11, 1), date(2026, 11, 30))))
    assert [(row["Bonnummer"], row["Btw over netto (€)"], row["Netto ontvangen (€)"]) for row in rows] == [("2026-00103", "0,00", "0,00")]


def test_refunds_export_lists_each_credit_with_the_vat_it_takes_off(client, books):
    rows = as_records(dutch_excel(download(client, "refunds", *books_data.Q4)))
    figures = [(row["Datum terugbetaald"], row["Tijd"], row["Bonnummer"], row["Datum betaald"], amount(row["Terugbetaald (€)"]),
                row["btw-tarief (%)"], amount(row["Btw terugbetaald (€)"]), amount(row["Excl. btw (€)"])) for row in rows]
    assert figures == [
        ("02-10-2026", "16:00", "2026-00100", "20-09-2026", Decimal("30.00"), "21", Decimal("5.20"), Decimal("24.80")),
        ("25-10-2026", "12:00", "2026-00102", "20-10-2026", Decimal("45.00"), "21", Decimal("7.81"), Decimal("37.19")),
        ("10-11-2026", "10:00", "2026-00103", "05-11-2026", Decimal("75.00"), "21", Decimal("13.02"), Decimal("61.98")),
    ]
    assert Refund.objects.filter(status="pending").count() == 1  # the one still on its way is not in it


def test_a_quarter_with_only_a_refund_shows_negative_vat_as_a_number(client, books):
    body = download(client, "vat", date(2027, 1, 1), date(2027, 3, 31))
    assert dutch_excel(body) == [["Kwartaal", "btw-tarief (%)", "Betalingen", "Bruto ontvangen (€)", "Terugbetaald (€)",
                                  "Netto ontvangen incl. btw (€)", "Btw (€)", "Excl. btw (€)"]]
    # 12,50 of October's drop-in (9%) back in January (5,00 of it is still on its way): VAT(5,00) - VAT(17,50) = 0,41 - 1,44.
    books_data._refund(Payment.objects.get(receipt_number="2026-00101"), 1250, local(2027, 1, 4, 9, 0))
    rows = as_records(dutch_excel(download(client, "vat", date(2027, 1, 1), date(2027, 3, 31))))
    assert [(row["Betalingen"], row["Netto ontvangen incl. btw (€)"], row["Btw (€)"], row["Excl. btw (€)"]) for row in rows] == [
        ("0", "-12,50", "-1,03", "-11,47")]


def test_bookings_and_clients_exports_in_dutch(client, books):
    books_data.classes()
    rows = as_records(dutch_excel(download(client, "bookings", *books_data.OCTOBER)))
    assert len(rows) == 8 + 2 + 8 + 5 + 1
    first = rows[0]
    assert (first["Datum"], first["Tijd"], first["Les"], first["Status"], first["Betaald met"], first["Prijs (€)"]) == (
        "06-10-2026", "19:30", "Yin yoga", "Geboekt", "Betalen in de studio", "17,50")
    assert sorted({row["Aanwezigheid"] for row in rows}) == ["Niet gekomen", "Nog niet bekend"]
    assert sum(row["Te laat geannuleerd"] == "ja" for row in rows) == 1
    assert sum(row["Geannuleerd door de studio"] == "ja" for row in rows) == 1
    clients = as_records(dutch_excel(download(client, "clients", *books_data.OCTOBER)))
    payer = next(row for row in clients if row["E-mail"] == "betaler1@example.nl")
    assert (payer["Voornaam"], payer["Taal"], payer["Boekingen in de periode"]) == ("Betaler1", "NL", "0")
    assert len(payer["Cliënt sinds"]) == 10 and payer["Cliënt sinds"][2] == "-"


def test_english_export_has_english_headers_and_labels_and_the_same_numbers(client, books):
    rows = as_records(dutch_excel(download(client, "payments", *books_data.Q4, english=True)))
    assert list(rows[0]) == ["Date paid", "Time", "Receipt number", "Name", "Email", "Product", "Payment method", "Status",
                             "Gross (€)", "Refunded (€)", "Net received (€)", "VAT rate (%)", "VAT on net (€)", "Excl. VAT (€)"]
    assert [(row["Product"], row["Payment method"], row["Status"], row["VAT on net (€)"]) for row in rows] == [
        ("Drop-in class", "iDEAL", "Paid", "1,44"), ("Class card", "Card", "Partly refunded", "13,02"),
        ("One-to-one session", "Cash at the studio", "Refunded", "0,00")]
    vat_rows = as_records(dutch_excel(download(client, "vat", *books_data.Q4, english=True)))
    assert [row["Quarter"] for row in vat_rows] == ["Q4 2026", "Q4 2026"]


@pytest.mark.parametrize(("query", "message"), [
    ({"first": "2026-02-30", "last": "2026-03-31"}, "Voer een geldige datum in."),
    ({"first": "2026-10-31", "last": "2026-10-01"}, "De einddatum ligt voor de begindatum."),
    ({"first": "1850-01-01", "last": "2026-10-01"}, "Kies een datum tussen 2000 en 2100."),
    ({"first": "2020-01-01", "last": "2026-10-01"}, "Kies een periode van hoogstens drie jaar."),
    ({"first": "2026-10-01", "last": "2026-10-31", "compare_first": "2026-09-01"},
     "Vul allebei de datums in van de periode om mee te vergelijken, of laat ze allebei leeg."),
])
def test_bad_dates_get_a_clear_message_and_nothing_else(client, books, query, message):
    response = client.get("/boekhouding/export/payments.csv", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == message


def test_an_unknown_export_is_not_found(client, books):
    assert client.get("/boekhouding/export/salaris.csv").status_code == 404


def test_cells_that_look_like_formulas_stay_text_and_numbers_stay_numbers(client, books):
    UserFactory(email="x@example.nl", first_name='=HYPERLINK("http://evil")', last_name="@SUM(A1)", phone="+31 6 1234 5678")
    PaymentFactory(client=UserFactory(email="y@example.nl", first_name="-2+3"), purpose="drop_in", amount_cents=1750, status="paid",
                   method="pin", paid_at=local(2026, 12, 1, 10, 0), receipt_number="=1+1")
    clients = dutch_excel(download(client, "clients", *books_data.Q4))
    evil = next(row for row in clients if row[2] == "x@example.nl")
    assert evil[:2] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(A1)"] and evil[3] == "'+31 6 1234 5678"
    payments = as_records(dutch_excel(download(client, "payments", *books_data.Q4)))
    row = next(row for row in payments if row["E-mail"] == "y@example.nl")
    assert (row["Bonnummer"], row["Naam"][:5], row["Bruto (€)"]) == ("'=1+1", "'-2+3", "17,50")


def test_the_csv_cell_guard_and_number_cells():
    assert exports._safe_cell("=1+1") == "'=1+1" and exports._safe_cell("\tx") == "'\tx" and exports._safe_cell("Anna") == "Anna"
    assert exports.Number.cents(123450).text == "1234,50" and exports.Number.cents(-5).text == "-0,05"
    assert exports.Number.rate(Decimal("21.0")).text == "21" and exports.Number.rate(Decimal("10.5")).text == "10,5"
