"""Bad input to the stand-in's Stripe Billing: errors shaped like Stripe's, and nothing half-saved.

Unknown ids in the path are 404 ``resource_missing``; unknown ids in a
parameter and bad parameters are 400 with ``param`` naming it.
"""

import pytest
import stripe

from tests.devtools.stripe_helpers import API_KEY, http

from .conftest import T0, checkout_params


@pytest.mark.parametrize("call", [
    lambda c: c.v1.customers.retrieve("cus_missing"),
    lambda c: c.v1.customers.update("cus_missing", {"name": "x"}),
    lambda c: c.v1.products.retrieve("prod_missing"),
    lambda c: c.v1.prices.retrieve("price_missing"),
    lambda c: c.v1.subscriptions.retrieve("sub_missing"),
    lambda c: c.v1.subscriptions.update("sub_missing", {"cancel_at_period_end": True}),
    lambda c: c.v1.subscriptions.cancel("sub_missing"),
    lambda c: c.v1.invoices.retrieve("in_missing"),
    lambda c: c.v1.invoices.pay("in_missing"),
    lambda c: c.v1.setup_intents.retrieve("seti_missing"),
    lambda c: c.v1.test_helpers.test_clocks.retrieve("clock_missing"),
    lambda c: c.v1.test_helpers.test_clocks.advance("clock_missing", {"frozen_time": T0}),
])
def test_unknown_ids_are_404_resource_missing(client, call):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        call(client)
    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"
    assert "No such" in caught.value.user_message


def _price(client):
    return client.v1.prices.create({"currency": "eur", "unit_amount": 4900,
                                    "product_data": {"name": "Yoga"},
                                    "recurring": {"interval": "month"}})


@pytest.mark.parametrize("make, param", [
    (lambda c, p: c.v1.customers.create({"email": "geen-adres"}), "email"),
    (lambda c, p: c.v1.customers.create({"test_clock": "clock_missing"}), "test_clock"),
    (lambda c, p: c.v1.customers.create({"emial": "a@example.com"}), "emial"),
    (lambda c, p: c.v1.products.create({}), "name"),
    (lambda c, p: c.v1.prices.create({"currency": "eur", "unit_amount": 100,
                                      "product_data": {"name": "x"},
                                      "recurring": {"interval": "fortnight"}}),
     "recurring[interval]"),
    (lambda c, p: c.v1.prices.create({"currency": "eur", "unit_amount": 100,
                                      "product_data": {"name": "x"},
                                      "recurring": {"interval": "month",
                                                    "interval_count": 13}}),
     "recurring[interval_count]"),
    (lambda c, p: c.v1.prices.create({"currency": "eur", "unit_amount": 100,
                                      "product": "prod_missing"}), "product"),
    (lambda c, p: c.v1.prices.create({"currency": "eur", "product_data": {"name": "x"}}),
     "unit_amount"),
    (lambda c, p: c.v1.checkout.sessions.create(checkout_params(
        line_items=[{"price": "price_missing", "quantity": 1}])),
     "line_items[0][price]"),
    (lambda c, p: c.v1.checkout.sessions.create(checkout_params(
        line_items=[{"price_data": {"currency": "eur", "unit_amount": 900,
                                    "product_data": {"name": "x"}}, "quantity": 1}])),
     "line_items[0][price_data][recurring]"),
    (lambda c, p: c.v1.checkout.sessions.create(checkout_params(
        customer="cus_missing", line_items=[{"price": p.id, "quantity": 1}])), "customer"),
    (lambda c, p: c.v1.checkout.sessions.create(checkout_params(
        payment_method_types=["klarna"], line_items=[{"price": p.id, "quantity": 1}])),
     "payment_method_types[0]"),
    (lambda c, p: c.v1.checkout.sessions.create(checkout_params(
        subscription_data={"trial_period_days": 7},
        line_items=[{"price": p.id, "quantity": 1}])),
     "subscription_data[trial_period_days]"),
    (lambda c, p: c.v1.checkout.sessions.create(checkout_params(
        payment_intent_data={"description": "x"},
        line_items=[{"price": p.id, "quantity": 1}])), "payment_intent_data"),
    (lambda c, p: c.v1.checkout.sessions.create({
        "mode": "setup", "success_url": "http://studio.test/",
        "line_items": [{"price": p.id, "quantity": 1}]}), "line_items"),
    (lambda c, p: c.v1.checkout.sessions.create({
        "mode": "payment", "success_url": "http://studio.test/",
        "subscription_data": {"metadata": {"a": "b"}},
        "line_items": [{"price_data": {"currency": "eur", "unit_amount": 900,
                                       "product_data": {"name": "x"}},
                        "quantity": 1}]}), "subscription_data"),
    (lambda c, p: c.v1.test_helpers.test_clocks.create({"name": "x"}), "frozen_time"),
])
def test_bad_params_are_400_with_the_param_and_save_nothing(client, fake, make, param):
    price = _price(client)
    made = (len(fake.state.customers), len(fake.state.products), len(fake.state.prices),
            len(fake.state.sessions), len(fake.events))
    with pytest.raises(stripe.InvalidRequestError) as caught:
        make(client, price)
    assert caught.value.http_status == 400
    assert caught.value.param == param
    assert caught.value.user_message
    assert (len(fake.state.customers), len(fake.state.products), len(fake.state.prices),
            len(fake.state.sessions), len(fake.events)) == made


