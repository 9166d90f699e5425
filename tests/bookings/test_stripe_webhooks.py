"""The Stripe webhook: signed payloads built in the test, the Checkout objects served by the
local stand-in through the official SDK. Replays, wrong order, forgery, unknown types."""

import json
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bookings.group import cards, services
from bookings.models import Booking, ClassCard, Payment, Refund, StripeEvent
from bookings.payments import checkout, refunds
from tests.bookings import stripe_events
from tests.factories import ClassCardTypeFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_drop_in(fake_stripe, client_user):
    start = timezone.now() + timedelta(days=2)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=5)
    booking = services.booking_create(client=client_user, session=session, pay_with="stripe")
    checkout.checkout_start(payment=booking.payment, line_name="Yin yoga", client=client_user,
                            success_url="http://testserver/betaald/?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/stop/")
    booking.payment.refresh_from_db()
    return booking


def completed_event(fake_stripe, payment, event_type="checkout.session.completed", event_id="evt_done_1"):
    checkout = fake_stripe.get(payment.stripe_checkout_id)
    return stripe_events.event(event_type, checkout, event_id=event_id)


def test_paid_checkout_confirms_the_booking_once(client, fake_stripe, pending_drop_in, mailoutbox, deliver):
    fake_stripe.pay(pending_drop_in.payment.stripe_checkout_id, method="ideal")
    payload = completed_event(fake_stripe, pending_drop_in.payment)
    for _ in range(3):
        assert deliver(payload).status_code == 200
    booking = Booking.objects.get(pk=pending_drop_in.pk)
    payment = Payment.objects.get(pk=pending_drop_in.payment_id)
    assert booking.status == "confirmed" and payment.status == "paid" and payment.method == "ideal"
    assert payment.receipt_number.endswith("-00001") and payment.stripe_payment_intent_id.startswith("pi_")
    assert StripeEvent.objects.filter(event_id="evt_done_1", processed_at__isnull=False).count() == 1
    assert len([m for m in mailoutbox if m.to == [booking.client.email]]) == 1


def test_a_forged_signature_changes_nothing(client, fake_stripe, pending_drop_in, deliver):
    fake_stripe.pay(pending_drop_in.payment.stripe_checkout_id, method="ideal")
    payload = completed_event(fake_stripe, pending_drop_in.payment)
    forged = stripe_events.sign(payload, secret="whsec_someone_else")
    assert deliver(payload, signature=forged).status_code == 400
    assert deliver(payload, signature="").status_code == 400
    tampered = payload.replace(b'"paid"', b'"paid" ')
    assert deliver(tampered, signature=stripe_events.sign(payload)).status_code == 400
    assert Booking.objects.get(pk=pending_drop_in.pk).status == "pending_payment"
    assert not StripeEvent.objects.exists()


def test_a_stale_signature_is_refused(client, fake_stripe, pending_drop_in, deliver):
    fake_stripe.pay(pending_drop_in.payment.stripe_checkout_id, method="ideal")
    payload = completed_event(fake_stripe, pending_drop_in.payment)
    stale = stripe_events.sign(payload, timestamp=int(time.time()) - 3600)
    assert deliver(payload, signature=stale).status_code == 400
    assert Booking.objects.get(pk=pending_drop_in.pk).status == "pending_payment"


def test_unknown_event_types_are_acknowledged_and_ignored(client, fake_stripe, deliver):
    payload = stripe_events.event("customer.created", {"id": "cus_1", "object": "customer"}, event_id="evt_other")
    assert deliver(payload).status_code == 200
    assert StripeEvent.objects.get(event_id="evt_other").processed_at is not None


def test_malformed_json_with_a_valid_signature_is_refused(client, deliver):
    payload = b"{not json"
    assert deliver(payload).status_code == 400


