"""Stripe Billing through the official SDK: customers, recurring prices, Checkout in subscription and
setup mode, subscriptions (pause, cancel at the period's end, the payment method), invoices and
setup intents. The memberships use it; like `gateway`, it names no purchase kind.

Shapes of the current API (stripe 16, API version 2026-10-28): a subscription's periods are on its
items (`items.data[0].current_period_start/end`), an invoice's subscription is under
`parent.subscription_details.subscription`, and its payments under `payments` (includable)."""

from datetime import datetime

from django.conf import settings

from . import gateway
from .gateway import field, id_of

SUBSCRIPTION_METHODS = ["ideal", "card", "bancontact"]  # iDEAL and Bancontact set up SEPA Direct Debit for next months
SETUP_METHODS = ["card", "sepa_debit", "ideal", "bancontact"]


def _client():
    return gateway.client()


def test_clock() -> str:
    """The Stripe test clock new customers belong to (tests and the demo set STRIPE_TEST_CLOCK)."""
    return getattr(settings, "STRIPE_TEST_CLOCK", "") or ""


def customer_create(*, email: str, name: str, client_id: int, key: str):
    params = {"email": email, "name": name[:250], "metadata": {"client_id": str(client_id)}}
    if test_clock():
        params["test_clock"] = test_clock()
    return _client().v1.customers.create(params, {"idempotency_key": key})


def price_create(*, name: str, amount_cents: int, key: str, metadata: dict):
    """A monthly price in euros, with its product made along."""
    return _client().v1.prices.create({
        "currency": "eur", "unit_amount": amount_cents, "recurring": {"interval": "month", "interval_count": 1},
        "product_data": {"name": name[:250]}, "metadata": metadata,
    }, {"idempotency_key": key})


def subscription_checkout_create(*, customer_id: str, price_id: str, metadata: dict, language: str, success_url: str,
                                 cancel_url: str, key: str):
    return _client().v1.checkout.sessions.create({
        "mode": "subscription",
        "customer": customer_id,
        "line_items": [{"price": price_id, "quantity": 1}],
        "payment_method_types": SUBSCRIPTION_METHODS,
        "locale": language if language in ("nl", "en") else "auto",
        "client_reference_id": metadata.get("membership_id", ""),
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }, {"idempotency_key": key})


def setup_checkout_create(*, customer_id: str, metadata: dict, language: str, success_url: str, cancel_url: str, key: str):
    """Checkout in setup mode: the client gives a new payment method for her subscription."""
    return _client().v1.checkout.sessions.create({
        "mode": "setup",
        "customer": customer_id,
        "payment_method_types": SETUP_METHODS,
        "locale": language if language in ("nl", "en") else "auto",
        "metadata": metadata,
        "setup_intent_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }, {"idempotency_key": key})


def subscription_retrieve(subscription_id: str, *, expand: tuple[str, ...] = ()):
    params = {"expand": list(expand)} if expand else None
    return _client().v1.subscriptions.retrieve(subscription_id, params)


def subscription_update(subscription_id: str, params: dict, *, key: str | None = None):
    options = {"idempotency_key": key} if key else None
    return _client().v1.subscriptions.update(subscription_id, params, options)


def subscription_pause(subscription_id: str, *, resumes_at: datetime):
    """Stop collecting payments until `resumes_at`: invoices made meanwhile are voided (Stripe has no
    start date for a pause; one that starts later is sent by our job on its first day)."""
    return subscription_update(subscription_id, {"pause_collection": {"behavior": "void", "resumes_at": int(resumes_at.timestamp())}})


def subscription_unpause(subscription_id: str):
    return subscription_update(subscription_id, {"pause_collection": ""})


def subscription_reanchor(subscription_id: str, *, key: str | None = None):
    """A new billing period from now, invoiced at once for the full price (no prorations): what
    Stripe recommends when a pause voided the invoice of the period that is running."""
    return subscription_update(subscription_id, {"billing_cycle_anchor": "now", "proration_behavior": "none"}, key=key)


def subscription_cancel_at_period_end(subscription_id: str, value: bool):
    return subscription_update(subscription_id, {"cancel_at_period_end": value})


def subscription_payment_method_set(subscription_id: str, payment_method_id: str):
    return subscription_update(subscription_id, {"default_payment_method": payment_method_id})


def invoice_retrieve(invoice_id: str):
    return _client().v1.invoices.retrieve(invoice_id, {"expand": ["payments"]})


def open_invoices(subscription_id: str) -> list:
    """The subscription's invoices still waiting for payment, oldest first (Stripe's retries of an
    older month can still be running when the next one fails)."""
    found = _client().v1.invoices.list({"subscription": subscription_id, "status": "open", "limit": 100})
    return sorted(found.auto_paging_iter(), key=lambda invoice: field(invoice, "created", 0))


def invoice_pay(invoice_id: str, *, payment_method_id: str = ""):
    params = {"payment_method": payment_method_id} if payment_method_id else {}
    return _client().v1.invoices.pay(invoice_id, params)


def setup_intent_retrieve(setup_intent_id: str):
    """With its latest attempt, which names the SEPA Direct Debit method an iDEAL or Bancontact setup made."""
    return _client().v1.setup_intents.retrieve(setup_intent_id, {"expand": ["latest_attempt"]})


def method_for_later(setup_intent) -> str:
    """The payment method a completed setup leaves for later payments: for iDEAL and Bancontact the
    SEPA Direct Debit method they generated (the one-off method itself cannot be charged again),
    else the intent's own method."""
    details = field(field(setup_intent, "latest_attempt"), "payment_method_details")
    kind = field(details, "type", "")
    generated = id_of(field(field(details, kind), "generated_sepa_debit")) if kind in ("ideal", "bancontact") else ""
    return generated or id_of(field(setup_intent, "payment_method"))


def payment_intent_retrieve(payment_intent_id: str):
    return _client().v1.payment_intents.retrieve(payment_intent_id, {"expand": ["latest_charge", "payment_method"]})


# Reading what Stripe answers ------------------------------------------------------------------


def subscription_item(subscription):
    items = field(field(subscription, "items"), "data", [])
    return items[0] if items else None


def subscription_period(subscription) -> tuple[int | None, int | None]:
    """The current period (start, end) as Unix times, from the subscription's first item."""
    item = subscription_item(subscription)
    return field(item, "current_period_start"), field(item, "current_period_end")


def invoice_subscription_id(invoice) -> str:
    details = field(field(invoice, "parent"), "subscription_details")
    return id_of(field(details, "subscription"))


def invoice_subscription_metadata(invoice, key: str) -> str:
    return gateway.metadata_value(field(field(invoice, "parent"), "subscription_details"), key)


def invoice_payment_intent_id(invoice) -> str:
    """The payment intent that paid the invoice, from its (expanded) `payments` list."""
    for invoice_payment in field(field(invoice, "payments"), "data", []):
        payment = field(invoice_payment, "payment")
        intent = id_of(field(payment, "payment_intent"))
        if intent and field(invoice_payment, "status", "") == "paid":  # not a failed attempt before it
            return intent
    return ""


def method_of_payment_intent(intent) -> str:
    """'ideal', 'card', 'bancontact' or 'sepa_debit', from the charge (else the payment method)."""
    kind = field(field(field(intent, "latest_charge"), "payment_method_details"), "type", "")
    if not kind:
        kind = field(field(intent, "payment_method"), "type", "")
    return kind
