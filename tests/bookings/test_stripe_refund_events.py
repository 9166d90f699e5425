"""Refund events as Stripe sends them: before the API reply, twice, in reverse order, for a refund
made in Stripe's dashboard, for someone else's refund; and bodies that are signed but not events.
Every one is answered 2xx (applied or ignored) or 400, never 500, and money moves once."""

import json
import re
from pathlib import Path

import pytest
import stripe
from django.core import mail

from bookings.models import Payment, Refund, StripeEvent
from bookings.payments import gateway, refunds, webhooks
from tests.bookings import stripe_events

pytestmark = pytest.mark.django_db


def sent(fake_stripe, event_type) -> list[bytes]:
    return [json.dumps(event).encode() for event in fake_stripe.events_of_type(event_type)]


def ask_stripe_for(refund: Refund):
    """What the refund task does, without taking in the reply yet: Stripe's events go out first."""
    return gateway.create_refund(payment_intent_id=refund.payment.stripe_payment_intent_id, amount_cents=refund.amount_cents,
                                 idempotency_key=refund.idempotency_key,
                                 metadata={"refund_id": str(refund.pk), "payment_id": str(refund.payment_id)})


def test_a_refund_event_before_the_api_reply_settles_it_once(paid_by_card, fake_stripe, deliver):
    refund = refunds.refund_create(payment=paid_by_card, amount_cents=700, reason="goodwill", key="goodwill-1")  # not yet sent
    reply = ask_stripe_for(refund)
    for payload in sent(fake_stripe, "refund.created") + sent(fake_stripe, "charge.refunded"):
        assert deliver(payload).status_code == 200
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.stripe_refund_id == reply.id
    refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED, stripe_refund_id=reply.id)  # the reply, late
    for payload in sent(fake_stripe, "refund.created"):
        assert deliver(payload).status_code == 200  # replayed
    payment = Payment.objects.get(pk=paid_by_card.pk)
    assert payment.refunded_cents == 700 and payment.status == "partially_refunded"


def test_refund_events_in_reverse_order_end_the_same(paid_by_card, fake_stripe, deliver):
    refund = refunds.refund_create(payment=paid_by_card, amount_cents=paid_by_card.amount_cents, reason="cancelled", key="cancel-1")
    ask_stripe_for(refund)
    for payload in reversed(sent(fake_stripe, "refund.created") + sent(fake_stripe, "charge.refunded")):
        assert deliver(payload).status_code == 200
    payment = Payment.objects.get(pk=paid_by_card.pk)
    assert payment.refunded_cents == paid_by_card.amount_cents and payment.status == "refunded"
    assert Refund.objects.get().status == "succeeded"


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(paid_by_card, fake_stripe, deliver):
    gateway.client().v1.refunds.create({"payment_intent": paid_by_card.stripe_payment_intent_id, "amount": 500})
    for payload in sent(fake_stripe, "refund.created") * 2 + sent(fake_stripe, "charge.refunded"):
        assert deliver(payload).status_code == 200
    refund = Refund.objects.get()
    assert refund.payment == paid_by_card and refund.amount_cents == 500 and refund.status == "succeeded"
    assert refund.reason == "refunded in Stripe's dashboard"
    assert Payment.objects.get(pk=paid_by_card.pk).refunded_cents == 500
    # The client hears of it once, in her language, and the studio's internal note is not in it.
    [told] = [message for message in mail.outbox if "terugbetaald" in message.subject]
    assert told.to == [paid_by_card.client.email] and "€\u00a05,00" in told.subject
    assert "dashboard" not in told.body
    # The payment's story on the admin's desk shows Stripe's events.
    assert set(StripeEvent.objects.filter(payment=paid_by_card).values_list("type", flat=True)) == {"refund.created", "charge.refunded"}


