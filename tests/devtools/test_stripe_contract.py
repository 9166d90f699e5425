"""The contract test: the local Stripe against Stripe's own OpenAPI schemas.

Every test that uses the stand-in already has each answer and event checked
(``tests/stripe_contract.py``); here one run drives every route and event the
app knows, and the check itself is shown to refuse what Stripe would not send.
"""

import copy
import json
from pathlib import Path

import pytest
import stripe

from devtools.fakestripe.contract import SPEC_PATH, sdk_only_fields
from tests.stripe_contract import held_to_stripe_contract

from . import stripe_helpers
from .stripe_helpers import API_KEY, http, session_params

README = Path(__file__).resolve().parents[2] / "devtools" / "fakestripe" / "README.md"
EVENT_TYPES = {
    "checkout.session.completed", "checkout.session.expired", "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed", "payment_intent.succeeded", "payment_intent.processing",
    "payment_intent.payment_failed", "payment_intent.canceled", "charge.succeeded", "charge.pending", "charge.failed",
    "charge.refunded", "refund.created", "refund.updated", "refund.failed",
}
KINDS = {"checkout.session", "item", "payment_intent", "charge", "refund", "payment_method", "event", "list", "error"}


def count_objects(body):
    """Stripe objects in one body, nested ones included."""
    if isinstance(body, dict):
        return int("object" in body or "error" in body) + sum(count_objects(value) for value in body.values())
    if isinstance(body, list):
        return sum(count_objects(value) for value in body)
    return 0


def full_run(client, fake):
    """Every route and every event the app meets: all payment methods, delays, declines, expiry, refunds."""
    def session_params():
        return stripe_helpers.session_params(payment_method_types=["ideal", "card", "bancontact"])

    paid = client.v1.checkout.sessions.create(session_params())
    client.v1.checkout.sessions.retrieve(paid.id, params={"expand": ["line_items"]})
    client.v1.checkout.sessions.line_items.list(paid.id)
    fake.pay(paid.id, "card")
    paid = client.v1.checkout.sessions.retrieve(paid.id, params={"expand": ["payment_intent.latest_charge"]})
    intent = paid.payment_intent
    client.v1.payment_intents.retrieve(intent.id, params={"expand": ["payment_method"]})
    client.v1.payment_methods.retrieve(intent.latest_charge.payment_method)
    first = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 500})
    client.v1.refunds.create(params={"charge": first.charge}, options={"idempotency_key": "rest"})
    client.v1.refunds.create(params={"charge": first.charge}, options={"idempotency_key": "rest"})  # replayed
    client.v1.charges.retrieve(first.charge, params={"expand": ["refunds"]})
    client.v1.refunds.list(params={"charge": first.charge})
    client.v1.refunds.retrieve(first.id, params={"expand": ["charge", "payment_intent"]})

    for method in ("ideal", "bancontact"):
        fake.pay(client.v1.checkout.sessions.create(session_params()).id, method)
    delayed = client.v1.checkout.sessions.create(session_params())
    fake.pay(delayed.id, "ideal_delayed")
    fake.async_succeed(delayed.id)
    bounced = client.v1.checkout.sessions.create(session_params())
    fake.pay(bounced.id, "ideal_delayed")
    fake.async_fail(bounced.id)
    declined = client.v1.checkout.sessions.create(session_params())
    fake.pay(declined.id, "card_declined")
    client.v1.payment_intents.retrieve(client.v1.checkout.sessions.retrieve(declined.id).payment_intent)
    client.v1.checkout.sessions.expire(declined.id)
    client.v1.checkout.sessions.create(session_params())
    fake.advance_time(25 * 3600)

    ideal_paid = fake.events_of_type("payment_intent.succeeded")[1]["data"]["object"]["id"]
    fake.fail_next_refund("insufficient_funds")
    client.v1.refunds.create(params={"payment_intent": ideal_paid})

    events = client.v1.events.list(params={"limit": 100})
    client.v1.events.retrieve(events.data[0].id)
    for call in (lambda: client.v1.checkout.sessions.retrieve("cs_test_nothing"),
                 lambda: client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 99999}),
                 lambda: client.v1.checkout.sessions.expire(paid.id)):
        with pytest.raises(stripe.InvalidRequestError):
            call()
    status, _, body = http("GET", f"{fake.url}/v1/nothing/here", headers={"Authorization": f"Bearer {API_KEY}"})
    assert status == 404 and "error" in json.loads(body)


def test_everything_the_stand_in_says_in_a_full_run_conforms_to_stripes_schemas(client, fake, receiver, stripe_contract):
    seen, checked = [], fake.observer
    fake.observer = lambda *said: (seen.append(said), checked(*said))
    full_run(client, fake)
    events = fake.events

    bodies = [(where, body, expand) for where, body, expand in seen] + [(f"event {e['type']}", e, ()) for e in events]
    problems = [problem for where, body, expand in bodies for problem in stripe_contract.problems(body, where, expand=expand)]
    assert problems == []
    kinds = {body.get("object") or "error" for _, body, _ in seen}
    kinds |= {item["object"] for _, body, _ in seen if body.get("object") == "list" for item in body["data"]}
    assert kinds >= KINDS
    assert {event["type"] for event in events} == EVENT_TYPES
    assert {json.loads(payload)["type"] for payload, _ in receiver.requests} == EVENT_TYPES
    assert len([1 for where, _, _ in seen if where.startswith(("GET /v1", "POST /v1"))]) >= 25
    assert sum(count_objects(body) for _, body, _ in bodies) > 150


