"""Work without a test clock falls due on the stand-in's own clock: the first request at or after
its moment does it (a session expires, a subscription renews or resumes, an invoice is retried),
and a request before ``next_due()`` looks at nothing (``due_scans`` counts the requests that looked).

The stand-in here runs on a frozen clock (T0), moved only by ``state.advance_time``, which does no
work itself: a request does it.  Every answer is held to Stripe's schemas, and after every answer
``next_due()`` must equal the earliest moment found by looking at every object.
"""

import json
from urllib.parse import urlencode

import pytest

from devtools.fakestripe import FakeStripeServer
from devtools.fakestripe.formdata import parse
from devtools.fakestripe.state import FakeStripeState
from tests.devtools.stripe_helpers import SECRET
from tests.stripe_contract import held_to_stripe_contract

from .conftest import DAY, T0

RENEWED = ["customer.subscription.updated", "invoice.created", "invoice.finalized",
           "invoice.paid", "invoice.payment_succeeded"]


def earliest_due(state):
    """The next due moment without a clock, found by looking at every object."""
    with state.lock:
        moments = [s["expires_at"] for s in state.sessions.values() if s["status"] == "open"]
        for sub in state.subscriptions.values():
            if sub["test_clock"] is None and sub["status"] != "canceled":
                moments.append(min(item["current_period_end"] for item in sub["items"]["data"]))
                if sub["pause_collection"] and sub["pause_collection"]["resumes_at"]:
                    moments.append(sub["pause_collection"]["resumes_at"])
        moments += [invoice["next_payment_attempt"] for invoice in state.invoices.values()
                    if invoice["test_clock"] is None and invoice["status"] == "open"
                    and invoice["next_payment_attempt"] is not None]
        return min(moments, default=None)


@pytest.fixture
def fake(receiver, stripe_contract):
    """The stand-in on a frozen clock; after each answer its next due moment is checked."""
    server = FakeStripeServer(port=0, webhook_url=receiver.url, webhook_secret=SECRET,
                              clock=lambda: T0).start()
    wrong = []
    try:
        with held_to_stripe_contract(server, stripe_contract):
            contract_observer = server.observer

            def observer(where, body, expand):
                contract_observer(where, body, expand)
                with server.state.lock:
                    if server.state.next_due() != earliest_due(server.state):
                        wrong.append((where, server.state.next_due(), earliest_due(server.state)))

            server.observer = observer
            yield server
    finally:
        server.stop()
    assert wrong == []


@pytest.fixture
def price(client):
    return client.v1.prices.create({
        "currency": "eur", "unit_amount": 4900, "recurring": {"interval": "month"},
        "product_data": {"name": "Onbeperkt yoga"}})


@pytest.fixture
def joined(client, fake, price):
    """A paid monthly subscription of a customer without a test clock: start it with ``joined()``."""

    def start(email="anna@example.com"):
        session = client.v1.checkout.sessions.create({
            "mode": "subscription", "customer_email": email, "success_url": "http://studio.test/ok/",
            "line_items": [{"price": price.id, "quantity": 1}]})
        paid = fake.pay_subscription_checkout(session.id, "card")
        return client.v1.subscriptions.retrieve(paid["subscription"])

    return start


def _to(fake, moment):
    """Move the stand-in's clock to ``moment`` without a request (nothing is done yet)."""
    fake.state.advance_time(moment - fake.state.now())


def _first_request_at(fake, moment, request):
    """``request()`` a second before ``moment`` (nothing looked at) and at it (looked once):
    ``(answer before, answer at, event types the second request caused)``."""
    assert fake.state.next_due() == moment
    _to(fake, moment - 1)
    scans = fake.state.due_scans
    before = request()
    assert fake.state.due_scans == scans
    count = len(fake.events)
    _to(fake, moment)
    at = request()
    assert fake.state.due_scans == scans + 1
    caused = [event["type"] for event in fake.events[count:]]
    request()
    assert fake.state.due_scans == scans + 1  # the work is done: the next request looks at nothing
    return before, at, caused


