"""The one place that talks to Stripe's API (through the official SDK)."""

from datetime import timedelta

import stripe
from django.conf import settings
from django.utils import timezone

# Stripe accepts expires_at between 30 minutes and 24 hours ahead; our own hold
# is shorter and released by us (we then expire the session through the API).
CHECKOUT_MINIMUM_LIFETIME = timedelta(minutes=31)
PAYMENT_METHODS = ["ideal", "card", "bancontact"]


def client() -> stripe.StripeClient:
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2, **options)


def create_checkout(*, payment, line_name: str, email: str, language: str, success_url: str, cancel_url: str, now=None):
    now = now or timezone.now()
    params = {
        "mode": "payment",
        "payment_method_types": PAYMENT_METHODS,
        "line_items": [{
            "quantity": 1,
            "price_data": {"currency": "eur", "unit_amount": payment.amount_cents, "product_data": {"name": line_name}},
        }],
        "customer_email": email,
        "locale": language if language in ("nl", "en") else "auto",
        "client_reference_id": str(payment.pk),
        "metadata": {"payment_id": str(payment.pk), "purpose": payment.purpose},
        "payment_intent_data": {"metadata": {"payment_id": str(payment.pk)}, "description": line_name},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int((now + CHECKOUT_MINIMUM_LIFETIME).timestamp()),
    }
    return client().v1.checkout.sessions.create(params, {"idempotency_key": f"checkout-payment-{payment.pk}"})


def retrieve_checkout(checkout_id: str):
    return client().v1.checkout.sessions.retrieve(checkout_id, {"expand": ["payment_intent.latest_charge"]})


def expire_checkout(checkout_id: str):
    return client().v1.checkout.sessions.expire(checkout_id)


def create_refund(*, payment_intent_id: str, amount_cents: int, idempotency_key: str, metadata: dict):
    return client().v1.refunds.create(
        {"payment_intent": payment_intent_id, "amount": amount_cents, "metadata": metadata},
        {"idempotency_key": idempotency_key},
    )


def construct_event(payload: bytes, signature: str):
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


def payment_method_of(checkout) -> str:
    """'ideal', 'card' or 'bancontact' from the expanded payment intent's charge, if known."""
    intent = getattr(checkout, "payment_intent", None)
    charge = getattr(intent, "latest_charge", None) if intent and not isinstance(intent, str) else None
    details = getattr(charge, "payment_method_details", None) if charge and not isinstance(charge, str) else None
    kind = getattr(details, "type", "") if details else ""
    return kind if kind in PAYMENT_METHODS else ""


def payment_intent_id_of(checkout) -> str:
    intent = getattr(checkout, "payment_intent", None)
    if intent is None:
        return ""
    return intent if isinstance(intent, str) else intent.id
