"""The local fake Stripe, driven through the official ``stripe`` SDK.

No Django here: these tests start the fake on a free port, point a
``StripeClient`` at it, and receive its signed webhooks on a tiny local
HTTP server.  Nothing is patched.
"""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import stripe

from .stripe_helpers import API_KEY, http, pay, session_params

# ----------------------------------------------------------------- sessions


def test_create_session_returns_an_open_session_with_a_hosted_url(client,
                                                                  fake):
    session = client.v1.checkout.sessions.create(
        session_params(), options={"idempotency_key": "create-1"})
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert session.url == f"{fake.url}/c/pay/{session.id}"
    assert (session.amount_total, session.currency) == (3500, "eur")
    assert session.metadata["booking_id"] == "42"
    assert session.client_reference_id == "booking-42"
    assert session.payment_method_types == ["ideal", "card"]
    assert session.payment_intent is None
    assert session.livemode is False
    assert session.expires_at - session.created == 24 * 3600


def test_retrieve_session_expands_line_items_and_lists_them(client):
    created = client.v1.checkout.sessions.create(session_params())
    session = client.v1.checkout.sessions.retrieve(
        created.id, params={"expand": ["line_items", "payment_intent"]})
    assert [item.description for item in session.line_items.data] == [
        "Yin yoga, dinsdag", "Matverhuur"]
    assert session.line_items.data[0].amount_total == 3000
    assert session.payment_intent is None
    listed = client.v1.checkout.sessions.line_items.list(created.id)
    assert [item.quantity for item in listed.data] == [2, 1]
    assert listed.data[0].price.unit_amount == 1500


def test_idempotent_replay_returns_the_same_session(client, fake):
    first = client.v1.checkout.sessions.create(
        session_params(), options={"idempotency_key": "same-key"})
    again = client.v1.checkout.sessions.create(
        session_params(), options={"idempotency_key": "same-key"})
    assert again.id == first.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(fake.state.sessions) == 1


def test_one_idempotency_key_used_at_once_makes_one_session(client, fake):
    ids = []

    def create():
        ids.append(client.v1.checkout.sessions.create(
            session_params(), options={"idempotency_key": "parallel"}).id)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 8 and len(set(ids)) == 1
    assert len(fake.state.sessions) == 1


def test_idempotency_key_with_other_params_is_refused(client):
    client.v1.checkout.sessions.create(
        session_params(), options={"idempotency_key": "key-2"})
    with pytest.raises(stripe.IdempotencyError) as caught:
        client.v1.checkout.sessions.create(
            session_params(client_reference_id="booking-43"),
            options={"idempotency_key": "key-2"})
    assert caught.value.http_status == 400
    assert "same parameters" in caught.value.user_message


@pytest.mark.parametrize("overrides, param", [
    ({"success_url": None}, "success_url"),
    ({"mode": None}, "mode"),
    ({"line_items": None}, "line_items"),
    ({"line_items": [{"price_data": {"currency": "eur", "unit_amount": -5,
                                     "product_data": {"name": "x"}},
                      "quantity": 1}]},
     "line_items[0][price_data][unit_amount]"),
    ({"line_items": [{"price_data": {"currency": "eur", "unit_amount": 0,
                                     "product_data": {"name": "x"}},
                      "quantity": 1}]}, "line_items"),
    ({"line_items": [{"price_data": {"currency": "xyz", "unit_amount": 900,
                                     "product_data": {"name": "x"}},
                      "quantity": 1}]},
     "line_items[0][price_data][currency]"),
    ({"line_items": [{"price_data": {"currency": "eur", "unit_amount": 900,
                                     "product_data": {"name": "x"}}}]},
     "line_items[0][quantity]"),
    ({"succes_url": "http://typo.test/"}, "succes_url"),
    ({"locale": "xx"}, "locale"),
    ({"customer_email": "not-an-email"}, "customer_email"),
    ({"expires_at": 1}, "expires_at"),
])
def test_invalid_session_params_give_invalid_request_errors(client, overrides,
                                                            param):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.create(session_params(**overrides))
    assert caught.value.http_status == 400
    assert caught.value.param == param
    assert caught.value.error.type == "invalid_request_error"


