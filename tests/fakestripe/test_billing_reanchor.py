"""A new billing period from now: ``billing_cycle_anchor=now`` with ``proration_behavior=none``
on a subscription update (what Stripe recommends after a pause that voided a month's invoice).

Driven through the official SDK; every answer and event is held to Stripe's schemas by the
``fake`` fixture.
"""

from datetime import UTC, datetime

import pytest
import stripe

from .conftest import DAY, FEB_15, MAR_15, T0, types_since

MAR_1 = int(datetime(2026, 3, 1, 9, 0, tzinfo=UTC).timestamp())
APR_1 = int(datetime(2026, 4, 1, 9, 0, tzinfo=UTC).timestamp())
REANCHOR = {"billing_cycle_anchor": "now", "proration_behavior": "none"}
INVOICED = ["customer.subscription.updated", "invoice.created", "invoice.finalized"]


def _advance(client, clock_id, to):
    return client.v1.test_helpers.test_clocks.advance(clock_id, {"frozen_time": to})


def _paused_through_a_renewal(client, clock, sub):
    """Paused from the start with ``void`` until 1 March: the 15 February invoice is voided."""
    client.v1.subscriptions.update(sub.id, {"pause_collection": {"behavior": "void", "resumes_at": MAR_1}})
    _advance(client, clock.id, MAR_1)
    resumed = client.v1.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]})
    assert resumed.pause_collection is None and resumed.latest_invoice.status == "void"
    assert resumed["items"].data[0].current_period_start == FEB_15
    return resumed


def test_reanchoring_starts_a_period_now_and_charges_it_in_full_as_a_renewal(client, fake, clock, subscribed):
    sub = subscribed()
    voided = _paused_through_a_renewal(client, clock, sub).latest_invoice
    before = len(fake.events)

    updated = client.v1.subscriptions.update(sub.id, REANCHOR)

    assert types_since(fake, before) == [*INVOICED, "invoice.paid", "invoice.payment_succeeded"]
    item = updated["items"].data[0]
    assert (item.current_period_start, item.current_period_end) == (MAR_1, APR_1)
    assert (updated.billing_cycle_anchor, updated.status) == (MAR_1, "active")
    invoice = client.v1.invoices.retrieve(updated.latest_invoice, {"expand": ["payments"]})
    assert invoice.id != voided.id
    assert (invoice.billing_reason, invoice.status, invoice.amount_paid, invoice.created) == (
        "subscription_update", "paid", 4900, MAR_1)
    assert (invoice.lines.data[0].period.start, invoice.lines.data[0].period.end) == (MAR_1, APR_1)
    assert invoice.payments.data[0].payment.payment_intent
    change = fake.events[before]
    assert change["created"] == MAR_1
    previous = change["data"]["previous_attributes"]
    assert previous["latest_invoice"] == voided.id and previous["billing_cycle_anchor"] == T0
    assert previous["items"]["data"][0]["current_period_start"] == FEB_15

    # The next renewal follows the new anchor: 1 April, a normal cycle invoice.
    _advance(client, clock.id, APR_1 + DAY)
    renewed = client.v1.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]})
    assert renewed["items"].data[0].current_period_start == APR_1
    assert (renewed.latest_invoice.billing_reason, renewed.latest_invoice.status) == ("subscription_cycle", "paid")


def test_a_reanchor_whose_charge_fails_is_past_due_and_retried_as_a_renewal(client, fake, clock, subscribed):
    sub = subscribed()
    _paused_through_a_renewal(client, clock, sub)
    fake.fail_renewals(sub.customer)
    before = len(fake.events)

    updated = client.v1.subscriptions.update(sub.id, REANCHOR)

    assert types_since(fake, before) == [*INVOICED, "invoice.payment_failed", "customer.subscription.updated"]
    assert client.v1.subscriptions.retrieve(sub.id).status == "past_due"
    invoice = client.v1.invoices.retrieve(updated.latest_invoice)
    assert (invoice.status, invoice.attempt_count, invoice.next_payment_attempt) == ("open", 1, MAR_1 + 3 * DAY)
    fake.fail_renewals(sub.customer, on=False)
    _advance(client, clock.id, MAR_1 + 4 * DAY)
    assert client.v1.invoices.retrieve(invoice.id).status == "paid"
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_a_subscription_ending_at_its_period_end_ends_at_the_new_one(client, fake, clock, subscribed):
    sub = subscribed()
    _paused_through_a_renewal(client, clock, sub)
    client.v1.subscriptions.update(sub.id, {"cancel_at_period_end": True})
    before = len(fake.events)
    updated = client.v1.subscriptions.update(sub.id, REANCHOR)
    assert updated.cancel_at == APR_1
    assert fake.events[before]["data"]["previous_attributes"]["cancel_at"] == MAR_15  # the voided period's end


@pytest.mark.parametrize("params, param", [
    ({"billing_cycle_anchor": "tomorrow", "proration_behavior": "none"}, "billing_cycle_anchor"),
    ({"billing_cycle_anchor": str(T0 + 5 * DAY), "proration_behavior": "none"}, "billing_cycle_anchor"),
    ({"billing_cycle_anchor": "now"}, "proration_behavior"),  # Stripe's default would prorate
    ({"billing_cycle_anchor": "now", "proration_behavior": "create_prorations"}, "proration_behavior"),
    ({"billing_cycle_anchor": "now", "proration_behavior": "always_invoice"}, "proration_behavior"),
    ({"billing_cycle_anchor": "now", "proration_behavior": "soms"}, "proration_behavior"),
    ({**REANCHOR, "pause_collection": {"behavior": "void"}}, "billing_cycle_anchor"),
])
def test_bad_reanchors_are_400_with_the_param_and_change_nothing(client, fake, subscribed, params, param):
    sub = subscribed()
    before = (fake.state.get(sub.id), len(fake.events), len(fake.state.invoices))
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.subscriptions.update(sub.id, params)
    assert (caught.value.http_status, caught.value.param) == (400, param)
    assert caught.value.user_message
    assert (fake.state.get(sub.id), len(fake.events), len(fake.state.invoices)) == before


def test_a_paused_subscription_is_not_reanchored_and_unchanged_changes_nothing(client, fake, subscribed):
    sub = subscribed()
    client.v1.subscriptions.update(sub.id, {"pause_collection": {"behavior": "void"}})
    before = (fake.state.get(sub.id), len(fake.events))
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.subscriptions.update(sub.id, REANCHOR)
    assert caught.value.param == "billing_cycle_anchor" and "paused" in caught.value.user_message
    client.v1.subscriptions.update(sub.id, {"billing_cycle_anchor": "unchanged", "proration_behavior": "none"})
    assert (fake.state.get(sub.id), len(fake.events)) == before
