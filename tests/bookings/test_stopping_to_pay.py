"""Coming back from Stripe without paying: Stripe is asked before anything is given up, so money is
never taken without its place, whatever order the client, the bank and the webhook arrive in."""


import pytest
from django.urls import reverse

from bookings import places
from bookings.group import services
from bookings.models import Booking, DiscountCode, DiscountUse, Payment, Refund
from bookings.payments import checkout, fulfilment
from classes.models import Session
from tests.bookings import stripe_events
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(session):
    """The class with a single place, so a place given up can go to someone else."""
    Session.objects.filter(pk=session.pk).update(capacity=1)
    session.refresh_from_db()
    return session


def start_paying(logged_in, session) -> Payment:
    logged_in.post(reverse("bookings:book", args=[session.pk]), {"pay_with": "stripe"})
    return Payment.objects.get()


def stop_paying(logged_in, payment, committed):
    with committed():
        return logged_in.get(reverse("bookings:checkout_cancelled", args=[payment.pk]), follow=True)


def test_paid_in_another_tab_then_stopping_keeps_the_place_and_the_money(logged_in, session, fake_stripe, committed, mailoutbox):
    payment = start_paying(logged_in, session)
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")  # paid in another tab; Stripe's event is not here yet

    page = stop_paying(logged_in, payment, committed).content.decode()

    assert "al binnen" in page
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.receipt_number
    assert Booking.objects.get().status == "confirmed" and not Refund.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 1
    # Stripe's event arrives afterwards: nothing changes, and the client was told once.
    with committed():
        stripe_events.post(logged_in, stripe_events.event("checkout.session.completed", fake_stripe.get(payment.stripe_checkout_id)))
    assert Payment.objects.get().status == "paid" and Booking.objects.get().status == "confirmed"
    assert len([m for m in mailoutbox if "geboekt" in m.subject.lower() or "plek" in m.subject.lower()]) == 1


def test_a_bank_still_busy_when_stopping_keeps_the_hold_until_it_answers(logged_in, session, fake_stripe, committed):
    payment = start_paying(logged_in, session)
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal_delayed")

    page = stop_paying(logged_in, payment, committed).content.decode()

    assert "nog niet bevestigd" in page
    assert Payment.objects.get().status == "processing" and Booking.objects.get().status == "pending_payment"
    fake_stripe.async_succeed(payment.stripe_checkout_id)
    with committed():
        stripe_events.post(logged_in, stripe_events.event("checkout.session.async_payment_succeeded",
                                                          fake_stripe.get(payment.stripe_checkout_id)))
    assert Payment.objects.get().status == "paid" and Booking.objects.get().status == "confirmed"


def test_stopping_while_stripe_cannot_be_reached_gives_nothing_up(logged_in, session, fake_stripe, committed, settings):
    payment = start_paying(logged_in, session)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    page = stop_paying(logged_in, payment, committed).content.decode()

    assert "konden je betaling nu niet nagaan" in page
    assert Payment.objects.get().status == "pending" and Booking.objects.get().status == "pending_payment"


def test_a_payment_given_up_here_that_stripe_reports_paid_is_delivered(session, client_user, fake_stripe, committed):
    booking = services.booking_create(client=client_user, session=session, pay_with="stripe")
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    booking.payment.refresh_from_db()
    Payment.objects.filter(pk=booking.payment_id).update(status="expired")  # given up here, as the old "stop" did
    places.held_place_release(booking_id=booking.pk)
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="card")
    with committed():
        fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)
    assert Payment.objects.get().status == "paid" and Booking.objects.get().status == "confirmed"


def test_a_payment_given_up_here_whose_place_went_to_another_is_refunded(session, client_user, fake_stripe, committed):
    booking = services.booking_create(client=client_user, session=session, pay_with="stripe")
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    booking.payment.refresh_from_db()
    Payment.objects.filter(pk=booking.payment_id).update(status="expired")
    places.held_place_release(booking_id=booking.pk)
    services.booking_create(client=UserFactory(email="next@example.nl"), session=session, pay_with="studio", by_staff=True)
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="card")
    with committed():
        fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)
    payment = Payment.objects.get(pk=booking.payment_id)
    assert payment.status == "refunded" and payment.refunded_cents == payment.amount_cents
    assert Booking.objects.get(pk=booking.pk).status == "released"


def test_a_payment_given_up_with_a_discount_code_that_stripe_reports_paid_later_is_refunded(session, client_user, fake_stripe,
                                                                                              committed):
    """Giving it up counted the code's use back: a late "paid" cannot deliver at the lowered price (the
    code could go past its limits), so the money goes back and the use stays given back."""
    code = DiscountCode.objects.create(code="HALF", kind="percent", percent=50, products=["drop_in"], max_uses=1)
    booking = services.booking_create(client=client_user, session=session, pay_with="stripe", code="HALF")
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    booking.payment.refresh_from_db()
    with committed():
        Payment.objects.filter(pk=booking.payment_id).update(status="expired")
        fulfilment.payment_release(booking.payment, reason="checkout expired")
        places.held_place_release(booking_id=booking.pk)
    code.refresh_from_db()
    assert code.uses_count == 0
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="card")
    with committed():
        fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)
        fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)  # Stripe's event as well: once
    payment = Payment.objects.get(pk=booking.payment_id)
    assert payment.status == "refunded" and payment.refunded_cents == payment.amount_cents
    assert Booking.objects.get(pk=booking.pk).status == "released"
    code.refresh_from_db()
    assert code.uses_count == 0 and not DiscountUse.objects.exists()