def test_raw_form_requests_with_bracket_arrays_and_basic_auth(client, fake):
    session = client.v1.checkout.sessions.create(session_params())
    fake.pay(session.id, "ideal")
    status, _, body = http(
        "GET", f"{fake.url}/v1/checkout/sessions/{session.id}?"
               "expand[]=payment_intent&expand[]=line_items",
        headers={"Authorization": "Basic c2tfdGVzdF9jdXJsOg=="})  # sk_test_curl:
    assert status == 200, body
    data = json.loads(body)
    assert data["payment_intent"]["object"] == "payment_intent"
    assert data["line_items"]["object"] == "list"
    status, _, body = http(
        "GET", f"{fake.url}/v1/checkout/sessions/{session.id}?expand[]=url",
        headers={"Authorization": f"Bearer {API_KEY}"})
    assert status == 400
    assert json.loads(body)["error"]["param"] == "expand"


def test_unknown_session_is_a_404(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.retrieve("cs_test_nope")
    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"


@pytest.mark.parametrize("key", ["sk_live_abcdefghijkl", "pk_test_abcdefgh",
                                 "nonsense"])
def test_bad_api_key_is_refused_with_401(fake, key):
    bad = stripe.StripeClient(key, base_addresses={"api": fake.url},
                              max_network_retries=0)
    with pytest.raises(stripe.AuthenticationError) as caught:
        bad.v1.checkout.sessions.create(session_params())
    assert caught.value.http_status == 401


def test_missing_api_key_is_refused_with_stripe_error_body(fake):
    status, _, body = http("POST", f"{fake.url}/v1/checkout/sessions",
                           {"mode": "payment"})
    assert status == 401
    assert json.loads(body)["error"]["type"] == "invalid_request_error"


# ----------------------------------------------------------------- payments


def test_ideal_payment_sends_a_signed_completed_webhook(client, fake,
                                                        receiver):
    session = client.v1.checkout.sessions.create(session_params())
    pay(fake, session.id, "ideal")

    completed = receiver.events("checkout.session.completed")
    assert len(completed) == 1
    event = completed[0]
    assert event.id.startswith("evt_")
    assert event.data.object.id == session.id
    assert event.data.object.payment_status == "paid"
    assert event.data.object.metadata["booking_id"] == "42"
    payload, headers = receiver.requests[-1]
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, headers["Stripe-Signature"],
                                       "whsec_wrong")
    assert [a["status"] for a in fake.deliveries] == [200, 200, 200]

    paid = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]})
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    assert paid.url is None
    intent = paid.payment_intent
    assert intent.id.startswith("pi_") and intent.status == "succeeded"
    assert intent.amount_received == 3500
    assert intent.metadata["booking_id"] == "42"
    assert intent.latest_charge.id.startswith("ch_")
    assert intent.latest_charge.payment_method_details.type == "ideal"
    assert client.v1.events.retrieve(event.id).type == event.type


def test_delayed_ideal_completes_unpaid_then_async_succeeds(client, fake,
                                                            receiver):
    session = client.v1.checkout.sessions.create(session_params())
    body = pay(fake, session.id, "ideal_delayed")
    assert (body["status"], body["payment_status"]) == ("complete", "unpaid")
    [completed] = receiver.events("checkout.session.completed")
    assert completed.data.object.payment_status == "unpaid"
    intent = client.v1.payment_intents.retrieve(body["payment_intent"])
    assert intent.status == "processing"

    status, _, _ = http("POST", f"{fake.url}/_test/checkout/sessions/"
                                f"{session.id}/async_succeed", {})
    assert status == 200
    [settled] = receiver.events("checkout.session.async_payment_succeeded")
    assert settled.data.object.payment_status == "paid"
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


def test_delayed_ideal_can_fail_later(client, fake, receiver):
    session = client.v1.checkout.sessions.create(session_params())
    pay(fake, session.id, "ideal_delayed")
    failed = fake.async_fail(session.id)
    assert (failed["status"], failed["payment_status"]) == ("complete",
                                                           "unpaid")
    [event] = receiver.events("checkout.session.async_payment_failed")
    assert event.data.object.id == session.id
    intent = client.v1.payment_intents.retrieve(failed["payment_intent"])
    assert intent.status == "requires_payment_method"


