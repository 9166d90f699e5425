"""Discount codes at checkout: valid now, for this product, uses left in all and per person; a
percentage (rounded to the cent, half up) or a fixed amount, never below zero; Stripe charged the
lowered amount; given back when the payment never comes; and the last use taken by exactly one of
fifty people at once."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from bookings.errors import PaymentError
from bookings.group import cards, services
from bookings.models import Booking, ClassCard, DiscountCode, DiscountUse, Payment
from bookings.payments import checkout, discounts, fulfilment, kinds, records
from core.money import euros
from tests.bookings.parallel import fire_all_at_once, signed_in_cookie
from tests.factories import ClassCardTypeFactory, OfferingFactory, SessionFactory, UserFactory, local

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 10, 0)


def code(text="WELKOM10", **fields) -> DiscountCode:
    values = {"kind": "percent", "percent": 10, "products": ["class_card"], "max_uses": 100, "max_uses_per_person": 1}
    values.update(fields)
    if values["kind"] == "amount":
        values["percent"] = None
    return DiscountCode.objects.create(code=text, **values)


@pytest.fixture
def card_type(db):
    return ClassCardTypeFactory(name_nl="10-lessenkaart", name_en="10-class card", credits=10, price_cents=13500)


def buy(client, card_type, text, now=NOW):
    return cards.card_purchase_create(client=client, card_type=card_type, code=text, now=now)


def nothing_saved(discount: DiscountCode | None = None):
    assert not Payment.objects.exists() and not DiscountUse.objects.exists()
    if discount is not None:
        discount.refresh_from_db()
        assert discount.uses_count == 0


# What a code takes off --------------------------------------------------------------------------


@pytest.mark.parametrize(("percent", "price", "off"), [(10, 1995, 200), (15, 1750, 263), (10, 1994, 199), (33, 1000, 330),
                                                         (100, 8000, 8000), (1, 49, 0), (1, 50, 1)])
def test_a_percentage_is_rounded_to_the_cent_half_up(percent, price, off):
    assert discounts.discount_amount(DiscountCode(kind="percent", percent=percent), price) == off


def test_a_fixed_amount_never_takes_the_price_below_zero():
    assert discounts.discount_amount(DiscountCode(kind="amount", amount_cents=500), 1750) == 500
    assert discounts.discount_amount(DiscountCode(kind="amount", amount_cents=5000), 1750) == 1750


def test_a_code_lowers_the_class_card_and_records_its_use(client_user, card_type):
    discount = code()
    payment = buy(client_user, card_type, " welkom10 ")  # case and spaces do not matter
    assert (payment.amount_cents, payment.discount_cents, payment.price_cents) == (12150, 1350, 13500)
    use = DiscountUse.objects.get()
    assert (use.code, use.client, use.payment, use.amount_cents) == (discount, client_user, payment, 1350)
    discount.refresh_from_db()
    assert discount.uses_count == 1


def test_a_fixed_amount_code_lowers_a_drop_in(client_user, frozen):
    code("ZOMER5", kind="amount", amount_cents=500, products=["drop_in"])
    session = SessionFactory(starts_at=NOW + timedelta(days=2), offering=OfferingFactory(drop_in_price_cents=1750))
    booking = services.booking_create(client=client_user, session=session, pay_with="stripe", code="zomer5", now=NOW)
    assert booking.price_cents == 1750
    assert (booking.payment.amount_cents, booking.payment.discount_cents) == (1250, 500)


# Refused, with nothing saved ------------------------------------------------------------------------


def test_an_expired_code_is_refused_and_nothing_is_saved(client_user, card_type):
    discount = code(valid_until=NOW - timedelta(minutes=1))
    with pytest.raises(PaymentError, match="was geldig tot 1 juni 2026, 09:59; hij is verlopen"):
        buy(client_user, card_type, "WELKOM10")
    nothing_saved(discount)


def test_a_code_not_yet_valid_says_from_when(client_user, card_type):
    discount = code(valid_from=NOW + timedelta(days=3))
    with pytest.raises(PaymentError, match="kun je gebruiken vanaf 4 juni 2026, 10:00"):
        buy(client_user, card_type, "WELKOM10")
    nothing_saved(discount)


def test_a_switched_off_code_is_refused(client_user, card_type):
    discount = code(is_active=False)
    with pytest.raises(PaymentError, match="kan niet meer gebruikt worden"):
        buy(client_user, card_type, "WELKOM10")
    nothing_saved(discount)


def test_a_code_for_other_products_says_what_it_is_for(client_user, card_type):
    discount = code("YINWEEK", products=["drop_in", "one_to_one"])
    with pytest.raises(PaymentError, match="geldt niet voor deze aankoop, maar voor: losse lessen, individuele sessies"):
        buy(client_user, card_type, "YINWEEK")
    nothing_saved(discount)


def test_an_unknown_code_is_refused_in_clear_words(client_user, card_type):
    with pytest.raises(PaymentError, match="De code “GRATIS” kennen we niet"):
        buy(client_user, card_type, "GRATIS")
    nothing_saved()


def test_a_used_up_code_is_refused(client_user, card_type):
    discount = code(max_uses=2)
    DiscountCode.objects.filter(pk=discount.pk).update(uses_count=2)
    with pytest.raises(PaymentError, match="De code WELKOM10 is op"):
        buy(client_user, card_type, "WELKOM10")
    assert not Payment.objects.exists()
    discount.refresh_from_db()
    assert discount.uses_count == 2


def test_once_per_person_means_once_per_person(client_user, other_client, card_type):
    discount = code()
    buy(client_user, card_type, "WELKOM10")
    with pytest.raises(PaymentError, match="Je hebt de code WELKOM10 al gebruikt; hij geldt één keer per persoon"):
        buy(client_user, card_type, "WELKOM10")
    assert Payment.objects.count() == 1
    buy(other_client, card_type, "WELKOM10")  # someone else still may
    discount.refresh_from_db()
    assert discount.uses_count == 2 == DiscountUse.objects.count()


def test_twice_per_person_allows_a_second_use_but_not_a_third(client_user, card_type):
    code(max_uses_per_person=2)
    buy(client_user, card_type, "WELKOM10")
    buy(client_user, card_type, "WELKOM10")
    with pytest.raises(PaymentError, match="al 2 keer gebruikt"):
        buy(client_user, card_type, "WELKOM10")
    assert DiscountUse.objects.count() == 2


class Membershiplike(kinds.PurchaseKind):
    purpose = "test_monthly"
    label = "Monthly"

    def deliver(self, payment, *, now):
        return True


def test_a_kind_without_a_discount_product_is_not_discountable(client_user):
    kinds.register(Membershiplike())
    try:
        payment = records.payment_create(client=client_user, purpose="test_monthly", amount_cents=7900, description="Onbeperkt")
        with pytest.raises(PaymentError, match="Voor deze aankoop kun je geen kortingscode gebruiken"):
            discounts.discount_apply(payment=payment, discount=code(products=["class_card", "drop_in"]), client=client_user, now=NOW)
        payment.refresh_from_db()
        assert payment.amount_cents == 7900 and not DiscountUse.objects.exists()
    finally:
        kinds.unregister("test_monthly")


def test_every_one_off_kind_names_its_discount_product():
    assert {kind.purpose: kind.discount_product for kind in kinds.kinds() if kind.discount_product} == {
        "drop_in": "drop_in", "class_card": "class_card", "programme": "programme", "appointment": "one_to_one"}


def test_a_bad_code_on_the_drop_in_page_shows_the_message_and_holds_nothing(logged_in, frozen, fake_stripe):
    session = SessionFactory(starts_at=NOW + timedelta(days=2), capacity=4)
    code("YIN", products=["drop_in"], valid_until=NOW - timedelta(days=1))
    response = logged_in.post(reverse("bookings:book", args=[session.pk]), {"pay_with": "stripe", "code": "yin"}, follow=True)
    assert "De code YIN was geldig tot 31 mei 2026, 10:00; hij is verlopen." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("bookings:book", args=[session.pk])
    session.refresh_from_db()
    assert session.places_taken == 0 and not Booking.objects.exists() and not Payment.objects.exists()
    assert not fake_stripe.events


# Stripe charges what is left; the receipt tells the story ---------------------------------------------


def test_stripe_is_charged_the_lowered_amount_and_fulfilment_accepts_it(logged_in, client_user, card_type, fake_stripe, frozen):
    code()
    response = logged_in.post(reverse("bookings:card_buy", args=[card_type.pk]), {"code": "WELKOM10"})
    assert response["Location"].startswith(fake_stripe.url)
    payment = Payment.objects.get()
    assert fake_stripe.get(payment.stripe_checkout_id)["amount_total"] == 12150 == payment.amount_cents
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    payment = fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id)
    assert payment.status == "paid" and not payment.problem
    assert ClassCard.objects.get(payment=payment).balance == 10

    page = logged_in.get(reverse("bookings:receipt", args=[payment.pk])).content.decode()
    assert euros(13500) in page and "Kortingscode WELKOM10" in page and f"-{euros(1350)}" in page and euros(12150) in page


# Given back when the payment never comes --------------------------------------------------------------


def test_a_payment_that_never_comes_gives_its_use_back(client_user, other_client, card_type, committed):
    discount = code(max_uses=1)
    payment = buy(client_user, card_type, "WELKOM10")
    with pytest.raises(PaymentError, match="is op"):
        buy(other_client, card_type, "WELKOM10")
    with committed():
        checkout.checkout_abandon(payment=payment, now=NOW)  # she stopped paying
    payment.refresh_from_db()
    discount.refresh_from_db()
    assert payment.status == "expired" and discount.uses_count == 0 and not DiscountUse.objects.exists()
    assert payment.discount_cents == 1350  # the payment's own record stays as it was
    assert buy(other_client, card_type, "WELKOM10").discount_cents == 1350  # the use is free again
    fulfilment.payment_release(payment, reason="again", now=NOW)  # twice: counted back only once
    discount.refresh_from_db()
    assert discount.uses_count == 1


def test_an_expired_checkout_gives_the_use_back(client_user, card_type, fake_stripe, committed, frozen):
    discount = code()
    payment = buy(client_user, card_type, "WELKOM10")
    checkout.checkout_start(payment=payment, line_name="10-lessenkaart", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    payment.refresh_from_db()
    fake_stripe.expire(payment.stripe_checkout_id)
    with committed():
        fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id)
    discount.refresh_from_db()
    assert Payment.objects.get().status == "expired" and discount.uses_count == 0 and not DiscountUse.objects.exists()


# The last use, fifty at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_fifty_people_at_once_for_the_last_use_of_a_code_give_exactly_one_success(live_server):
    card_type = ClassCardTypeFactory(name_nl="Proefkaart", name_en="Trial card", credits=2, price_cents=2500)
    discount = code("LAATSTE", percent=100, max_uses=10)
    DiscountCode.objects.filter(pk=discount.pk).update(uses_count=9)  # one use left
    people = [UserFactory(email=f"code{i}@example.nl") for i in range(50)]
    path = reverse("bookings:card_buy", args=[card_type.pk])
    with time_machine.travel(NOW, tick=False):
        results = fire_all_at_once(live_server, [(path, "code=laatste", signed_in_cookie(person)) for person in people])

    assert all(status == 302 for status, _ in results), results
    thanks = [location for _, location in results if "/bedankt/" in location]
    assert len(thanks) == 1
    assert sum(1 for _, location in results if location.endswith(reverse("bookings:cards"))) == 49
    discount.refresh_from_db()
    assert discount.uses_count == 10
    payment = Payment.objects.get()  # the 49 others rolled back whole
    assert payment.status == "paid" and payment.method == "discount" and payment.amount_cents == 0
    assert DiscountUse.objects.get().payment == payment and ClassCard.objects.get().payment == payment