# ------------------------------------------------------------- the test of the test


@pytest.fixture
def answers(client, fake):
    """Real answers of the stand-in to break on purpose: a paid session (expanded), a declined intent, events."""
    paid = client.v1.checkout.sessions.create(session_params())
    fake.pay(paid.id, "card")
    declined = client.v1.checkout.sessions.create(session_params())
    fake.pay(declined.id, "card_declined")
    intent_id = fake.get(paid.id)["payment_intent"]
    client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 100})
    fake.fail_next_refund()
    client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 100})
    return {
        "session": fake.get(paid.id),
        "expanded": fake.get(paid.id, expand=["payment_intent.latest_charge"]),
        "declined": fake.get(fake.get(declined.id)["payment_intent"]),
        "refunded": fake.events_of_type("charge.refunded")[0],
        "updated": fake.events_of_type("refund.updated")[0],
    }


def broken(answers, name, change):
    body = copy.deepcopy(answers[name])
    change(body)
    return body


def _set(path, value):
    def change(body):
        *parents, last = path.split(".")
        for part in parents:
            body = body[part]
        body[last] = value
    return change


def _drop(path):
    def change(body):
        *parents, last = path.split(".")
        for part in parents:
            body = body[part]
        del body[last]
    return change


WRONG = [
    ("declined", _set("last_payment_error.decline_code", None), (), "last_payment_error.decline_code: null where"),
    ("declined", _set("last_payment_error.param", None), (), "last_payment_error.param: null where"),
    ("declined", _set("last_payment_error.payment_method", {"id": "pm_1", "object": "payment_method", "type": "card"}), (),
     "last_payment_error.payment_method: 'billing_details' is a required property"),
    ("session", _set("subscription_data", None), (), "$.subscription_data: Stripe sends no such field here"),
    ("session", _drop("payment_status"), (), "'payment_status' is a required property"),
    ("session", _set("amount_total", "3500"), (), "$.amount_total: '3500' is not of type 'integer'"),
    ("session", _set("status", "paid"), (), "$.status: 'paid' is not one of"),
    ("session", _set("payment_intent", {"id": "pi_1", "object": "payment_intent"}), (),
     "$.payment_intent: an object where Stripe sends its id (not expanded)"),
    ("expanded", _set("payment_intent.latest_charge.amount", None), ("payment_intent.latest_charge",),
     "$.payment_intent.latest_charge.amount: null where"),
    ("expanded", _set("payment_intent.latest_charge.refunds", {"object": "list", "data": [], "has_more": False, "url": "/v1/x"}),
     ("payment_intent.latest_charge",), "latest_charge.refunds: Stripe includes this only when a request expands it"),
    ("refunded", _set("data.object.refunds", {"object": "list", "data": [], "has_more": False, "url": "/v1/x"}), (),
     "$.data.object.refunds: Stripe includes this only when a request expands it"),
    ("refunded", _set("data.object.payment_intent", {"id": "pi_1"}), (), "$.data.object.payment_intent: an object where"),
    ("updated", _set("data.previous_attributes", {"colour": "red"}), (), "previous_attributes.colour: refund has no such field"),
    ("updated", _set("data.previous_attributes", {"status": 3}), (), "previous_attributes.status: 3 is not of type 'string'"),
]


def test_the_real_answers_conform_before_they_are_broken(answers, stripe_contract):
    expands = {"expanded": ("payment_intent.latest_charge",)}
    for name, body in answers.items():
        assert stripe_contract.problems(body, expand=expands.get(name, ())) == [], name


@pytest.mark.parametrize("name, change, expand, expected", WRONG, ids=[row[3][:50] for row in WRONG])
def test_the_contract_refuses_what_stripe_would_not_send(answers, stripe_contract, name, change, expand, expected):
    problems = stripe_contract.problems(broken(answers, name, change), expand=expand)
    assert any(expected in problem for problem in problems), problems


def test_the_fixtures_legacy_invoice_fails_the_newer_schema(stripe_contract):
    """fixtures3.json still shows fields the current API dropped; the schemas do not accept them."""
    invoice = json.loads((SPEC_PATH.parent / "fixtures3.json").read_text())["resources"]["invoice"]
    problems = stripe_contract.problems(invoice)
    assert "$.subscription: Stripe sends no such field here" in problems


class _Talking:
    """Stands in for the server in the hook: says one body through the observer."""

    observer = None
    events = ()

    def say(self, body, expand=()):
        self.observer("GET /v1/charges/ch_1", body, expand)


def test_a_test_whose_stand_in_drifts_fails(answers, stripe_contract):
    server = _Talking()
    with held_to_stripe_contract(server, stripe_contract):
        server.say(answers["session"])  # as Stripe sends it: passes
    drifted = broken(answers, "refunded", _set("data.object.refunds", {"object": "list", "data": [], "has_more": False, "url": "/"}))
    with pytest.raises(pytest.fail.Exception, match="refunds: Stripe includes this only when a request expands it"):
        with held_to_stripe_contract(server, stripe_contract):
            server.say(drifted)
    assert server.observer is None


def test_the_readme_lists_where_the_sdk_wins_over_the_subset(stripe_contract):
    readme = README.read_text()
    for name, fields in sdk_only_fields(stripe_contract.spec).items():
        line = next((line for line in readme.splitlines() if line.startswith(f"| `{name}` |")), "")
        assert all(f"`{field}`" in line for field in fields), f"{name}: {sorted(fields)} not in the stand-in's README"
