"""Refund events as Stripe sends them: before the API reply, twice, in reverse order, for a refund
made in Stripe's dashboard, for someone else's refund; and bodies that are signed but not events.
Every one is answered 2xx (applied or ignored) or 400, never 500, and money moves once."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.group import services
from bookings.models import Payment, Refund, StripeEvent
from bookings.payments import checkout, fulfilment, gateway, refunds
from tests.bookings import stripe_events
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(fake_stripe, client_user) -> Payment:
    start = timezone.now() + timedelta(days=2)
    booking = services.booking_create(client=client_user, pay_with="stripe",
                                      session=SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1)))
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    booking.payment.refresh_from_db()
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="card")
    return fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)


def sent(fake_stripe, event_type) -> list[bytes]:
    return [json.dumps(event).encode() for event in fake_stripe.events_of_type(event_type)]


def ask_stripe_for(refund: Refund):
    """What the refund task does, without taking in the reply yet: Stripe's events go out first."""
    return gateway.create_refund(payment_intent_id=refund.payment.stripe_payment_intent_id, amount_cents=refund.amount_cents,
                                 idempotency_key=refund.idempotency_key,
                                 metadata={"refund_id": str(refund.pk), "payment_id": str(refund.payment_id)})


def test_a_refund_event_before_the_api_reply_settles_it_once(paid, fake_stripe, deliver):
    refund = refunds.refund_create(payment=paid, amount_cents=700, reason="goodwill", key="goodwill-1")  # not yet sent
    reply = ask_stripe_for(refund)
    for payload in sent(fake_stripe, "refund.created") + sent(fake_stripe, "charge.refunded"):
        assert deliver(payload).status_code == 200
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.stripe_refund_id == reply.id
    refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED, stripe_refund_id=reply.id)  # the reply, late
    for payload in sent(fake_stripe, "refund.created"):
        assert deliver(payload).status_code == 200  # replayed
    payment = Payment.objects.get(pk=paid.pk)
    assert payment.refunded_cents == 700 and payment.status == "partially_refunded"


def test_refund_events_in_reverse_order_end_the_same(paid, fake_stripe, deliver):
    refund = refunds.refund_create(payment=paid, amount_cents=paid.amount_cents, reason="cancelled", key="cancel-1")
    ask_stripe_for(refund)
    for payload in reversed(sent(fake_stripe, "refund.created") + sent(fake_stripe, "charge.refunded")):
        assert deliver(payload).status_code == 200
    payment = Payment.objects.get(pk=paid.pk)
    assert payment.refunded_cents == paid.amount_cents and payment.status == "refunded"
    assert Refund.objects.get().status == "succeeded"


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(paid, fake_stripe, deliver):
    gateway.client().v1.refunds.create({"payment_intent": paid.stripe_payment_intent_id, "amount": 500})
    for payload in sent(fake_stripe, "refund.created") * 2 + sent(fake_stripe, "charge.refunded"):
        assert deliver(payload).status_code == 200
    refund = Refund.objects.get()
    assert refund.payment == paid and refund.amount_cents == 500 and refund.status == "succeeded"
    assert refund.reason == "refunded in Stripe's dashboard"
    assert Payment.objects.get(pk=paid.pk).refunded_cents == 500


def test_a_refund_of_someone_elses_payment_is_ignored(fake_stripe, deliver):
    obj = {"id": "re_elsewhere", "object": "refund", "amount": 900, "currency": "eur", "payment_intent": "pi_not_ours",
           "status": "succeeded", "metadata": {}}
    assert deliver(stripe_events.event("refund.created", obj, event_id="evt_elsewhere")).status_code == 200
    assert not Refund.objects.exists()
    assert StripeEvent.objects.get(event_id="evt_elsewhere").processed_at is not None


def test_a_refund_event_with_a_foreign_refund_id_in_its_metadata_is_ignored(paid, deliver):
    obj = {"id": "re_odd", "object": "refund", "amount": 100, "payment_intent": "pi_other", "status": "succeeded",
           "metadata": {"refund_id": "not-a-number"}}
    assert deliver(stripe_events.event("refund.updated", obj, event_id="evt_odd")).status_code == 200
    assert not Refund.objects.exists() and Payment.objects.get(pk=paid.pk).refunded_cents == 0


@pytest.mark.parametrize("body", [
    b"[1, 2, 3]",
    b'"just a string"',
    b"null",
    json.dumps({"id": "evt_no_data", "object": "event", "type": "checkout.session.completed"}).encode(),
    json.dumps({"id": "evt_no_object", "object": "event", "type": "refund.created", "data": {}}).encode(),
    json.dumps({"id": "evt_no_id", "object": "event", "type": "refund.created", "data": {"object": {"object": "refund"}}}).encode(),
    json.dumps({"object": "event", "type": "refund.created", "data": {"object": {"id": "re_1", "object": "refund"}}}).encode(),
])
def test_a_signed_body_that_is_not_an_event_is_refused_and_records_nothing(deliver, body):
    assert deliver(body).status_code == 400
    assert not StripeEvent.objects.exists()
