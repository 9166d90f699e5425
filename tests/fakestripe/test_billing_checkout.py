"""Stripe Billing on the local stand-in: customers, prices, Checkout in subscription and setup mode.

Driven through the official SDK; the ``fake`` fixture holds every answer and
event to Stripe's schemas (spec3-subset.json).
"""

import pytest

from devtools.fakestripe.errors import StripeError as FakeError
from tests.devtools.stripe_helpers import http

from .conftest import T0, checkout_params, types_since

PAID_IN_ORDER = ["customer.subscription.created", "invoice.created",
                 "invoice.finalized", "invoice.paid",
                 "invoice.payment_succeeded", "checkout.session.completed"]


def test_customers_are_created_retrieved_updated_and_listed(client, fake):
    customer = client.v1.customers.create({
        "email": "anna@example.com", "name": "Anna", "metadata": {"user_id": "12"}})
    assert customer.id.startswith("cus_")
    assert (customer.email, customer.name, customer.metadata["user_id"]) == (
        "anna@example.com", "Anna", "12")
    assert customer.invoice_settings.default_payment_method is None
    assert customer.test_clock is None
    again = client.v1.customers.retrieve(customer.id)
    assert again.to_dict() == customer.to_dict()
    updated = client.v1.customers.update(customer.id, {"name": "Anna de Vries",
                                                       "metadata": {"user_id": ""}})
    assert updated.name == "Anna de Vries" and "user_id" not in updated.metadata
    [event] = fake.events_of_type("customer.updated")
    assert event["data"]["previous_attributes"] == {
        "name": "Anna", "metadata": {"user_id": "12"}}
    listed = client.v1.customers.list({"email": "anna@example.com"})
    assert [c.id for c in listed.data] == [customer.id]


def test_a_customer_on_a_test_clock_is_created_at_the_clocks_time(client, clock):
    customer = client.v1.customers.create({"email": "a@example.com",
                                           "test_clock": clock.id})
    assert customer.test_clock == clock.id
    assert customer.created == T0


def test_prices_with_product_data_and_products_on_their_own(client, fake):
    price = client.v1.prices.create({
        "currency": "eur", "unit_amount": 4900, "product_data": {"name": "Onbeperkt yoga"},
        "recurring": {"interval": "month", "interval_count": 3}, "lookup_key": "kwartaal"})
    assert (price.type, price.recurring.interval, price.recurring.interval_count) == (
        "recurring", "month", 3)
    product = client.v1.products.retrieve(price.product)
    assert product.name == "Onbeperkt yoga" and product.active
    assert client.v1.prices.retrieve(price.id).unit_amount == 4900
    own = client.v1.products.create({"name": "10 lessen per maand",
                                     "metadata": {"membership_type": "3"}})
    second = client.v1.prices.create({"currency": "eur", "unit_amount": 3900,
                                      "product": own.id,
                                      "recurring": {"interval": "month"}})
    assert second.product == own.id and second.recurring.interval_count == 1
    assert [p.id for p in client.v1.prices.list({"lookup_keys": ["kwartaal"]}).data] == [
        price.id]
    assert [e["type"] for e in fake.events] == [
        "product.created", "price.created", "product.created", "price.created"]


def test_a_subscription_checkout_paid_with_ideal_sets_up_sepa_debit(
        client, fake, receiver, member, monthly):
    session = client.v1.checkout.sessions.create(checkout_params(
        customer=member.id, line_items=[{"price": monthly.id, "quantity": 1}]))
    assert (session.mode, session.status, session.amount_total) == (
        "subscription", "open", 4900)
    assert session.customer == member.id
    assert session.subscription is None and session.invoice is None
    before = len(fake.events)
    paid = fake.pay_subscription_checkout(session.id, "ideal")
    assert types_since(fake, before) == PAID_IN_ORDER  # no customer.created: it existed
    assert [e.type for e in receiver.events()][-6:] == PAID_IN_ORDER  # signed, in order
    done = client.v1.checkout.sessions.retrieve(session.id)
    assert (done.status, done.payment_status) == ("complete", "paid")
    assert done.subscription == paid["subscription"] and done.invoice == paid["invoice"]
    sub = client.v1.subscriptions.retrieve(done.subscription)
    assert (sub.status, sub.customer, sub.metadata["membership_id"]) == (
        "active", member.id, "7")
    [item] = sub["items"].data
    assert item.current_period_start == T0 == sub.start_date
    assert item.current_period_end == T0 + 31 * 86400  # 15 January -> 15 February
    assert item.price.id == monthly.id
    saved = client.v1.payment_methods.retrieve(sub.default_payment_method)
    assert (saved.type, saved.customer) == ("sepa_debit", member.id)
    invoice = client.v1.invoices.retrieve(done.invoice, {"expand": ["payments"]})
    assert (invoice.status, invoice.billing_reason, invoice.amount_paid) == (
        "paid", "subscription_create", 4900)
    assert invoice.parent.subscription_details.subscription == sub.id
    assert invoice.parent.subscription_details.metadata["membership_id"] == "7"
    assert invoice.lines.data[0].period.end == item.current_period_end
    intent = client.v1.payment_intents.retrieve(
        invoice.payments.data[0].payment.payment_intent, {"expand": ["latest_charge"]})
    assert intent.status == "succeeded" and intent.customer == member.id
    ideal = intent.latest_charge.payment_method_details.ideal
    assert ideal.generated_sepa_debit == saved.id
    assert saved.sepa_debit.generated_from.charge == intent.latest_charge.id