def test_a_charge_refunded_event_as_stripe_sends_it_settles_our_refund_by_asking_stripe(paid_by_card, fake_stripe, deliver):
    refund = refunds.refund_create(payment=paid_by_card, amount_cents=700, reason="goodwill", key="goodwill-2")
    reply = ask_stripe_for(refund)
    [payload] = sent(fake_stripe, "charge.refunded")
    assert "refunds" not in json.loads(payload)["data"]["object"]  # as Stripe sends it: the list only comes when expanded
    assert deliver(payload).status_code == 200  # no refund.* event at all: the charge's refunds are asked for
    refund.refresh_from_db()
    assert (refund.status, refund.stripe_refund_id) == ("succeeded", reply.id)
    assert deliver(payload).status_code == 200  # twice
    refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED, stripe_refund_id=reply.id)  # the reply, late
    payment = Payment.objects.get(pk=paid_by_card.pk)
    assert (payment.refunded_cents, payment.status) == (700, "partially_refunded")


def test_a_dashboard_refund_known_only_from_charge_refunded_is_recorded_once(paid_by_card, fake_stripe, deliver):
    gateway.client().v1.refunds.create({"payment_intent": paid_by_card.stripe_payment_intent_id, "amount": 400})
    for payload in sent(fake_stripe, "charge.refunded") + sent(fake_stripe, "refund.created"):  # reverse order
        assert deliver(payload).status_code == 200
    refund = Refund.objects.get()
    assert (refund.amount_cents, refund.status, refund.reason) == (400, "succeeded", "refunded in Stripe's dashboard")
    assert Payment.objects.get(pk=paid_by_card.pk).refunded_cents == 400


def test_charge_refunded_while_stripe_cannot_be_asked_is_answered_500_and_applied_when_retried(paid_by_card, fake_stripe, deliver,
                                                                                               settings):
    gateway.client().v1.refunds.create({"payment_intent": paid_by_card.stripe_payment_intent_id, "amount": 300})
    [payload] = sent(fake_stripe, "charge.refunded")
    reachable, settings.STRIPE_API_BASE = settings.STRIPE_API_BASE, "http://127.0.0.1:9"  # nothing listens there
    assert deliver(payload).status_code == 500  # Stripe will send it again
    assert not Refund.objects.exists() and StripeEvent.objects.get().processed_at is None
    settings.STRIPE_API_BASE = reachable
    assert deliver(payload).status_code == 200
    assert Refund.objects.get().amount_cents == 300 and StripeEvent.objects.get().processed_at is not None


def test_charge_refunded_for_a_charge_not_ours_is_left_alone_without_asking(paid_by_card, fake_stripe, deliver, settings):
    gateway.client().v1.refunds.create({"payment_intent": paid_by_card.stripe_payment_intent_id, "amount": 300})
    charge = json.loads(sent(fake_stripe, "charge.refunded")[0])["data"]["object"]
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # asking would fail with a 500
    for intent in ("pi_not_ours", None):
        obj = {**charge, "payment_intent": intent}
        assert deliver(stripe_events.event("charge.refunded", obj, event_id=f"evt_{intent}")).status_code == 200
    assert not Refund.objects.exists()


def test_a_refund_of_someone_elses_payment_is_ignored(fake_stripe, deliver):
    obj = {"id": "re_elsewhere", "object": "refund", "amount": 900, "currency": "eur", "payment_intent": "pi_not_ours",
           "status": "succeeded", "metadata": {}}
    assert deliver(stripe_events.event("refund.created", obj, event_id="evt_elsewhere")).status_code == 200
    assert not Refund.objects.exists()
    assert StripeEvent.objects.get(event_id="evt_elsewhere").processed_at is not None


def test_a_refund_event_with_a_foreign_refund_id_in_its_metadata_is_ignored(paid_by_card, deliver):
    obj = {"id": "re_odd", "object": "refund", "amount": 100, "payment_intent": "pi_other", "status": "succeeded",
           "metadata": {"refund_id": "not-a-number"}}
    assert deliver(stripe_events.event("refund.updated", obj, event_id="evt_odd")).status_code == 200
    assert not Refund.objects.exists() and Payment.objects.get(pk=paid_by_card.pk).refunded_cents == 0


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


def test_the_readme_names_the_api_version_and_exactly_the_events_the_webhook_handles():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    step = readme[readme.index("add a webhook endpoint"):readme.index("`/healthz` answers")]
    assert f"**`{stripe.api_version}`**" in step
    listed = re.findall(r"`([a-z_]+(?:\.[a-z_]+)+)`", step.split("these\n   events")[1].split("Refunds are")[0])
    assert listed == webhooks.events_handled()