def test_a_request_before_the_next_due_moment_looks_at_nothing(client, fake, joined, monkeypatch):
    sub = joined()
    session = client.v1.checkout.sessions.create({
        "mode": "payment", "success_url": "http://studio.test/ok/", "line_items": [{
            "quantity": 1, "price_data": {"currency": "eur", "unit_amount": 1500,
                                          "product_data": {"name": "Yin yoga"}}}]})
    assert fake.state.next_due() == session.expires_at == T0 + DAY
    scanned, run_billing = [], fake.state.run_billing

    def watched_run_billing(clock_id, target):
        scanned.append(clock_id)
        return run_billing(clock_id, target)

    monkeypatch.setattr(fake.state, "run_billing", watched_run_billing)
    scans = fake.state.due_scans
    _to(fake, T0 + DAY - 1)
    for _ in range(20):
        client.v1.subscriptions.retrieve(sub.id)
        client.v1.checkout.sessions.retrieve(session.id)
        client.v1.invoices.list({"subscription": sub.id})
    assert (scanned, fake.state.due_scans) == ([], scans)
    client.v1.checkout.sessions.expire(session.id)
    assert fake.state.next_due() == sub["items"].data[0].current_period_end


def test_an_open_session_expires_on_the_first_request_at_its_expires_at(client, fake):
    session = client.v1.checkout.sessions.create({
        "mode": "payment", "success_url": "http://studio.test/ok/", "expires_at": T0 + 3600,
        "line_items": [{"quantity": 1, "price_data": {
            "currency": "eur", "unit_amount": 1500, "product_data": {"name": "Yin yoga"}}}]})
    before, at, caused = _first_request_at(
        fake, T0 + 3600, lambda: client.v1.checkout.sessions.retrieve(session.id).status)
    assert (before, at, caused) == ("open", "expired", ["checkout.session.expired"])
    assert fake.state.next_due() is None


def test_a_renewal_falls_due_at_the_period_end(client, fake, joined):
    sub = joined()
    end = sub["items"].data[0].current_period_end
    before, at, caused = _first_request_at(
        fake, end, lambda: client.v1.subscriptions.retrieve(sub.id)["items"].data[0].current_period_start)
    assert (before, at, caused) == (T0, end, RENEWED)
    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert fake.state.next_due() == renewed["items"].data[0].current_period_end > end
    assert client.v1.invoices.retrieve(renewed.latest_invoice).status == "paid"


def test_a_failed_renewal_is_retried_at_its_next_payment_attempt(client, fake, joined):
    sub = joined()
    fake.fail_renewals(sub.customer)
    end = sub["items"].data[0].current_period_end
    _to(fake, end)
    client.v1.subscriptions.retrieve(sub.id)
    late = client.v1.subscriptions.retrieve(sub.id)
    invoice = client.v1.invoices.retrieve(late.latest_invoice)
    assert (late.status, invoice.attempt_count, invoice.next_payment_attempt) == (
        "past_due", 1, end + 3 * DAY)
    before, at, caused = _first_request_at(
        fake, end + 3 * DAY, lambda: client.v1.invoices.retrieve(invoice.id).attempt_count)
    assert (before, at, caused) == (1, 2, ["invoice.payment_failed"])
    assert fake.state.next_due() == end + 8 * DAY  # the next retry, before the next renewal
    fake.fail_renewals(sub.customer, on=False)
    before, at, caused = _first_request_at(
        fake, end + 8 * DAY, lambda: client.v1.subscriptions.retrieve(sub.id).status)
    assert (before, at, caused) == ("past_due", "active", [
        "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"])


def test_a_paused_subscription_resumes_at_its_resumes_at(client, fake, joined):
    sub = joined()
    client.v1.subscriptions.update(sub.id, {"pause_collection": {
        "behavior": "void", "resumes_at": T0 + 10 * DAY}})
    before, at, caused = _first_request_at(
        fake, T0 + 10 * DAY, lambda: client.v1.subscriptions.retrieve(sub.id).pause_collection)
    assert (before.resumes_at, at, caused) == (T0 + 10 * DAY, None, ["customer.subscription.updated"])
    assert fake.state.next_due() == sub["items"].data[0].current_period_end


