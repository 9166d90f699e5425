"""Time on the local stand-in: test clocks renew, retry, pause, resume and end subscriptions.

Driven through the official SDK; every answer and event is held to Stripe's
schemas by the ``fake`` fixture.
"""

import pytest
import stripe

from tests.devtools.stripe_helpers import http

from .conftest import APR_15, DAY, FEB_15, MAR_15, T0, types_since

RENEWED = ["customer.subscription.updated", "invoice.created", "invoice.finalized",
           "invoice.paid", "invoice.payment_succeeded"]


def _advance(client, clock_id, to):
    return client.v1.test_helpers.test_clocks.advance(clock_id, {"frozen_time": to})


def _open_invoice(client, sub_id):
    [invoice] = client.v1.invoices.list({"subscription": sub_id, "status": "open"}).data
    return invoice


def test_advancing_a_clock_answers_advancing_then_is_ready(client, fake, clock):
    answer = _advance(client, clock.id, T0 + DAY)
    assert answer.status == "advancing"
    assert answer.status_details.advancing.target_frozen_time == T0 + DAY
    ready = client.v1.test_helpers.test_clocks.retrieve(clock.id)
    assert (ready.status, ready.frozen_time) == ("ready", T0 + DAY)
    assert [e["type"] for e in fake.events] == [
        "test_helpers.test_clock.created", "test_helpers.test_clock.advancing",
        "test_helpers.test_clock.ready"]


def test_a_renewal_gives_a_new_period_and_a_paid_cycle_invoice(client, fake, clock, subscribed):
    sub = subscribed()
    before = len(fake.events)
    _advance(client, clock.id, FEB_15 - 60)
    assert types_since(fake, before) == ["test_helpers.test_clock.advancing",
                                         "test_helpers.test_clock.ready"]
    before = len(fake.events)
    _advance(client, clock.id, FEB_15 + DAY)
    assert types_since(fake, before) == [
        "test_helpers.test_clock.advancing", *RENEWED, "test_helpers.test_clock.ready"]
    renewed = client.v1.subscriptions.retrieve(sub.id)
    item = renewed["items"].data[0]
    assert (item.current_period_start, item.current_period_end) == (FEB_15, MAR_15)
    invoice = client.v1.invoices.retrieve(renewed.latest_invoice, {"expand": ["payments"]})
    assert (invoice.billing_reason, invoice.status, invoice.amount_paid) == (
        "subscription_cycle", "paid", 4900)
    assert (invoice.period_start, invoice.period_end) == (T0, FEB_15)
    assert (invoice.lines.data[0].period.start, invoice.lines.data[0].period.end) == (
        FEB_15, MAR_15)
    assert invoice.created == FEB_15 and invoice.status_transitions.paid_at == FEB_15
    intent = client.v1.payment_intents.retrieve(invoice.payments.data[0].payment.payment_intent,
                                                {"expand": ["latest_charge"]})
    assert intent.latest_charge.payment_method_details.type == "sepa_debit"
    updated = fake.events_of_type("customer.subscription.updated")[-1]["data"]
    assert updated["previous_attributes"]["items"]["data"][0]["current_period_end"] == FEB_15
    invoices = client.v1.invoices.list({"customer": sub.customer})
    assert [i.billing_reason for i in invoices.data] == ["subscription_cycle",
                                                         "subscription_create"]
    assert invoices.data[0].number.endswith("-0002")


def test_a_clock_moves_at_most_two_intervals_at_once(client, clock, subscribed):
    subscribed()
    with pytest.raises(stripe.InvalidRequestError) as caught:
        _advance(client, clock.id, MAR_15 + 1)
    assert caught.value.param == "frozen_time"
    assert "two intervals" in caught.value.user_message
    _advance(client, clock.id, MAR_15)  # two months is fine
    _advance(client, clock.id, APR_15)  # and two more from there
    with pytest.raises(stripe.InvalidRequestError) as caught:
        _advance(client, clock.id, T0)
    assert caught.value.param == "frozen_time"


