"""The money at the admin's desk: finding a payment and its story, refunding all or part after a
confirmation that says what happens to what was bought (the client emailed, in her language),
and the end-of-day cash-up."""

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookings.books import cashup
from bookings.errors import PaymentError
from bookings.group import cards, services
from bookings.models import BookingPolicy, CashCount, ClassCard, ClassCardType, Payment, Refund
from bookings.payments import gateway, records, refunds
from classes.models import STUDIO_TZ
from tests.bookings.paid import paid_online
from tests.factories import ClassCardTypeFactory, OfferingFactory, SessionFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


def read(response) -> str:
    """The page's text, with the no-break space of "€ 17,50" as a plain space."""
    return response.content.decode().replace("\u00a0", " ")


def refund_url(payment):
    return reverse("bookings:desk_refund", args=[payment.pk])


def start_refund(desk, payment):
    page = desk.get(refund_url(payment))
    assert page.status_code == 200
    return page.context["form"]["token"].value()


def test_a_partial_refund_is_confirmed_first_then_made_and_the_client_emailed(desk, admin_person, fake_stripe, client_user, committed):
    payment = paid_online(fake_stripe, client_user)
    assert payment.amount_cents == 7500
    token = start_refund(desk, payment)
    asked = {"amount": "25,00", "reason": "De les was korter door een brandalarm", "token": token}

    check = desk.post(refund_url(payment), asked)
    page = read(check)
    assert check.status_code == 200
    assert "€ 25,00 van € 75,00 gaat terug naar Sanne de Vries." in page
    assert "De plek in Yin yoga op" in page and "blijft geboekt: alleen dit deel van het geld gaat terug" in page
    assert "Als ze later op tijd annuleert, krijgt ze de rest van de betaling terug." in page
    assert "€ 50,00 van de betaling blijft betaald." in page
    assert not Refund.objects.exists(), "nothing is refunded before the confirmation"

    with committed():
        done = desk.post(refund_url(payment), {**asked, "confirmed": "yes"}, follow=True)
    assert "€ 25,00 is onderweg terug naar Sanne de Vries" in read(done)
    refund = Refund.objects.get()
    assert (refund.amount_cents, refund.status, refund.created_by, refund.tell_client) == (2500, "succeeded", admin_person, True)
    payment.refresh_from_db()
    assert (payment.refunded_cents, payment.status) == (2500, Payment.Status.PARTIALLY_REFUNDED)
    assert payment.bookings.get().status == "confirmed", "a desk refund gives money back and nothing else"

    told = [message for message in mail.outbox if message.to == [client_user.email] and "terugbetaald" in message.subject]
    for message in told:
        message.subject, message.body = message.subject.replace("\u00a0", " "), message.body.replace("\u00a0", " ")
    assert len(told) == 1
    assert told[0].subject.endswith("We hebben € 25,00 aan je terugbetaald")
    assert "De les was korter door een brandalarm" in told[0].body
    assert "€ 50,00, blijft betaald" in told[0].body

    # The same confirmation sent twice (a double click) is one refund.
    with committed():
        desk.post(refund_url(payment), {**asked, "confirmed": "yes"})
    assert Refund.objects.count() == 1


def test_a_drop_in_refunded_at_the_desk_earns_no_studio_credit_when_cancelled_later(desk, fake_stripe, client_user, committed):
    policy = BookingPolicy.current()
    policy.drop_in_cancellation = BookingPolicy.DropInCancellation.CREDIT
    policy.save()
    whole, part = paid_online(fake_stripe, client_user), paid_online(fake_stripe, client_user, price_cents=2000)
    for payment, amount in ((whole, "75,00"), (part, "5,00")):
        token = start_refund(desk, payment)
        check = read(desk.post(refund_url(payment), {"amount": amount, "reason": "korting", "token": token}))
        assert ("Als ze later annuleert, komt er niets meer voor terug." in check) == (payment is whole)
        assert ("Als ze later op tijd annuleert, krijgt ze de rest van de betaling terug." in check) == (payment is part)
        with committed():
            desk.post(refund_url(payment), {"amount": amount, "reason": "korting", "token": token, "confirmed": "yes"})
    with committed():
        for payment in (whole, part):
            services.booking_cancel(booking=payment.bookings.get())
    assert not ClassCard.objects.filter(client=client_user, card_type__is_studio_credit=True).exists()
    assert list(Refund.objects.filter(payment=part).order_by("pk").values_list("amount_cents", flat=True)) == [500, 1500]
    assert Refund.objects.filter(payment=whole).count() == 1