def test_the_webhook_only_trusts_stripe_not_the_payload(client, fake_stripe, pending_drop_in, deliver):
    # The event claims "paid", but Stripe says the session is still open: nothing is confirmed.
    checkout = fake_stripe.get(pending_drop_in.payment.stripe_checkout_id)
    checkout["payment_status"] = "paid"
    payload = stripe_events.event("checkout.session.completed", checkout, event_id="evt_lie")
    assert deliver(payload).status_code == 200
    assert Booking.objects.get(pk=pending_drop_in.pk).status == "pending_payment"


def test_delayed_ideal_confirms_only_when_the_money_is_in(client, fake_stripe, pending_drop_in, deliver):
    checkout_id = pending_drop_in.payment.stripe_checkout_id
    fake_stripe.pay(checkout_id, method="ideal_delayed")
    deliver(completed_event(fake_stripe, pending_drop_in.payment))
    assert Payment.objects.get(pk=pending_drop_in.payment_id).status == "processing"
    assert Booking.objects.get(pk=pending_drop_in.pk).status == "pending_payment"
    fake_stripe.async_succeed(checkout_id)
    deliver(completed_event(fake_stripe, pending_drop_in.payment, "checkout.session.async_payment_succeeded", "evt_async"))
    assert Booking.objects.get(pk=pending_drop_in.pk).status == "confirmed"


def test_async_success_before_completed_ends_right(client, fake_stripe, pending_drop_in, deliver):
    checkout_id = pending_drop_in.payment.stripe_checkout_id
    fake_stripe.pay(checkout_id, method="ideal_delayed")
    fake_stripe.async_succeed(checkout_id)
    late_completed = completed_event(fake_stripe, pending_drop_in.payment, event_id="evt_completed")
    deliver(completed_event(fake_stripe, pending_drop_in.payment, "checkout.session.async_payment_succeeded", "evt_async"))
    deliver(late_completed)
    assert Booking.objects.get(pk=pending_drop_in.pk).status == "confirmed"
    assert Payment.objects.get(pk=pending_drop_in.payment_id).status == "paid"


def test_async_failure_releases_the_place(client, fake_stripe, pending_drop_in, deliver):
    checkout_id = pending_drop_in.payment.stripe_checkout_id
    fake_stripe.pay(checkout_id, method="ideal_delayed")
    fake_stripe.async_fail(checkout_id)
    deliver(completed_event(fake_stripe, pending_drop_in.payment, "checkout.session.async_payment_failed", "evt_fail"))
    booking = Booking.objects.get(pk=pending_drop_in.pk)
    assert booking.status == "released" and booking.session.places_taken == 0
    assert Payment.objects.get(pk=pending_drop_in.payment_id).status == "failed"


def test_expired_checkout_releases_the_place(client, fake_stripe, pending_drop_in, deliver):
    fake_stripe.expire(pending_drop_in.payment.stripe_checkout_id)
    deliver(completed_event(fake_stripe, pending_drop_in.payment, "checkout.session.expired", "evt_exp"))
    booking = Booking.objects.get(pk=pending_drop_in.pk)
    assert booking.status == "released" and booking.session.places_taken == 0
    assert Payment.objects.get(pk=pending_drop_in.payment_id).status == "expired"


def test_a_tampered_amount_is_not_fulfilled(client, fake_stripe, client_user, deliver):
    # A Checkout Session made outside our flow, for less money, pointing at our payment.
    card_type = ClassCardTypeFactory(price_cents=8000)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type)
    from bookings.payments import gateway as stripe_gateway

    payment.amount_cents = 100
    checkout = stripe_gateway.create_checkout(payment=payment, line_name="x", email=client_user.email, language="nl",
                                              success_url="http://testserver/ok", cancel_url="http://testserver/no")
    Payment.objects.filter(pk=payment.pk).update(stripe_checkout_id=checkout.id)
    fake_stripe.pay(checkout.id, method="card")
    payload = stripe_events.event("checkout.session.completed", fake_stripe.get(checkout.id), event_id="evt_cheap")
    assert deliver(payload).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "failed" and "amount mismatch" in payment.problem
    assert not ClassCard.objects.exists()