def test_a_session_with_a_good_and_a_bad_line_makes_no_inline_price(client, fake):
    good = {"price_data": {"currency": "eur", "unit_amount": 900, "product_data": {"name": "x"},
                           "recurring": {"interval": "month"}}, "quantity": 1}
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.create(checkout_params(
            line_items=[good, {"price": "price_missing", "quantity": 1}]))
    assert caught.value.param == "line_items[1][price]"
    assert (fake.state.prices, fake.state.products, fake.state.sessions) == ({}, {}, {})


def test_subscription_updates_refuse_what_they_cannot_do(client, fake, subscribed):
    sub = subscribed()
    before = (fake.state.get(sub.id), len(fake.events))
    for params, param in [
            ({"pause_collection": {"behavior": "sleep"}}, "pause_collection[behavior]"),
            ({"pause_collection": {"resumes_at": T0 + 5}}, "pause_collection[behavior]"),
            ({"pause_collection": {"behavior": "void", "resumes_at": T0 - 5}},
             "pause_collection[resumes_at]"),
            ({"items": [{"price": "price_x"}]}, "items"),
            ({"pause_collection": {"behavior": "void"}, "default_payment_method": "pm_missing"},
             "default_payment_method"),
            ({"cancel_at_period_end": "soms"}, "cancel_at_period_end")]:
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.subscriptions.update(sub.id, params)
        assert (caught.value.http_status, caught.value.param) == (400, param)
    assert (fake.state.get(sub.id), len(fake.events)) == before  # nothing half-done


def test_a_default_method_must_belong_to_the_customer(client, fake, subscribed):
    sub = subscribed()
    other = client.v1.customers.create({"email": "b@example.com"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.customers.update(other.id, {
            "invoice_settings": {"default_payment_method": sub.default_payment_method}})
    assert caught.value.param == "invoice_settings[default_payment_method]"
    assert "must be attached" in caught.value.user_message
    assert client.v1.customers.retrieve(other.id).invoice_settings.default_payment_method is None


def test_a_paid_invoice_cannot_be_paid_again(client, subscribed):
    sub = subscribed()
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.invoices.pay(sub.latest_invoice)
    assert caught.value.http_status == 400
    assert "already paid" in caught.value.user_message


def test_lists_refuse_an_unknown_customer_and_status(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.subscriptions.list({"customer": "cus_missing"})
    assert (caught.value.http_status, caught.value.param) == (400, "customer")
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.invoices.list({"status": "betaald"})
    assert caught.value.param == "status"


def test_the_test_controls_answer_unknown_ids_clearly(fake):
    status, _, body = http("POST", f"{fake.url}/_test/customers/cus_missing/fail_renewals")
    assert status == 404 and "No such customer" in body
    status, _, page = http("GET", f"{fake.url}/i/in_missing")
    assert status == 404 and "Unknown invoice" in page
    status, _, body = http("GET", f"{fake.url}/v1/subscriptions/sub_x",
                           headers={"Authorization": f"Bearer {API_KEY}"})
    assert status == 404 and '"code": "resource_missing"' in body
