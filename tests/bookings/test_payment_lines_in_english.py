"""Every payment keeps its line in Dutch (the books, the invoice) and in English (description_en), written
once per product; a client reading in English sees the English one on her receipt, under "My bookings"
and in her emails, in Dutch the Dutch one; an older payment without an English line shows the Dutch."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from bookings.group import cards, roster, services
from bookings.memberships import sync
from bookings.models import Booking, Invoice, Payment, Refund, VoucherProduct
from bookings.offers import vouchers
from bookings.payments import records, refund_mail
from bookings.personal import appointments, availability, programmes
from tests.factories import (
    AppointmentTypeFactory,
    ClassCardTypeFactory,
    OfferingFactory,
    PaymentFactory,
    SessionFactory,
    UserFactory,
    individual_tre_type,
    intake_for,
    local,
    programme_run,
)
from tests.memberships.members import membership_type, running

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 10, 0)  # a Monday morning
GENTLE_WHEN = local(2026, 6, 3, 19, 30)


def url(name, *args, language="nl"):
    with translation.override(language):
        return reverse(name, args=args)


def page(client, name, *args, language="nl") -> str:
    response = client.get(url(name, *args, language=language))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def five_class_card(db):
    return ClassCardTypeFactory(name_nl="5-lessenkaart", name_en="5-class card", credits=5, price_cents=8000)


@pytest.fixture
def gentle(db):
    offering = OfferingFactory(slug="zachte-yoga", name_nl="Zachte yoga", name_en="Gentle yoga", drop_in_price_cents=1750)
    return SessionFactory(offering=offering, starts_at=GENTLE_WHEN, ends_at=GENTLE_WHEN + timedelta(minutes=75), capacity=8)


def pay_online(client, payment: Payment, fake_stripe, *, language) -> Payment:
    """She pays at (the local) Stripe and comes back to the site in her language."""
    fake_stripe.pay(payment.stripe_checkout_id, method="card")
    response = client.get(url("bookings:checkout_return", language=language) + f"?session_id={payment.stripe_checkout_id}")
    assert response.status_code in (200, 302)
    payment.refresh_from_db()
    assert payment.is_paid
    return payment


# One rule per product, both languages at once -------------------------------------------------------


def test_described_writes_the_line_in_dutch_and_in_english(five_class_card):
    assert records.described(lambda: five_class_card.name) == {"description": "5-lessenkaart", "description_en": "5-class card"}


def test_a_product_without_an_english_name_gets_its_dutch_name_in_both(db):
    dutch_only = ClassCardTypeFactory(name_nl="Proefkaart", name_en="")
    assert records.described(lambda: dutch_only.name) == {"description": "Proefkaart", "description_en": "Proefkaart"}


def test_a_line_longer_than_the_field_is_cut_in_both_languages(db):
    lines = records.described(lambda: "x" * 250)
    assert len(lines["description"]) == len(lines["description_en"]) == 200


def test_every_kind_of_payment_records_both_lines(client_user, five_class_card, gentle, frozen, teacher):
    card = cards.card_purchase_create(client=client_user, card_type=five_class_card, now=NOW)
    drop_in = services.booking_create(client=client_user, session=gentle, pay_with="stripe", now=NOW).payment
    product = VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Gift voucher", amount_cents=2500, validity_months=12)
    voucher = vouchers.voucher_purchase_create(client=client_user, product=product, now=NOW)
    intake_for(client_user)
    energetic = AppointmentTypeFactory(teacher=teacher, slug="energetisch", name_nl="Energetische sessie", name_en="Energetic session")
    start = availability.free_slots(energetic, now=NOW)[0]
    one_to_one = appointments.appointment_book(client=client_user, appointment_type=energetic, starts_at=start, pay_with="stripe",
                                               now=NOW).payment
    tre = individual_tre_type(teacher=teacher)
    alone = programmes.individual_buy(client=client_user, appointment_type=tre, now=NOW).payment
    when = f"{start.astimezone(GENTLE_WHEN.tzinfo):%d-%m-%Y %H:%M}"
    found = {payment.pk: (payment.description, payment.description_en) for payment in Payment.objects.all()}
    assert found[card.pk] == ("5-lessenkaart", "5-class card")
    assert found[drop_in.pk] == ("Zachte yoga 03-06-2026 19:30", "Gentle yoga 03-06-2026 19:30")
    assert found[voucher.pk] == ("Cadeaubon €\xa025,00", "Gift voucher €25.00")
    assert found[one_to_one.pk] == (f"Energetische sessie {when}", f"Energetic session {when}")
    assert found[alone.pk] == ("TRE®-traject (individueel, Individuele TRE®-sessie)", "TRE® programme (one-to-one, One-to-one TRE® session)")


def test_a_programme_group_records_both_lines(client_user, teacher, frozen):
    intake_for(client_user)
    run = programme_run(starts=NOW + timedelta(days=7), teacher=teacher)
    enrolment = programmes.group_enrol(client=client_user, run=run, now=NOW)
    payment = enrolment.payment
    start = f"{(NOW + timedelta(days=7)):%d-%m-%Y}"
    assert (payment.description, payment.description_en) == (f"TRE®-traject (groep vanaf {start})", f"TRE® programme (group from {start})")


def test_money_taken_at_the_studio_records_both_lines(client_user, gentle, teacher, frozen):
    booking = services.booking_create(client=client_user, session=gentle, pay_with="studio", now=NOW, by_staff=True)
    payment = roster.mark_paid_at_studio(booking=booking, method="pin", actor=teacher.user, now=NOW)
    assert (payment.description, payment.description_en) == ("Zachte yoga 03-06-2026 19:30", "Gentle yoga 03-06-2026 19:30")


def test_a_membership_month_records_both_lines(client_user, frozen):
    kind = membership_type(name="Onbeperkt yoga")
    kind.name_en = "Unlimited yoga"
    kind.save()
    membership = running(client_user, kind, now=NOW)
    invoice = SimpleNamespace(id="in_test_1", amount_paid=7900, currency="eur", status_transitions=None, lines=None,
                              billing_reason="subscription_cycle")
    payment = sync.payment_record(membership, invoice, now=NOW, paid_with=("pi_test_1", "sepa_debit"))
    span = f"{membership.current_period_start:%d-%m-%Y} – {membership.current_period_end:%d-%m-%Y}"
    assert (payment.description, payment.description_en) == (f"Onbeperkt yoga {span}", f"Unlimited yoga {span}")
    with translation.override("en"):
        assert payment.label == f"Unlimited yoga {span}"


# What she reads --------------------------------------------------------------------------------------


def test_a_class_card_bought_in_english_reads_english_on_the_receipt_and_my_bookings(logged_in, five_class_card, fake_stripe, frozen):
    response = logged_in.post(url("bookings:card_buy", five_class_card.pk, language="en"), {"code": ""})
    assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url)
    payment = pay_online(logged_in, Payment.objects.get(), fake_stripe, language="en")
    receipt = page(logged_in, "bookings:receipt", payment.pk, language="en")
    mine = page(logged_in, "bookings:my_bookings", language="en")
    assert "<td>5-class card</td>" in receipt and "5-lessenkaart" not in receipt
    assert "<td>5-class card</td>" in mine and "5-lessenkaart" not in mine
    dutch = page(logged_in, "bookings:my_bookings")
    assert "<td>5-lessenkaart</td>" in dutch and "5-class card" not in dutch
    assert "<td>5-lessenkaart</td>" in page(logged_in, "bookings:receipt", payment.pk)


def test_a_class_booked_in_english_reads_english_on_the_receipt_and_my_bookings(logged_in, gentle, fake_stripe, frozen):
    response = logged_in.post(url("bookings:book", gentle.pk, language="en"), {"pay_with": "stripe"})
    assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url)
    payment = pay_online(logged_in, Booking.objects.get().payment, fake_stripe, language="en")
    line = "Gentle yoga 03-06-2026 19:30"
    assert f"<td>{line}</td>" in page(logged_in, "bookings:receipt", payment.pk, language="en")
    mine = page(logged_in, "bookings:my_bookings", language="en")
    assert f"<td>{line}</td>" in mine and "Zachte yoga" not in mine
    assert "<td>Zachte yoga 03-06-2026 19:30</td>" in page(logged_in, "bookings:my_bookings")


def test_a_one_to_one_booked_in_english_reads_english_on_the_receipt_and_my_bookings(logged_in, client_user, teacher, fake_stripe,
                                                                                      frozen):
    intake_for(client_user)
    energetic = AppointmentTypeFactory(teacher=teacher, slug="energetisch", name_nl="Energetische sessie", name_en="Energetic session")
    start = availability.free_slots(energetic, now=NOW)[0]
    response = logged_in.post(url("bookings:appointment_book", energetic.slug, language="en"),
                              {"starts_at": start.isoformat(), "pay_with": "stripe"})
    assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url), response.get("Location")
    payment = pay_online(logged_in, Payment.objects.get(), fake_stripe, language="en")
    line = f"Energetic session {start.astimezone(GENTLE_WHEN.tzinfo):%d-%m-%Y %H:%M}"
    assert f"<td>{line}</td>" in page(logged_in, "bookings:receipt", payment.pk, language="en")
    mine = page(logged_in, "bookings:my_bookings", language="en")
    assert f"<td>{line}</td>" in mine and "Energetische sessie" not in mine


def test_an_older_payment_without_an_english_line_shows_the_dutch_one(logged_in, client_user, frozen):
    PaymentFactory(client=client_user, purpose="class_card", description="10-lessenkaart", description_en="", status=Payment.Status.PAID,
                   paid_at=NOW, created_at=NOW, receipt_number="2026-0009")
    assert "<td>10-lessenkaart</td>" in page(logged_in, "bookings:my_bookings", language="en")


def test_a_receipt_without_its_product_falls_back_to_the_line_in_the_pages_language(logged_in, client_user, frozen):
    payment = PaymentFactory(client=client_user, purpose="class_card", description="Proefkaart", description_en="Trial card",
                             status=Payment.Status.PAID, paid_at=NOW, created_at=NOW, receipt_number="2026-0010")
    assert "<td>Trial card</td>" in page(logged_in, "bookings:receipt", payment.pk, language="en")
    assert "<td>Proefkaart</td>" in page(logged_in, "bookings:receipt", payment.pk)


def test_the_refund_email_names_the_purchase_in_her_language(db, five_class_card, frozen):
    for number, (language, expected) in enumerate((("en", "5-class card"), ("nl", "5-lessenkaart")), start=1):
        person = UserFactory(email=f"{language}@example.com", language=language)
        payment = PaymentFactory(client=person, purpose="class_card", status=Payment.Status.PAID, paid_at=NOW, created_at=NOW,
                                 receipt_number=f"2026-002{number}",
                                 **records.described(lambda: five_class_card.name))
        refund = Refund.objects.create(payment=payment, amount_cents=500, reason="sorry", status=Refund.Status.SUCCEEDED,
                                       idempotency_key=f"test-{language}")
        refund_mail.refund_made(refund.pk)
        message = mail.outbox[-1]
        assert message.to == [person.email] and expected in message.body


# What Stripe shows ------------------------------------------------------------------------------------


def stripe_line(fake_stripe, payment: Payment) -> str:
    """The name of the one line on the payment's Checkout at (the local) Stripe."""
    payment.refresh_from_db()
    [item] = fake_stripe.state.line_items[payment.stripe_checkout_id]
    return item["description"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_stripe_names_every_purchase_as_our_receipt_does(logged_in, client_user, five_class_card, gentle, teacher, fake_stripe, frozen,
                                                         language):
    """Checkout's line is the payment's own line in the page's language (Payment.label), the same words as
    the receipt, for every kind bought through the site: a card, a class, a one-to-one, the programme alone
    or in a group, a gift voucher."""
    intake_for(client_user)
    english = language == "en"
    energetic = AppointmentTypeFactory(teacher=teacher, slug="energetisch", name_nl="Energetische sessie", name_en="Energetic session")
    start = availability.free_slots(energetic, now=NOW)[0]
    when = f"{start.astimezone(GENTLE_WHEN.tzinfo):%d-%m-%Y %H:%M}"
    tre = individual_tre_type(teacher=teacher)
    run = programme_run(starts=NOW + timedelta(days=7), teacher=teacher)
    product = VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Gift voucher", amount_cents=2500, validity_months=12,
                                            is_on_sale=True)
    purchases = [
        ("bookings:card_buy", [five_class_card.pk], {"code": ""}, "5-class card" if english else "5-lessenkaart"),
        ("bookings:book", [gentle.pk], {"pay_with": "stripe"}, f"{'Gentle' if english else 'Zachte'} yoga 03-06-2026 19:30"),
        ("bookings:appointment_book", [energetic.slug], {"starts_at": start.isoformat(), "pay_with": "stripe"},
         f"Energetic session {when}" if english else f"Energetische sessie {when}"),
        ("bookings:programme_buy", [tre.pk], {"code": ""},
         "TRE® programme (one-to-one, One-to-one TRE® session)" if english else "TRE®-traject (individueel, Individuele TRE®-sessie)"),
        ("bookings:programme_join", [run.pk], {"code": ""},
         f"TRE® programme (group from {NOW + timedelta(days=7):%d-%m-%Y})" if english
         else f"TRE®-traject (groep vanaf {NOW + timedelta(days=7):%d-%m-%Y})"),
        ("bookings:voucher_buy", [], {"product": product.pk, "print_myself": "on"}, "Gift voucher €25.00" if english else "Cadeaubon €\xa025,00"),
    ]
    for name, args, data, expected in purchases:
        before = set(Payment.objects.values_list("pk", flat=True))
        response = logged_in.post(url(name, *args, language=language), data)
        assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url), (name, response.get("Location"))
        [payment] = Payment.objects.exclude(pk__in=before)
        assert stripe_line(fake_stripe, payment) == expected, name
        assert expected == (payment.description_en if english else payment.description), name


# The invoice --------------------------------------------------------------------------------------


def test_an_invoice_issued_during_an_english_page_keeps_the_clients_own_language(logged_in, client_user, five_class_card, fake_stripe,
                                                                                 frozen):
    """The invoice is written in the client's language (Invoice.language), never the language of the page
    that happened to issue it: a Dutch client paying from an English page gets a Dutch invoice."""
    assert client_user.language == "nl"
    logged_in.post(url("bookings:card_buy", five_class_card.pk, language="en"), {"code": ""})
    with translation.override("en"):
        payment = pay_online(logged_in, Payment.objects.get(), fake_stripe, language="en")
    invoice = Invoice.objects.get(payment=payment)
    assert invoice.language == "nl" and invoice.lines[0]["description"] == "5-lessenkaart"
