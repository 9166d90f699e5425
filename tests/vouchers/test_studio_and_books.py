"""The teacher taking a voucher at the studio, and the books: a voucher sale is no turnover, the part
a voucher pays is turnover at the product's rate, and the vouchers CSV shows sold against used."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from bookings.books import reports
from bookings.books.movements import movements
from bookings.books.periods import Period
from bookings.books.vat import vat_summary
from bookings.group import cards
from bookings.models import BookingPolicy, Payment, VoucherEntry
from bookings.payments import voucher_ledger
from core.vat import EXEMPT, GENERAL, REDUCED
from tests.bookings import books_data
from tests.factories import AppointmentTypeFactory, ClassCardTypeFactory, UserFactory

from .conftest import NOW, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def voucher(free_amount):
    return issued(free_amount, UserFactory(email="koper@example.nl", first_name="Koos", last_name="Koper"), value=3000)


def _page(response):
    return response.content.decode().replace("\xa0", " ")


def test_the_teacher_looks_a_code_up_and_takes_the_rest(client, teacher_user, voucher):
    client.force_login(teacher_user)
    menu = _page(client.get("/lesgeven/"))
    assert 'href="/lesgeven/cadeaubon/"' in menu and "Cadeaubon innemen" in menu
    page = _page(client.get("/lesgeven/cadeaubon/", {"code": voucher.code.lower()}))
    assert "Nog € 30,00" in page and "Geldig tot 10 maart 2027." in page and "Gekocht" in page
    response = client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "everything": "on", "what_for": "other"}, follow=True)
    assert f"€ 30,00 afgehaald van cadeaubon {voucher.code}; er staat nog € 0,00 op." in _page(response)
    entry = voucher.entries.get(kind=VoucherEntry.Kind.AT_STUDIO)
    assert entry.delta_cents == -3000 and entry.created_by == teacher_user
    assert voucher_ledger.voucher_balance(voucher) == 0


def test_the_teacher_takes_an_amount_and_too_much_is_refused(client, teacher_user, voucher):
    client.force_login(teacher_user)
    client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "amount": "17,50", "reason": "Yin dinsdag", "what_for": "other"})
    response = client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "amount": "20,00", "what_for": "other"})
    assert response.status_code == 400
    assert "Er staat nog maar € 12,50 op deze cadeaubon; neem hoogstens dat bedrag." in _page(response)
    response = client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "what_for": "other"})
    assert "Vul een bedrag in, of kies alles wat er nog op staat." in _page(response)
    assert voucher_ledger.voucher_balance(voucher) == 1250 and voucher.entries.filter(kind="at_studio").count() == 1


def test_an_unknown_or_expired_code_at_the_studio_says_why(client, teacher_user, voucher):
    client.force_login(teacher_user)
    page = _page(client.get("/lesgeven/cadeaubon/", {"code": "TOL-AAAA-AAAA"}))
    assert "Er is geen cadeaubon met deze code." in page
    with time_machine.travel(voucher.expires_at.replace(year=2028), tick=False):
        page = _page(client.get("/lesgeven/cadeaubon/", {"code": voucher.code}))
        assert "Verlopen op 10 maart 2027." in page
        response = client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "everything": "on", "what_for": "other"})
        assert "Deze cadeaubon is verlopen op 10 maart 2027" in _page(response)
    assert voucher_ledger.voucher_balance(voucher) == 3000


def test_what_the_voucher_pays_for_at_the_studio_sets_the_vat_rate_in_the_books(client, teacher_user, voucher):
    """A one-to-one (exempt from VAT) paid with a voucher at the studio is no 21% turnover."""
    session_kind = AppointmentTypeFactory(vat_rate_percent=EXEMPT, is_bookable_alone=True)
    card_type = ClassCardTypeFactory(name_nl="10-lessenkaart", name_en="10-class card", vat_rate_percent=REDUCED)
    client.force_login(teacher_user)
    page = _page(client.get("/lesgeven/cadeaubon/", {"code": voucher.code}))
    assert "Waarvoor" in page and "Energetische Sessie (60 minuten) · vrijgesteld" in page and "10-lessenkaart · 9%" in page
    assert "Iets anders · 21%" in page
    assert "Cadeaubon" not in page.split('name="what_for"')[1].split("</select>")[0]  # not another voucher
    with time_machine.travel(NOW, tick=False):
        response = client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "amount": "12,00", "reason": "dinsdag",
                                                       "what_for": f"appointment:{session_kind.name}"}, follow=True)
        client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "amount": "10,90", "what_for": f"class_card:{card_type.name}"})
    assert "€ 12,00 afgehaald" in _page(response)
    exempt, reduced = voucher.entries.filter(kind=VoucherEntry.Kind.AT_STUDIO).order_by("pk")
    assert (exempt.vat_rate_percent, exempt.reason) == (EXEMPT, "Energetische Sessie (60 minuten) · dinsdag")
    assert "Energetische Sessie (60 minuten) · dinsdag" in _page(client.get("/lesgeven/cadeaubon/", {"code": voucher.code}))
    moved = sorted((m.rate, m.gross, m.vat) for m in movements(Period(date(2026, 3, 1), date(2026, 3, 31)))
                   if m.purpose == "voucher_at_studio")
    assert moved == [(EXEMPT, 1200, 0), (REDUCED, 1090, 90)]


def test_euros_taken_at_the_studio_before_the_teacher_chose_count_at_the_studios_default_rate(teacher_user, voucher):
    VoucherEntry.objects.create(voucher=voucher, delta_cents=-1090, kind=VoucherEntry.Kind.AT_STUDIO, created_at=NOW, created_by=teacher_user)
    policy = BookingPolicy.current()
    policy.vat_rate_percent = REDUCED
    policy.save()
    moved = [(m.rate, m.gross, m.vat) for m in movements(Period(date(2026, 3, 1), date(2026, 3, 31))) if m.purpose == "voucher_at_studio"]
    assert moved == [(REDUCED, 1090, 90)]


def test_taking_a_voucher_without_saying_what_for_is_refused_and_nothing_taken(client, teacher_user, voucher):
    client.force_login(teacher_user)
    response = client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "amount": "10,00"})
    assert response.status_code == 400 and "Dit veld is verplicht." in _page(response)
    response = client.post("/lesgeven/cadeaubon/", {"code": voucher.code, "amount": "10,00", "what_for": "class_card:Weggehaalde kaart"})
    assert response.status_code == 400 and "Selecteer een geldige keuze." in _page(response)
    assert voucher_ledger.voucher_balance(voucher) == 3000 and not voucher.entries.filter(kind="at_studio").exists()


def test_the_teachers_page_is_not_for_clients(client, client_user):
    client.force_login(client_user)
    assert client.get("/lesgeven/cadeaubon/").status_code == 404


def _card_paid_partly_by(voucher, person, *, rate=21, price=8000):
    payment = cards.card_purchase_create(client=person, card_type=ClassCardTypeFactory(price_cents=price), now=NOW)
    voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=person, now=NOW)
    Payment.objects.filter(pk=payment.pk).update(status="paid", paid_at=NOW, vat_rate_percent=rate, receipt_number="2026-00900")
    payment.refresh_from_db()
    return payment


def test_the_voucher_part_is_turnover_at_the_products_rate_and_the_sale_is_not(voucher, client_user):
    Payment.objects.filter(pk=voucher.payment_id).update(paid_at=NOW, receipt_number="2026-00899")
    card = _card_paid_partly_by(voucher, client_user)
    moved = [m for m in movements(Period(date(2026, 3, 1), date(2026, 3, 31))) if m.payment_id == card.pk]
    assert [(m.gross, m.vat, m.by_voucher) for m in moved] == [(5000, 868, False), (3000, 1388 - 868, True)]
    quarter, = [q for q in vat_summary(Period(date(2026, 1, 1), date(2026, 3, 31)))]
    line, = quarter.lines
    assert (line.rate, line.payments, line.gross, line.vat) == (Decimal("21"), 1, 8000, 1388)
    assert (quarter.vouchers.payments, quarter.vouchers.gross, quarter.vouchers.vat) == (1, 3000, 0)


def test_revenue_counts_the_money_once_the_voucher_sale_and_the_rest_paid(voucher, client_user):
    """Revenue is money: the € 30 the voucher was sold for and the € 50 paid on top, not the € 30 again."""
    Payment.objects.filter(pk=voucher.payment_id).update(paid_at=NOW, receipt_number="2026-00899")
    _card_paid_partly_by(voucher, client_user)
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    figures = reports.revenue(march)
    assert figures["total"] == 3000 + 5000
    assert (figures["per_product"]["voucher"], figures["per_product"]["class_card"]) == (3000, 5000)
    assert reports.key_figures(march, now=NOW)["revenue"] == 8000


def test_the_vouchers_export_shows_sold_against_used(client, voucher, client_user, teacher_user):
    Payment.objects.filter(pk=voucher.payment_id).update(paid_at=NOW, receipt_number="2026-00899")
    _card_paid_partly_by(issued(voucher.product, client_user, value=10000), client_user)
    voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=1000, vat_rate=GENERAL, actor=teacher_user, now=NOW)
    client.force_login(books_data.admin())
    with time_machine.travel(NOW, tick=False):
        assert "Cadeaubonnen (verkocht en gebruikt)" in _page(client.get("/boekhouding/overzichten/"))
        response = client.get("/boekhouding/export/vouchers.csv", {"first": "2026-03-01", "last": "2026-03-31"})
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    figures = [(row["Code"], row["Verkocht in de periode (€)"], row["Online gebruikt (€)"], row["In de studio gebruikt (€)"],
                row["Saldo aan het eind (€)"], row["Gekocht door"]) for row in rows]
    assert (voucher.code, "30,00", "0,00", "10,00", "20,00", "Koos Koper") in figures
    assert any(row[1:5] == ("100,00", "80,00", "0,00", "20,00") for row in figures)


def test_euros_taken_at_the_studio_are_turnover_at_the_default_rate(client, teacher_user, voucher):
    """No payment of ours is made at the studio, but what the voucher paid there is sold that day."""
    voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=1210, vat_rate=GENERAL, actor=teacher_user, now=NOW)
    moved = [m for m in movements(Period(date(2026, 3, 1), date(2026, 3, 31))) if m.purpose == "voucher_at_studio"]
    assert [(m.gross, m.vat, m.by_voucher) for m in moved] == [(1210, 210, True)]
    quarter, = vat_summary(Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert (quarter.total.gross, quarter.total.vat) == (1210, 210)
    assert reports.revenue(Period(date(2026, 3, 1), date(2026, 3, 31)))["per_product"].get("voucher_at_studio", 0) == 0