def test_an_old_refund_form_sent_again_refunds_nothing_more(desk, fake_stripe, client_user, committed):
    payment = paid_online(fake_stripe, client_user)
    token = start_refund(desk, payment)
    asked = {"amount": "10,00", "reason": "korting", "token": token, "confirmed": "yes"}
    with committed():
        desk.post(refund_url(payment), asked)
        again = desk.post(refund_url(payment), {**asked, "amount": "20,00"}, follow=True)
    assert "Deze terugbetaling van € 10,00 was al gedaan; er is niets meer terugbetaald." in read(again)
    assert list(Refund.objects.values_list("amount_cents", flat=True)) == [1000]


def test_a_payments_page_asks_a_fixed_number_of_queries_however_many_refunds(desk, client_user, committed,
                                                                            django_assert_max_num_queries):
    payment = _studio_payment(client_user, 9000)
    for number in range(6):
        with committed():
            refunds.refund_create(payment=payment, amount_cents=100, reason="korting", key=f"many-{number}", actor=None)
    with django_assert_max_num_queries(10):
        page = read(desk.get(reverse("bookings:desk_payment", args=[payment.pk])))
    assert page.count("Terugbetaling van € 1,00: Terugbetaald") == 6


def test_the_admin_reads_a_clients_receipt_from_the_desk(desk, client_user):
    payment = _studio_payment(client_user, 1750)
    page = read(desk.get(reverse("bookings:desk_payment", args=[payment.pk])))
    assert reverse("bookings:receipt", args=[payment.pk]) in page
    assert desk.get(reverse("bookings:receipt", args=[payment.pk])).status_code == 200


def test_stripes_events_early_twice_and_reversed_tell_the_client_once(fake_stripe, client_user, admin_person, deliver, mailoutbox):
    payment = paid_online(fake_stripe, client_user)
    refund = refunds.refund_create(payment=payment, amount_cents=2500, reason="korting", key="desk-early", actor=admin_person,
                                   tell_client=True)  # its task waits for the commit: Stripe's events come first
    reply = gateway.create_refund(payment_intent_id=payment.stripe_payment_intent_id, amount_cents=2500, idempotency_key="desk-early",
                                  metadata={"refund_id": str(refund.pk), "payment_id": str(payment.pk)})
    events = [json.dumps(event).encode() for kind in ("charge.refunded", "refund.created") for event in fake_stripe.events_of_type(kind)]
    for payload in events + events[::-1]:
        assert deliver(payload).status_code == 200
    refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED, stripe_refund_id=reply.id)  # the API's reply, last
    told = [message for message in mailoutbox if message.to == [client_user.email] and "terugbetaald" in message.subject]
    assert len(told) == 1
    payment.refresh_from_db()
    assert (payment.refunded_cents, payment.status) == (2500, Payment.Status.PARTIALLY_REFUNDED)
    assert set(payment.stripe_events.values_list("type", flat=True)) >= {"charge.refunded", "refund.created"}


def test_the_refund_email_speaks_the_clients_language(desk, fake_stripe, committed):
    person = UserFactory(email="jane@example.com", first_name="Jane", language="en")
    payment = paid_online(fake_stripe, person, price_cents=1750)
    token = start_refund(desk, payment)
    with committed():
        desk.post(refund_url(payment), {"amount": "17,50", "reason": "Sorry", "token": token, "confirmed": "yes"})
    told = [message for message in mail.outbox if message.to == ["jane@example.com"]]
    assert [message.subject.split("] ")[-1] for message in told] == ["We have refunded €17.50 to you"]
    assert f"/en/receipts/{payment.pk}/" in told[0].body
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED


def test_the_confirmation_of_a_class_card_refund_says_the_card_stays(desk, client_user):
    card_type_card = cards.card_issue(client=client_user, card_type=_card_type(), now=timezone.now(),
                                      payment=_studio_payment(client_user, 9000, purpose="class_card"))
    token = start_refund(desk, card_type_card.payment)
    page = read(desk.post(refund_url(card_type_card.payment), {"amount": "90,00", "reason": "Verhuisd", "token": token}))
    assert "De 5-lessenkaart blijft zoals ze is, met nog 5 lessen" in page
    assert "Het is op de studio betaald: geef het geld met de hand terug" in page
    assert not Refund.objects.exists()