@pytest.mark.parametrize("method, saved_type", [("card", "card"), ("sepa_debit", "sepa_debit"),
                                                ("bancontact", "sepa_debit")])
def test_other_methods_save_the_method_for_renewals(client, subscribed, method, saved_type):
    sub = subscribed(method)
    assert client.v1.payment_methods.retrieve(sub.default_payment_method).type == saved_type


def test_checkout_with_an_email_creates_the_customer_first(client, fake, monthly):
    session = client.v1.checkout.sessions.create(checkout_params(
        customer_email="nieuw@example.com",
        line_items=[{"price_data": {"currency": "eur", "unit_amount": 2500,
                                    "product_data": {"name": "Kennismaking"},
                                    "recurring": {"interval": "month"}},
                     "quantity": 1}]))
    before = len(fake.events)
    paid = fake.pay_subscription_checkout(session.id, "card", name="Bea")
    assert types_since(fake, before) == ["customer.created", *PAID_IN_ORDER]
    customer = client.v1.customers.retrieve(paid["customer"])
    assert (customer.email, customer.name, customer.test_clock) == (
        "nieuw@example.com", "Bea", None)
    sub = client.v1.subscriptions.retrieve(paid["subscription"])
    assert sub["items"].data[0].price.unit_amount == 2500
    listed = client.v1.checkout.sessions.line_items.list(session.id)
    assert listed.data[0].price.recurring.interval == "month"


def test_a_declined_card_leaves_the_subscription_checkout_open(client, fake, member, monthly):
    session = client.v1.checkout.sessions.create(checkout_params(
        customer=member.id, line_items=[{"price": monthly.id, "quantity": 1}]))
    before = len(fake.events)
    assert fake.pay_subscription_checkout(session.id, "card_declined")["status"] == "open"
    assert types_since(fake, before) == []
    assert client.v1.subscriptions.list({"customer": member.id}).data == []


def test_the_hosted_page_shows_the_monthly_price_and_pays(client, fake, member, monthly):
    session = client.v1.checkout.sessions.create(checkout_params(
        customer=member.id, line_items=[{"price": monthly.id, "quantity": 1}]))
    status, _, page = http("GET", session.url)
    assert status == 200
    assert "Onbeperkt yoga" in page and "per maand / per month" in page
    assert "Pay with iDEAL, then SEPA Direct Debit" in page
    assert "Pay by SEPA Direct Debit" in page
    status, headers, _ = http("POST", session.url, {"method": "ideal"})
    assert status == 303
    assert headers["Location"] == f"http://studio.test/lid/?session={session.id}"
    status, _, page = http("GET", session.url)
    assert "Abonnement gestart / Subscription started" in page
    assert client.v1.checkout.sessions.retrieve(session.id).subscription


def test_setup_mode_saves_a_method_for_the_customer(client, fake, receiver, member):
    session = client.v1.checkout.sessions.create({
        "mode": "setup", "customer": member.id,
        "payment_method_types": ["ideal", "card"],
        "setup_intent_data": {"metadata": {"membership_id": "7"}},
        "success_url": "http://studio.test/betaalmethode/klaar/",
        "cancel_url": "http://studio.test/lid/"})
    assert (session.payment_status, session.amount_total, session.currency) == (
        "no_payment_required", None, None)
    assert session.setup_intent.startswith("seti_")
    status, _, page = http("GET", session.url)
    assert "Set up with iDEAL: SEPA Direct Debit" in page and "Save a card" in page
    before = len(fake.events)
    status, headers, _ = http("POST", session.url, {"method": "ideal"})
    assert (status, headers["Location"]) == (303, "http://studio.test/betaalmethode/klaar/")
    assert types_since(fake, before) == [
        "setup_intent.succeeded", "payment_method.attached", "checkout.session.completed"]
    completed = receiver.events("checkout.session.completed")[-1].data.object
    assert completed.setup_intent == session.setup_intent
    intent = client.v1.setup_intents.retrieve(session.setup_intent,
                                              {"expand": ["payment_method", "latest_attempt"]})
    assert (intent.status, intent.customer, intent.metadata["membership_id"]) == (
        "succeeded", member.id, "7")
    # As Stripe: the intent holds the one-off iDEAL method; the SEPA Direct Debit
    # method it set up for later is named on the attempt.
    assert intent.payment_method.type == "ideal"
    generated = intent.latest_attempt.payment_method_details.ideal.generated_sepa_debit
    sepa = client.v1.payment_methods.retrieve(generated)
    assert (sepa.type, sepa.customer, sepa.sepa_debit.generated_from.setup_attempt) == (
        "sepa_debit", member.id, intent.latest_attempt.id)
    assert intent.mandate
    made_default = client.v1.customers.update(member.id, {
        "invoice_settings": {"default_payment_method": generated}})
    assert made_default.invoice_settings.default_payment_method == generated


def test_setup_with_a_card_saves_the_card(client, fake, member):
    session = client.v1.checkout.sessions.create({
        "mode": "setup", "customer": member.id, "payment_method_types": ["card"],
        "success_url": "http://studio.test/ok/"})
    fake.complete_setup(session.id, "card")
    intent = client.v1.setup_intents.retrieve(session.setup_intent)
    assert client.v1.payment_methods.retrieve(intent.payment_method).type == "card"


def test_the_helpers_refuse_a_session_of_the_other_mode(client, fake, member, monthly):
    session = client.v1.checkout.sessions.create(checkout_params(
        customer=member.id, line_items=[{"price": monthly.id, "quantity": 1}]))
    with pytest.raises(FakeError, match="subscription mode, not setup"):
        fake.complete_setup(session.id)