def test_declined_card_leaves_the_session_open(client, fake, receiver):
    session = client.v1.checkout.sessions.create(session_params())
    body = pay(fake, session.id, "card_declined")
    assert body["status"] == "open"
    assert receiver.events("checkout.session.completed") == []
    intent = client.v1.payment_intents.retrieve(body["payment_intent"])
    assert intent.last_payment_error.code == "card_declined"
    paid = fake.pay(session.id, "card")
    assert paid["payment_status"] == "paid"
    assert paid["payment_intent"] == intent.id


def test_expire_through_the_api_sends_expired_and_only_once(client, receiver):
    session = client.v1.checkout.sessions.create(session_params())
    expired = client.v1.checkout.sessions.expire(
        session.id, options={"idempotency_key": "expire-1"})
    assert (expired.status, expired.url) == ("expired", None)
    [event] = receiver.events("checkout.session.expired")
    assert event.request.idempotency_key == "expire-1"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.expire(session.id)
    assert "status in [\"open\"]" in caught.value.user_message


def test_sessions_expire_when_their_time_runs_out(client, fake, receiver):
    session = client.v1.checkout.sessions.create(session_params())
    status, _, _ = http("POST", f"{fake.url}/_test/checkout/sessions/"
                                f"{session.id}/expire", {})
    assert status == 200
    [event] = receiver.events("checkout.session.expired")
    assert event.request.id is None
    later = client.v1.checkout.sessions.create(session_params())
    fake.advance_time(24 * 3600 + 1)
    assert client.v1.checkout.sessions.retrieve(later.id).status == "expired"
    assert len(receiver.events("checkout.session.expired")) == 2


# ------------------------------------------------------------------ refunds


def paid_intent(client, fake, method="card"):
    session = client.v1.checkout.sessions.create(session_params())
    return fake.pay(session.id, method)["payment_intent"]


def test_full_refund_refunds_the_charge(client, fake, receiver):
    intent_id = paid_intent(client, fake)
    refund = client.v1.refunds.create(
        params={"payment_intent": intent_id, "reason": "requested_by_customer",
                "metadata": {"booking_id": "42"}})
    assert refund.id.startswith("re_")
    assert (refund.status, refund.amount) == ("succeeded", 3500)
    assert client.v1.refunds.retrieve(refund.id).reason == (
        "requested_by_customer")
    charge = client.v1.charges.retrieve(refund.charge)
    assert (charge.refunded, charge.amount_refunded) == (True, 3500)
    assert [e.type for e in receiver.events()][-2:] == [
        "refund.created", "charge.refunded"]
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": intent_id})
    assert caught.value.code == "charge_already_refunded"


def test_partial_refunds_add_up_and_over_refunds_are_refused(client, fake):
    intent_id = paid_intent(client, fake)
    first = client.v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 1000})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(
            params={"payment_intent": intent_id, "amount": 3000})
    assert caught.value.param == "amount"
    second = client.v1.refunds.create(
        params={"charge": first.charge, "amount": 2500})
    charge = client.v1.charges.retrieve(first.charge)
    assert (charge.amount_refunded, charge.refunded) == (3500, True)
    assert "refunds" not in charge  # Stripe includes it only when expanded
    expanded = client.v1.charges.retrieve(first.charge,
                                          params={"expand": ["refunds"]})
    assert [r.id for r in expanded.refunds.data] == [second.id, first.id]
    listed = client.v1.refunds.list(params={"charge": first.charge})
    assert [r.id for r in listed.data] == [second.id, first.id]
    by_intent = client.v1.refunds.list(
        params={"payment_intent": intent_id, "limit": 1})
    assert ([r.id for r in by_intent.data], by_intent.has_more) == (
        [second.id], True)