def test_card_purchase_makes_the_card_once(client, fake_stripe, client_user, mailoutbox, deliver):
    card_type = ClassCardTypeFactory(credits=5, price_cents=8000)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type)
    checkout.checkout_start(payment=payment, line_name="5-lessenkaart", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    payment.refresh_from_db()
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    payload = completed_event(fake_stripe, payment)
    deliver(payload)
    deliver(payload)
    card = ClassCard.objects.get(client=client_user)
    assert card.balance == 5 and card.payment == payment


def test_refund_events_settle_the_refund(client, fake_stripe, pending_drop_in, deliver, committed):
    fake_stripe.pay(pending_drop_in.payment.stripe_checkout_id, method="card")
    deliver(completed_event(fake_stripe, pending_drop_in.payment))
    fake_stripe.configure_webhooks(enabled=False)
    with committed():
        outcome = services.booking_cancel(booking=Booking.objects.get(pk=pending_drop_in.pk))
    assert outcome.refund_cents == 1750
    refund = Refund.objects.get()
    assert refund.status == "succeeded" and refund.stripe_refund_id.startswith("re_")
    payment = Payment.objects.get(pk=pending_drop_in.payment_id)
    assert payment.status == "refunded" and payment.refunded_cents == 1750
    for sent in fake_stripe.events_of_type("charge.refunded"):
        deliver(json.dumps(sent).encode())  # replayed refund events change nothing
    assert Payment.objects.get(pk=pending_drop_in.payment_id).refunded_cents == 1750


def test_a_failed_refund_is_shown_and_can_be_retried(client, fake_stripe, pending_drop_in, deliver, committed):
    fake_stripe.pay(pending_drop_in.payment.stripe_checkout_id, method="card")
    deliver(completed_event(fake_stripe, pending_drop_in.payment))
    fake_stripe.fail_next_refund("lost_or_stolen_card")
    with committed():
        services.booking_cancel(booking=Booking.objects.get(pk=pending_drop_in.pk))
    refund = Refund.objects.get()
    assert refund.status == "failed" and refund.failure_reason
    assert Payment.objects.get(pk=pending_drop_in.payment_id).refunded_cents == 0
    refunds.refund_retry(refund=refund)
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.attempts == 1
    assert Payment.objects.get(pk=pending_drop_in.payment_id).refunded_cents == 1750


def test_a_payment_settled_by_webhooks_renews_her_cached_bookings_page(client, fake_stripe, pending_drop_in, deliver):
    """Her 'my bookings' is kept in the cache; Stripe's events (late, twice, in reverse order) change
    her payment and booking outside any request of hers, and her next page shows it."""
    browser = Client()
    browser.force_login(pending_drop_in.client)
    for _ in range(3):
        page = browser.get("/mijn-boekingen/")
    assert page["X-Page-Cache"] == "hit" and "Verder met betalen" in page.content.decode()

    checkout_id = pending_drop_in.payment.stripe_checkout_id
    fake_stripe.pay(checkout_id, method="ideal_delayed")
    fake_stripe.async_succeed(checkout_id)
    late_completed = completed_event(fake_stripe, pending_drop_in.payment, event_id="evt_completed_late")
    succeeded = completed_event(fake_stripe, pending_drop_in.payment, "checkout.session.async_payment_succeeded", "evt_async_ok")
    for payload in (succeeded, succeeded, late_completed):
        assert deliver(payload).status_code == 200

    page = browser.get("/mijn-boekingen/")
    html = page.content.decode()
    assert page["X-Page-Cache"] == "miss"
    assert "Verder met betalen" not in html and "Geboekt" in html
    assert browser.get("/mijn-boekingen/")["X-Page-Cache"] == "hit"
