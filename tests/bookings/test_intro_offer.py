"""The intro offer: a class card once per person, kept by the database per account and per email
address; refused in clear words the second time, with nothing saved; given back when its payment
never comes; marked on the cards page; and two attempts at the same moment give one."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from bookings.errors import PaymentError
from bookings.group import cards
from bookings.group import intro as intro_rules
from bookings.models import ClassCard, IntroOfferUse, Payment
from bookings.payments import checkout, fulfilment
from tests.bookings.parallel import run_at_once
from tests.factories import ClassCardTypeFactory, UserFactory, local

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 10, 0)
ALREADY = "Je hebt de kennismakingsaanbieding al gebruikt"


@pytest.fixture
def intro(db):
    return ClassCardTypeFactory(name_nl="Kennismaking", name_en="Intro offer", credits=2, validity_months=1, price_cents=2500,
                                once_per_person=True)


def buy(client, card_type, **kwargs):
    return cards.card_purchase_create(client=client, card_type=card_type, now=NOW, **kwargs)


def test_buying_the_intro_offer_records_its_use_with_the_email_in_lower_case(intro):
    mila = UserFactory(email="Mila.Jansen@Example.NL")
    payment = buy(mila, intro)
    use = IntroOfferUse.objects.get()
    assert (use.card_type, use.client, use.email, use.payment) == (intro, mila, "mila.jansen@example.nl", payment)


def test_a_second_attempt_on_the_same_account_is_refused_and_saves_nothing(client_user, intro):
    buy(client_user, intro)
    with pytest.raises(PaymentError, match=ALREADY):
        buy(client_user, intro)
    assert Payment.objects.count() == 1 and IntroOfferUse.objects.count() == 1


def test_a_new_account_with_an_email_that_used_it_is_refused(intro):
    first = UserFactory(email="noor@example.nl")
    buy(first, intro)
    first.email = "noor.nieuw@example.nl"  # she moved her account to another address...
    first.save()
    EmailAddress.objects.filter(user=first).update(email=first.email)
    second = UserFactory(email="Noor@Example.nl")  # ...and made a new one with the old address
    with pytest.raises(PaymentError, match=ALREADY):
        buy(second, intro)
    assert Payment.objects.filter(client=second).count() == 0


def test_the_database_refuses_a_second_use_by_email_even_past_the_check(intro, monkeypatch):
    """The friendly check is only a check: with it blind (as for two at once), the database refuses."""
    first, second = UserFactory(email="eva@example.nl"), UserFactory(email="eva.tweede@example.nl")
    buy(first, intro)
    IntroOfferUse.objects.filter(client=first).update(email="eva.tweede@example.nl")  # her address, used before
    monkeypatch.setattr(intro_rules, "_uses_of", lambda person: IntroOfferUse.objects.none())
    with pytest.raises(PaymentError, match=ALREADY):
        buy(second, intro)
    assert IntroOfferUse.objects.count() == 1 and Payment.objects.count() == 1


def test_one_intro_offer_per_person_even_when_the_studio_renews_it(client_user, intro):
    buy(client_user, intro)
    renewed = ClassCardTypeFactory(name_nl="Kennismaking 2027", name_en="Intro 2027", credits=2, price_cents=2900, once_per_person=True)
    with pytest.raises(PaymentError, match=ALREADY):
        buy(client_user, renewed)


def test_an_ordinary_card_can_be_bought_as_often_as_she_likes(client_user):
    card_type = ClassCardTypeFactory(name_nl="5-lessenkaart")
    buy(client_user, card_type)
    buy(client_user, card_type)
    assert Payment.objects.count() == 2 and not IntroOfferUse.objects.exists()


def test_a_released_payment_gives_the_intro_offer_back(client_user, intro, committed):
    payment = buy(client_user, intro)
    with committed():
        checkout.checkout_abandon(payment=payment, now=NOW)
    assert Payment.objects.get().status == "expired" and not IntroOfferUse.objects.exists()
    again = buy(client_user, intro)  # she may try again
    assert IntroOfferUse.objects.get().payment == again


def test_a_paid_intro_offer_is_never_given_back(client_user, intro):
    payment = buy(client_user, intro)
    Payment.objects.filter(pk=payment.pk).update(status="paid")
    fulfilment.payment_release(payment, reason="late event", now=NOW)
    assert IntroOfferUse.objects.filter(payment=payment).exists()


def test_the_cards_page_marks_the_used_offer_and_still_sells_the_others(logged_in, client_user, intro, committed):
    other = ClassCardTypeFactory(name_nl="10-lessenkaart", name_en="10-class card", credits=10, price_cents=13500)
    page = logged_in.get(reverse("bookings:cards")).content.decode()
    assert "Kennismakingsaanbieding: één keer per persoon" in page and "Al gebruikt" not in page
    assert reverse("bookings:card_buy", args=[intro.pk]) in page

    payment = buy(client_user, intro)
    page = logged_in.get(reverse("bookings:cards")).content.decode()
    assert "Je bent al begonnen met het kopen van deze kennismakingsaanbieding" in page
    assert reverse("bookings:checkout_resume", args=[payment.pk]) in page
    assert reverse("bookings:card_buy", args=[intro.pk]) not in page

    Payment.objects.filter(pk=payment.pk).update(status="paid")
    page = logged_in.get(reverse("bookings:cards")).content.decode()
    assert "Al gebruikt" in page and "Je hebt deze kennismakingsaanbieding al gebruikt." in page
    assert reverse("bookings:card_buy", args=[intro.pk]) not in page
    assert reverse("bookings:card_buy", args=[other.pk]) in page


def test_a_second_attempt_on_the_page_shows_the_message(logged_in, client_user, intro, fake_stripe):
    buy(client_user, intro)
    response = logged_in.post(reverse("bookings:card_buy", args=[intro.pk]), follow=True)
    assert ALREADY in response.content.decode()
    assert Payment.objects.count() == 1 and not fake_stripe.events


@pytest.mark.django_db(transaction=True)
def test_two_attempts_at_the_same_moment_give_one_intro_offer():
    intro = ClassCardTypeFactory(name_nl="Kennismaking", name_en="Intro offer", credits=2, validity_months=3, price_cents=2500, once_per_person=True)
    person = UserFactory(email="tegelijk@example.nl")

    def attempt():
        try:
            cards.card_purchase_create(client=person, card_type=intro, now=NOW)
        except PaymentError as error:
            return str(error)
        return "bought"

    outcomes = run_at_once([attempt, attempt])
    assert outcomes.count("bought") == 1 and any(outcome.startswith(ALREADY) for outcome in outcomes), outcomes
    assert Payment.objects.count() == 1 == IntroOfferUse.objects.count()
    assert not ClassCard.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_different_intro_offers_at_the_same_moment_give_one():
    """The studio sells two intro offers (yoga and TRE, say): she tries both at once. One person, one
    first acquaintance, kept by the database whatever the card type."""
    yoga = ClassCardTypeFactory(name_nl="Kennismaking yoga", name_en="Intro yoga", credits=2, validity_months=3, price_cents=2500, once_per_person=True)
    tre = ClassCardTypeFactory(name_nl="Kennismaking TRE", name_en="Intro TRE", credits=1, price_cents=3000, once_per_person=True)
    person = UserFactory(email="beide@example.nl")

    def attempt(card_type):
        def buy_it():
            try:
                cards.card_purchase_create(client=person, card_type=card_type, now=NOW)
            except PaymentError as error:
                return str(error)
            return "bought"
        return buy_it

    outcomes = run_at_once([attempt(yoga), attempt(tre)])
    assert outcomes.count("bought") == 1 and any(outcome.startswith(ALREADY) for outcome in outcomes), outcomes
    assert Payment.objects.count() == 1 == IntroOfferUse.objects.count()


def test_the_database_refuses_a_second_intro_type_on_the_same_account_past_the_check(client_user, intro, monkeypatch):
    buy(client_user, intro)
    other = ClassCardTypeFactory(name_nl="Kennismaking TRE", name_en="Intro TRE", credits=1, price_cents=3000, once_per_person=True)
    monkeypatch.setattr(intro_rules, "_uses_of", lambda person: IntroOfferUse.objects.none())
    with pytest.raises(PaymentError, match=ALREADY):
        buy(client_user, other)
    assert IntroOfferUse.objects.count() == 1 and Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_one_intro_use_per_person_a_paid_one_first_and_nothing_else_changes():
    """Recorded before one-per-person held across card types: two intro types by one account (the
    first still waiting for its payment, the second paid), and a third type by a second account with
    her address. The migration keeps the paid use (a waiting one would be given back if its payment
    never came, and she could buy a third); payments stay."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("bookings", "0009_payment_description_en")], [("bookings", "0010_intro_once_per_person_and_voucher_parts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Use, CardType, Payment_ = old.get_model("bookings", "IntroOfferUse"), old.get_model("bookings", "ClassCardType"), old.get_model("bookings", "Payment")
    yoga, tre, yin = (CardType.objects.create(name_nl=name, name_en=name, credits=2, validity_months=3, price_cents=2500, once_per_person=True)
                      for name in ("Kennismaking yoga", "Kennismaking TRE", "Kennismaking yin"))
    lies, lies_again, ruud = (UserFactory(email=email) for email in ("lies@example.nl", "lies.oud@example.nl", "ruud@example.nl"))
    payments = [Payment_.objects.create(client_id=person.pk, purpose="class_card", amount_cents=2500, vat_rate_percent=21,
                                        description="Kennismaking", created_at=NOW) for person in (lies, lies, lies_again, ruud)]
    Payment_.objects.filter(pk=payments[1].pk).update(status="paid", paid_at=NOW)
    Use.objects.create(card_type_id=yoga.pk, client_id=lies.pk, email="lies@example.nl", payment_id=payments[0].pk, created_at=NOW)
    paid = Use.objects.create(card_type_id=tre.pk, client_id=lies.pk, email="lies@example.nl", payment_id=payments[1].pk,
                              created_at=NOW + dt.timedelta(seconds=1))
    Use.objects.create(card_type_id=yin.pk, client_id=lies_again.pk, email="lies@example.nl", payment_id=payments[2].pk,
                       created_at=NOW + dt.timedelta(seconds=2))
    other = Use.objects.create(card_type_id=tre.pk, client_id=ruud.pk, email="ruud@example.nl", payment_id=payments[3].pk, created_at=NOW)

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    assert sorted(IntroOfferUse.objects.values_list("pk", flat=True)) == sorted([paid.pk, other.pk])
    assert Payment.objects.count() == 4