def test_failing_refund_is_created_failed_with_a_refund_failed_event(
        client, fake, receiver):
    intent_id = paid_intent(client, fake, "ideal")
    status, _, _ = http("POST", f"{fake.url}/_test/refunds/fail_next", {})
    assert status == 200
    refund = client.v1.refunds.create(params={"payment_intent": intent_id})
    assert refund.status == "failed"
    assert refund.failure_reason == "declined"
    [failed] = receiver.events("refund.failed")
    assert failed.data.object.id == refund.id
    [updated] = receiver.events("refund.updated")
    assert updated.data.previous_attributes.status == "pending"
    charge = client.v1.charges.retrieve(refund.charge)
    assert (charge.amount_refunded, charge.refunded) == (0, False)
    assert client.v1.refunds.create(
        params={"payment_intent": intent_id}).status == "succeeded"


def test_refund_of_an_unpaid_intent_is_refused(client, fake):
    session = client.v1.checkout.sessions.create(session_params())
    intent_id = fake.pay(session.id, "ideal_delayed")["payment_intent"]
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.refunds.create(params={"payment_intent": intent_id})


# ----------------------------------------------------------------- webhooks


def test_a_down_endpoint_is_recorded_and_events_can_be_resent(client, fake,
                                                              receiver):
    receiver.status = 500
    session = client.v1.checkout.sessions.create(session_params())
    fake.pay(session.id, "ideal")
    assert {a["status"] for a in fake.deliveries} == {500}
    completed = fake.events_of_type("checkout.session.completed")[0]
    receiver.status = 200
    status, _, body = http("POST",
                           f"{fake.url}/_test/events/{completed['id']}/resend",
                           {})
    assert status == 200 and json.loads(body)["status"] == 200
    assert receiver.events()[-1].id == completed["id"]
    fake.configure_webhooks(url="http://127.0.0.1:9/closed/")
    fake.pay(client.v1.checkout.sessions.create(session_params()).id, "card")
    assert fake.deliveries[-1]["status"] is None
    assert fake.deliveries[-1]["error"]
    status, _, body = http("GET", f"{fake.url}/_test/events")
    assert status == 200
    assert len(json.loads(body)["data"]) == len(fake.events)


def test_webhooks_can_be_switched_off(client, fake, receiver):
    fake.webhooks_enabled = False
    session = client.v1.checkout.sessions.create(session_params())
    fake.pay(session.id, "ideal")
    assert receiver.requests == []
    assert fake.events_of_type("checkout.session.completed")


def test_reset_forgets_everything(client, fake):
    session = client.v1.checkout.sessions.create(session_params())
    fake.pay(session.id, "ideal")
    status, _, _ = http("POST", f"{fake.url}/_test/reset", {})
    assert status == 200
    assert fake.events == [] and fake.deliveries == []
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.retrieve(session.id)


# ------------------------------------------------------------- hosted page


def test_hosted_page_shows_items_and_total_and_its_buttons_pay(client, fake,
                                                               receiver):
    session = client.v1.checkout.sessions.create(session_params())
    status, _, page = http("GET", session.url)
    assert status == 200
    assert "Yin yoga, dinsdag" in page and "Matverhuur" in page
    assert "€ 35,00" in page
    assert "Pay with iDEAL (test)" in page and "Pay by card (test)" in page
    assert 'name="method" value="ideal"' in page

    status, headers, _ = http("POST", session.url, {"method": "ideal"})
    assert status == 303
    assert headers["Location"] == (
        f"http://shop.test/paid/?session={session.id}")
    assert receiver.events("checkout.session.completed")
    status, _, page = http("GET", session.url)
    assert "Payment received" in page


def test_hosted_page_declined_card_shows_a_message_and_cancel_goes_back(
        client, fake):
    session = client.v1.checkout.sessions.create(session_params())
    status, headers, _ = http("POST", session.url, {"method": "card_declined"})
    assert status == 303
    assert headers["Location"].endswith("?error=card_declined")
    _, _, page = http("GET", fake.url + headers["Location"])
    assert 'role="alert"' in page and "declined" in page
    status, headers, _ = http("POST", session.url + "/cancel", {})
    assert (status, headers["Location"]) == (303, "http://shop.test/cancelled/")
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_command_line_prints_its_url_and_serves():
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.fakestripe", "--port", "0",
         "--quiet"], cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("fakestripe listening on http://127.0.0.1:")
        url = first.split()[-1]
        status, _, body = http("GET", url + "/")
        assert status == 200 and json.loads(body)["fakestripe"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)