@pytest.mark.parametrize("amount, message", [
    ("80,00", "Er kan nog hooguit € 75,00 worden terugbetaald."),
    ("0", "Vul een bedrag boven nul in."),
    ("vijf", "Vul een bedrag in euro in, bijvoorbeeld 12,50."),
    ("1,005", "Vul hooguit twee cijfers na de komma in."),
])
def test_a_refund_that_cannot_be_made_says_why_and_changes_nothing(desk, fake_stripe, client_user, amount, message):
    payment = paid_online(fake_stripe, client_user)
    token = start_refund(desk, payment)
    answer = desk.post(refund_url(payment), {"amount": amount, "reason": "x", "token": token, "confirmed": "yes"})
    assert answer.status_code == 400
    assert message in read(answer)
    assert not Refund.objects.exists()
    payment.refresh_from_db()
    assert payment.refunded_cents == 0


def test_a_damaged_refund_form_refunds_nothing(desk, fake_stripe, client_user):
    payment = paid_online(fake_stripe, client_user)
    answer = desk.post(refund_url(payment), {"amount": "10,00", "reason": "x", "token": "-/" * 16, "confirmed": "yes"})
    assert answer.status_code == 400
    assert "Het formulier was beschadigd" in read(answer)
    assert not Refund.objects.exists()


def _card_type():
    return ClassCardTypeFactory(name_nl="5-lessenkaart", name_en="5-class card", credits=5, price_cents=9000)


def _studio_payment(person, cents, *, purpose="drop_in", method="cash", now=None):
    return records.payment_received_at_studio(client=person, purpose=purpose, amount_cents=cents, method=method, description="aan de balie",
                                              now=now)


# The payment's story and the search --------------------------------------------------------------

def test_a_payments_story_tells_checkout_stripes_events_payment_and_refunds(desk, fake_stripe, client_user, deliver, committed):
    payment = paid_online(fake_stripe, client_user, fulfil=False)  # paid when Stripe's event arrives
    completed = fake_stripe.events_of_type("checkout.session.completed")[-1]
    assert deliver(json.dumps(completed).encode()).status_code == 200
    payment.refresh_from_db()
    with committed():
        refunds.refund_create(payment=payment, amount_cents=500, reason="korting", key="story-1", actor=None)
    page = read(desk.get(reverse("bookings:desk_payment", args=[payment.pk])))
    lines = [text for text in ["Gestart:", "Naar de betaalpagina van Stripe gestuurd", "Stripe: de betaling is afgerond",
                               "Betaald (Kaart)", "Terugbetaling van € 5,00: Terugbetaald"]]
    story = page[page.index("class=\"payment-story\""):]
    positions = [story.index(text) for text in lines]
    assert positions == sorted(positions), "the story runs oldest first"
    assert payment.receipt_number in page and "€ 75,00" in page and "incl. € 13,02 btw (21%)" in page


def test_payments_are_found_by_receipt_name_status_and_days(desk, client_user, other_client):
    day = datetime(2026, 11, 24, 10, 0, tzinfo=STUDIO_TZ)
    first = _studio_payment(client_user, 1750, now=day)
    second = _studio_payment(other_client, 9000, method="pin", now=day + timedelta(days=1))
    Payment.objects.filter(pk=second.pk).update(created_at=day + timedelta(days=1))
    Payment.objects.filter(pk=first.pk).update(created_at=day)

    def found(**query):
        return [p.pk for p in desk.get(reverse("bookings:desk_payments"), query).context["page"]]

    assert found(q=first.receipt_number) == [first.pk]
    assert found(q="pieter") == [second.pk]
    assert found(method="pin") == [second.pk]
    assert found(first="2026-11-25", last="2026-11-25") == [second.pk]
    Payment.objects.filter(pk=first.pk).update(created_at=day - timedelta(days=3))  # started earlier, paid on the 24th
    assert found(first="2026-11-24", last="2026-11-24") == [first.pk]
    assert found() == [second.pk, first.pk]
    wrong = desk.get(reverse("bookings:desk_payments"), {"first": "2026-11-25", "last": "2026-11-01"})
    assert "De einddatum ligt voor de begindatum." in read(wrong)
    assert list(wrong.context["page"]) == []


def test_the_payments_list_asks_a_fixed_number_of_queries(desk, client_user, django_assert_max_num_queries):
    for cents in range(1000, 1030):
        _studio_payment(client_user, cents)
    with django_assert_max_num_queries(12):
        assert desk.get(reverse("bookings:desk_payments")).status_code == 200