def test_a_reanchor_or_a_cancel_moves_the_next_due_moment(client, fake, joined):
    first, second = joined(), joined("bram@example.com")
    _to(fake, T0 + 5 * DAY)
    client.v1.subscriptions.update(first.id, {"billing_cycle_anchor": "now",
                                              "proration_behavior": "none"})
    client.v1.subscriptions.cancel(second.id)
    new_end = client.v1.subscriptions.retrieve(first.id)["items"].data[0].current_period_end
    assert fake.state.next_due() == new_end > first["items"].data[0].current_period_end
    before, at, caused = _first_request_at(
        fake, new_end, lambda: client.v1.subscriptions.retrieve(first.id)["items"].data[0].current_period_start)
    assert (before, at, caused) == (T0 + 5 * DAY, new_end, RENEWED)


def test_subscriptions_on_a_test_clock_are_not_the_stand_ins_to_do(client, fake, clock, subscribed):
    subscribed()
    assert fake.state.next_due() is None
    assert fake.state.expire_due() == [] and fake.state.due_scans == 0


# -------------------------------------------- the same events as looking on every request

class LooksEveryTime(FakeStripeState):
    """The stand-in as it was: every request looks at every object."""

    def next_due(self):
        return -1


def _form(**fields):
    return parse(urlencode(fields))


def _months_of_billing(state):
    """Memberships renewed, failing, retried, paused, resumed, re-anchored, ended and sessions
    expiring over four months, with a request (``expire_due``) between any two steps."""

    def request():
        state.expire_due()
        if type(state) is FakeStripeState:
            assert state.next_due() == earliest_due(state)

    price, _ = state.create_price(_form(**{"currency": "eur", "unit_amount": 4900, "recurring[interval]": "month",
                                           "product_data[name]": "Onbeperkt yoga"}))
    subs = []
    for index in range(6):
        session = state.create_session(_form(**{
            "mode": "subscription", "customer_email": f"lid{index}@example.com", "success_url": "http://studio.test/ok/",
            "line_items[0][price]": price["id"], "line_items[0][quantity]": 1}))
        request()
        subs.append(state.pay(session["id"], "card")[0]["subscription"])
        request()
        state.advance_time(7 * 3600)
        request()
    state.fail_renewals(state.subscriptions[subs[0]]["customer"])
    state.fail_renewals(state.subscriptions[subs[1]]["customer"])
    state.update_subscription(subs[2], _form(**{"pause_collection[behavior]": "void",
                                                "pause_collection[resumes_at]": state.now() + 40 * DAY}))
    state.update_subscription(subs[3], _form(**{"pause_collection[behavior]": "keep_as_draft",
                                                "pause_collection[resumes_at]": state.now() + 70 * DAY}))
    state.update_subscription(subs[4], _form(cancel_at_period_end="true"))
    for half_day in range(240):
        if half_day == 20:
            state.update_subscription(subs[5], _form(billing_cycle_anchor="now", proration_behavior="none"))
        if half_day == 70:
            state.fail_renewals(state.subscriptions[subs[1]]["customer"], on=False)
        if half_day in (90, 91, 150):
            state.create_session(_form(**{
                "mode": "payment", "success_url": "http://studio.test/ok/", "expires_at": state.now() + 3 * 3600,
                "line_items[0][quantity]": 1, "line_items[0][price_data][currency]": "eur",
                "line_items[0][price_data][unit_amount]": 1500, "line_items[0][price_data][product_data][name]": "Yin"}))
        request()
        state.advance_time(DAY // 2 + 17)
        request()
    return state


def test_waiting_for_the_next_due_moment_changes_no_event_or_object():
    looked, waited = _months_of_billing(LooksEveryTime(seed=7, clock=lambda: T0)), _months_of_billing(
        FakeStripeState(seed=7, clock=lambda: T0))
    for table in ("events", "sessions", "subscriptions", "invoices", "charges", "payment_intents"):
        assert json.dumps(getattr(waited, table), sort_keys=True) == json.dumps(getattr(looked, table), sort_keys=True)
    types = {event["type"] for event in waited.events}
    assert {"checkout.session.expired", "invoice.payment_failed", "invoice.voided",
            "customer.subscription.deleted"} <= types
    assert waited.due_scans < looked.due_scans / 10