def test_a_failing_method_retries_then_cancels_as_stripes_dunning(client, fake, clock,
                                                                  subscribed):
    sub = subscribed()
    assert fake.fail_renewals(sub.customer) == [sub.default_payment_method]
    before = len(fake.events)
    _advance(client, clock.id, FEB_15)
    assert types_since(fake, before)[1:-1] == [
        "customer.subscription.updated", "invoice.created", "invoice.finalized",
        "invoice.payment_failed", "customer.subscription.updated"]
    assert client.v1.subscriptions.retrieve(sub.id).status == "past_due"
    failed = fake.events_of_type("invoice.payment_failed")[-1]["data"]["object"]
    assert (failed["attempt_count"], failed["next_payment_attempt"]) == (1, FEB_15 + 3 * DAY)
    past_due = fake.events_of_type("customer.subscription.updated")[-1]["data"]
    assert past_due["previous_attributes"] == {"status": "active"}
    before = len(fake.events)
    _advance(client, clock.id, FEB_15 + 20 * DAY)
    assert types_since(fake, before)[1:-1] == [
        "invoice.payment_failed", "invoice.payment_failed", "invoice.payment_failed",
        "customer.subscription.deleted"]
    attempts = [(e["data"]["object"]["attempt_count"], e["data"]["object"]["next_payment_attempt"])
                for e in fake.events_of_type("invoice.payment_failed")]
    assert attempts == [(1, FEB_15 + 3 * DAY), (2, FEB_15 + 8 * DAY),
                        (3, FEB_15 + 15 * DAY), (4, None)]
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert (ended.status, ended.ended_at, ended.cancellation_details.reason) == (
        "canceled", FEB_15 + 15 * DAY, "payment_failed")
    assert client.v1.subscriptions.list({"customer": sub.customer}).data == []
    assert [s.id for s in client.v1.subscriptions.list(
        {"customer": sub.customer, "status": "all"}).data] == [sub.id]