# The cash-up -------------------------------------------------------------------------------------

EVENING = datetime(2026, 11, 24, 21, 0, tzinfo=STUDIO_TZ)


def test_two_cash_and_one_pin_payment_give_the_totals_and_a_difference_is_kept_with_who_counted(desk, admin_person, client_user):
    morning = EVENING.replace(hour=9, minute=15)
    _studio_payment(client_user, 1750, now=morning)
    _studio_payment(client_user, 1250, now=morning + timedelta(hours=3))
    _studio_payment(client_user, 7500, method="pin", now=morning + timedelta(hours=9))
    _studio_payment(client_user, 2000, now=morning - timedelta(days=1))  # yesterday: not in today's drawer
    url = reverse("bookings:desk_cash_up")
    with time_machine.travel(EVENING, tick=False):
        page = desk.get(url)
        assert page.context["takings"].cash_net == 3000 and page.context["takings"].pin_net == 7500
        assert page.context["takings"].cash_payments == 2 and page.context["takings"].pin_payments == 1
        saved = desk.post(f"{url}?day=2026-11-24", {"float_cents": "50,00", "cash_counted_cents": "79,00", "pin_counted_cents": "75,00",
                                                    "note": "één euro kwijt"}, follow=True)
    count = CashCount.objects.get()
    assert (count.day.isoformat(), count.cash_expected_cents, count.cash_counted_cents, count.cash_difference_cents) == ("2026-11-24", 8000, 7900, -100)
    assert (count.pin_expected_cents, count.pin_difference_cents, count.counted_by) == (7500, 0, admin_person)
    page = read(saved)
    assert "De telling is bewaard, met een verschil" in page
    assert "Anna Beheer" in page and "-€ 1,00" in page and "één euro kwijt" in page


def test_a_cash_refund_leaves_the_drawer_the_day_it_is_made(desk, client_user, committed):
    with time_machine.travel(EVENING.replace(hour=10), tick=False):
        payment = _studio_payment(client_user, 1750)
        with committed():
            refunds.refund_create(payment=payment, amount_cents=750, reason="halve les", key="cash-back", actor=None)
        page = desk.get(reverse("bookings:desk_cash_up"))
    takings = page.context["takings"]
    assert (takings.cash_in, takings.cash_out, takings.cash_net) == (1750, 750, 1000)


@pytest.mark.parametrize("posted, message", [
    ({"float_cents": "0", "cash_counted_cents": "", "pin_counted_cents": "0"}, "Dit veld is verplicht."),
    ({"float_cents": "0", "cash_counted_cents": "-5", "pin_counted_cents": "0"}, "Een bedrag kan niet negatief zijn."),
    ({"float_cents": "0", "cash_counted_cents": "tien", "pin_counted_cents": "0"}, "Vul een bedrag in euro in, bijvoorbeeld 12,50."),
])
def test_a_bad_count_is_refused_and_nothing_saved(desk, posted, message):
    with time_machine.travel(EVENING, tick=False):
        answer = desk.post(reverse("bookings:desk_cash_up"), posted)
    assert answer.status_code == 400 and message in read(answer)
    assert not CashCount.objects.exists()


def test_a_day_to_come_cannot_be_counted(admin_person):
    with pytest.raises(PaymentError, match="nog niet gekomen|has not come"):
        cashup.cash_count_record(day=EVENING.date() + timedelta(days=1), float_cents=0, cash_counted_cents=0, pin_counted_cents=0,
                                 counted_by=admin_person, now=EVENING)
    assert not CashCount.objects.exists()


# Products and prices -----------------------------------------------------------------------------

def test_the_products_page_lists_every_kind_with_prices_incl_and_excl_vat(desk):
    OfferingFactory(name_nl="Hatha yoga", drop_in_price_cents=1750)
    _card_type()
    page = read(desk.get(reverse("bookings:desk_products")))
    for text in ["Losse les", "Hatha yoga", "€ 17,50", "€ 14,46", "Lessenkaart", "5-lessenkaart", "€ 90,00", "€ 74,38", "21%"]:
        assert text in page, text


def test_a_class_card_type_is_made_and_changed_at_the_desk(desk):
    url = reverse("bookings:desk_card_type_new")
    answer = desk.post(url, {"name_nl": "10-lessenkaart", "name_en": "10-class card", "credits": "10", "validity_months": "6",
                             "price": "160,00", "is_on_sale": "on", "position": "2"}, follow=True)
    card_type = ClassCardType.objects.get(name_nl="10-lessenkaart")
    assert (card_type.credits, card_type.validity_months, card_type.price_cents) == (10, 6, 16000)
    assert "10-lessenkaart is bewaard." in read(answer)
    bad = desk.post(reverse("bookings:desk_card_type", args=[card_type.pk]), {
        "name_nl": "10-lessenkaart", "name_en": "10-class card", "credits": "0", "validity_months": "6", "price": "gratis", "position": "2"})
    assert bad.status_code == 400
    assert "Kies tussen 1 en 100 lessen." in read(bad) and "Vul een bedrag in euro in, bijvoorbeeld 12,50." in read(bad)
    card_type.refresh_from_db()
    assert (card_type.credits, card_type.price_cents) == (10, 16000)


def test_a_studio_credit_type_is_not_edited_as_a_product(desk):
    credit = ClassCardType.objects.create(name_nl="Studiotegoed", name_en="Studio credit", credits=1, validity_months=6, price_cents=0,
                                          is_studio_credit=True)
    assert desk.get(reverse("bookings:desk_card_type", args=[credit.pk])).status_code == 404


# Who may ------------------------------------------------------------------------------------------

def desk_urls(payment):
    return [reverse("desk"), reverse("bookings:desk_payments"), reverse("bookings:desk_payment", args=[payment.pk]), refund_url(payment),
            reverse("bookings:desk_cash_up"), reverse("bookings:desk_products"), reverse("bookings:desk_card_type_new")]


def test_clients_and_teachers_find_no_desk(client, client_user, teacher_user):
    payment = _studio_payment(client_user, 1750)
    for person in (client_user, teacher_user):
        client.force_login(person)
        for url in desk_urls(payment):
            assert client.get(url).status_code == 404, url
        assert client.post(refund_url(payment), {"amount": "17,50", "reason": "x", "token": "a" * 32, "confirmed": "yes"}).status_code == 404
    assert not Refund.objects.exists()
    client.logout()
    for url in desk_urls(payment):
        assert client.get(url).url.startswith(reverse("account_login")), url


def test_today_shows_classes_money_the_count_and_what_needs_a_look(desk, client_user, admin_person, django_assert_max_num_queries):
    day = EVENING.replace(hour=19, minute=30)
    SessionFactory(starts_at=day, ends_at=day + timedelta(hours=1), capacity=10,
                   offering=OfferingFactory(name_nl="Balans yoga", name_en="Balance yoga"))
    for hour, slug in ((9, "ochtend"), (12, "middag")):  # more classes, other teachers: no query per row
        SessionFactory(starts_at=day.replace(hour=hour), ends_at=day.replace(hour=hour + 1), capacity=8,
                       teacher=TeacherFactory(slug=slug, user=UserFactory(email=f"{slug}@example.nl")))
    _studio_payment(client_user, 1750, now=EVENING.replace(hour=10))
    failed = Payment.objects.create(client=client_user, purpose="drop_in", description="Yin yoga", amount_cents=1750, vat_rate_percent=21,
                                    status=Payment.Status.FAILED, created_at=EVENING.replace(hour=11))
    with time_machine.travel(EVENING, tick=False):
        with django_assert_max_num_queries(16):
            page = read(desk.get(reverse("desk")))
    assert "Vandaag, dinsdag 24 november" in page
    assert "Balans yoga" in page and "0 van 26 plekken bezet" in page
    assert "€ 17,50" in page and "Nog niet geteld." in page
    assert reverse("bookings:desk_payment", args=[failed.pk]) in page


def test_a_day_out_of_reach_gets_a_word_and_today(desk):
    with time_machine.travel(EVENING, tick=False):
        today = desk.get(reverse("desk"), {"day": "9999-12-31"}, follow=True)
        counting = desk.get(reverse("bookings:desk_cash_up"), {"day": "2026-11-25"})
        odd = desk.get(reverse("desk"), {"day": "gisteren"})
    assert today.context["day"].isoformat() == "2026-11-24"
    assert "buiten de jaren waarin de studio werkt" in read(today)
    assert counting.context["day"].isoformat() == "2026-11-24" and "Alleen een dag die gekomen is, kun je tellen" in read(counting)
    assert odd.status_code == 200 and odd.context["day"].isoformat() == "2026-11-24"