def test_a_retry_that_works_makes_the_subscription_active_again(client, fake, clock,
                                                                subscribed):
    sub = subscribed()
    fake.fail_renewals(sub.customer)
    _advance(client, clock.id, FEB_15)
    fake.fail_renewals(sub.customer, on=False)
    before = len(fake.events)
    _advance(client, clock.id, FEB_15 + 4 * DAY)
    assert types_since(fake, before)[1:-1] == [
        "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_a_new_method_through_setup_then_pay_settles_the_open_invoice(client, fake, clock,
                                                                      subscribed):
    sub = subscribed()
    fake.fail_renewals(sub.customer)
    _advance(client, clock.id, FEB_15)
    invoice = _open_invoice(client, sub.id)
    before = len(fake.events)
    with pytest.raises(stripe.CardError) as caught:
        client.v1.invoices.pay(invoice.id)  # the old method still fails
    assert (caught.value.http_status, caught.value.code) == (402, "insufficient_funds")
    assert types_since(fake, before) == ["invoice.payment_failed"]
    session = client.v1.checkout.sessions.create({
        "mode": "setup", "customer": sub.customer, "payment_method_types": ["ideal"],
        "setup_intent_data": {"metadata": {"subscription": sub.id}},
        "success_url": "http://studio.test/ok/"})
    fake.complete_setup(session.id, "ideal")
    intent = client.v1.setup_intents.retrieve(session.setup_intent, {"expand": ["latest_attempt"]})
    new_method = intent.latest_attempt.payment_method_details.ideal.generated_sepa_debit  # the iDEAL method itself is one-off
    client.v1.subscriptions.update(sub.id, {"default_payment_method": new_method})
    before = len(fake.events)
    paid = client.v1.invoices.pay(invoice.id)
    assert (paid.status, paid.amount_remaining, paid.next_payment_attempt) == ("paid", 0, None)
    assert types_since(fake, before) == [
        "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    _advance(client, clock.id, MAR_15)  # the new method pays the next month
    assert client.v1.invoices.retrieve(
        client.v1.subscriptions.retrieve(sub.id).latest_invoice).status == "paid"


def test_the_hosted_invoice_page_pays_an_open_invoice(client, fake, clock, subscribed):
    sub = subscribed()
    fake.fail_renewals(sub.customer)
    _advance(client, clock.id, FEB_15)
    invoice = _open_invoice(client, sub.id)
    status, _, page = http("GET", invoice.hosted_invoice_url)
    assert status == 200 and "€ 49,00" in page and "Pay by card" in page
    status, headers, _ = http("POST", invoice.hosted_invoice_url, {"method": "card"})
    assert status == 303
    assert client.v1.invoices.retrieve(invoice.id).status == "paid"
    status, _, page = http("GET", invoice.hosted_invoice_url)
    assert "Paid, thank you" in page


def test_paused_collection_voids_the_renewal_and_resumes_by_itself(client, fake, clock,
                                                                  subscribed):
    sub = subscribed()
    resumes = FEB_15 + 14 * DAY
    paused = client.v1.subscriptions.update(
        sub.id, {"pause_collection": {"behavior": "void", "resumes_at": resumes}})
    assert (paused.status, paused.pause_collection.behavior) == ("active", "void")
    event = fake.events_of_type("customer.subscription.updated")[-1]["data"]
    assert event["previous_attributes"] == {"pause_collection": None}
    before = len(fake.events)
    _advance(client, clock.id, FEB_15 + DAY)
    assert types_since(fake, before)[1:-1] == [
        "customer.subscription.updated", "invoice.created", "invoice.finalized",
        "invoice.voided"]
    voided = client.v1.invoices.retrieve(client.v1.subscriptions.retrieve(sub.id).latest_invoice)
    assert (voided.status, voided.amount_paid, voided.attempted) == ("void", 0, False)
    assert fake.events_of_type("invoice.voided")[0]["created"] == FEB_15
    before = len(fake.events)
    _advance(client, clock.id, MAR_15 + DAY)
    assert types_since(fake, before)[1:-1] == ["customer.subscription.updated", *RENEWED]
    resumed = fake.events[before + 1]
    assert resumed["created"] == resumes
    assert resumed["data"]["previous_attributes"]["pause_collection"]["behavior"] == "void"
    assert client.v1.subscriptions.retrieve(sub.id).pause_collection is None


@pytest.mark.parametrize("behavior, status, last_event", [
    ("mark_uncollectible", "uncollectible", "invoice.marked_uncollectible"),
    ("keep_as_draft", "draft", "invoice.created")])
def test_other_pause_behaviors(client, fake, clock, subscribed, behavior, status, last_event):
    sub = subscribed()
    client.v1.subscriptions.update(sub.id, {"pause_collection": {"behavior": behavior}})
    before = len(fake.events)
    _advance(client, clock.id, FEB_15)
    assert types_since(fake, before)[-2] == last_event
    invoice = client.v1.invoices.retrieve(client.v1.subscriptions.retrieve(sub.id).latest_invoice)
    assert invoice.status == status
    client.v1.subscriptions.update(sub.id, {"pause_collection": ""})
    assert client.v1.subscriptions.retrieve(sub.id).pause_collection is None


def test_cancel_at_period_end_ends_the_subscription_at_its_period_end(client, fake, clock,
                                                                     subscribed):
    sub = subscribed()
    ending = client.v1.subscriptions.update(sub.id, {"cancel_at_period_end": True})
    assert (ending.status, ending.cancel_at, ending.canceled_at) == ("active", FEB_15, T0)
    assert ending.cancellation_details.reason == "cancellation_requested"
    previous = fake.events_of_type("customer.subscription.updated")[-1]["data"][
        "previous_attributes"]
    assert previous["cancel_at_period_end"] is False and previous["cancel_at"] is None
    before = len(fake.events)
    _advance(client, clock.id, FEB_15 + DAY)
    assert types_since(fake, before)[1:-1] == ["customer.subscription.deleted"]
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert (ended.status, ended.ended_at) == ("canceled", FEB_15)
    assert len(client.v1.invoices.list({"subscription": sub.id}).data) == 1


def test_cancel_at_period_end_can_be_taken_back(client, fake, clock, subscribed):
    sub = subscribed()
    client.v1.subscriptions.update(sub.id, {"cancel_at_period_end": True})
    kept = client.v1.subscriptions.update(sub.id, {"cancel_at_period_end": False})
    assert (kept.cancel_at, kept.canceled_at, kept.cancellation_details.reason) == (
        None, None, None)
    _advance(client, clock.id, FEB_15)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_cancel_now_sends_deleted_and_a_canceled_subscription_stays_so(client, fake,
                                                                       subscribed):
    sub = subscribed()
    before = len(fake.events)
    canceled = client.v1.subscriptions.cancel(
        sub.id, {"cancellation_details": {"comment": "verhuisd"}})
    assert (canceled.status, canceled.canceled_at, canceled.ended_at) == ("canceled", T0, T0)
    assert canceled.cancellation_details.comment == "verhuisd"
    assert types_since(fake, before) == ["customer.subscription.deleted"]
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.update(sub.id, {"cancel_at_period_end": True})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.cancel(sub.id)
    assert client.v1.subscriptions.update(sub.id, {"metadata": {"note": "x"}}).metadata[
        "note"] == "x"


def test_without_a_clock_the_stand_ins_own_time_renews(client, fake, monthly):
    session = client.v1.checkout.sessions.create({
        "mode": "subscription", "customer_email": "c@example.com",
        "line_items": [{"price": monthly.id, "quantity": 1}],
        "success_url": "http://studio.test/ok/"})
    paid = fake.pay_subscription_checkout(session.id, "card")
    sub = client.v1.subscriptions.retrieve(paid["subscription"])
    end = sub["items"].data[0].current_period_end
    events = fake.advance_time(end - fake.state.now() + 60)
    assert [e["type"] for e in events] == RENEWED
    assert client.v1.subscriptions.retrieve(sub.id)["items"].data[0].current_period_start == end
