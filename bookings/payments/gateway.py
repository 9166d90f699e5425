"""The one place that talks to Stripe's API (through the official SDK), and reads what it answers.

In stripe 16 an API object is a `StripeObject`, not a dict: `field`, `id_of` and `metadata_value`
read one safely, whether a field is missing, null, an id or an expanded object."""

from datetime import timedelta

import stripe
from django.conf import settings
from django.utils import timezone

# Stripe accepts expires_at between 30 minutes and 24 hours ahead; our own hold
# is shorter and released by us (we then expire the session through the API).
CHECKOUT_MINIMUM_LIFETIME = timedelta(minutes=31)
PAYMENT_METHODS = ["ideal", "card", "bancontact"]
# Stripe charges at least €0.50 in euros: a Checkout for less is refused.
MINIMUM_CHARGE_CENTS = 50


def payable_cut(amount_cents: int, cut_cents: int) -> int:
    """How much a discount or a voucher may take off `amount_cents`: all of `cut_cents`, unless that
    would leave something Stripe cannot charge (more than nothing, less than €0.50); then it leaves
    exactly €0.50."""
    rest = amount_cents - cut_cents
    if 0 < rest < MINIMUM_CHARGE_CENTS:
        return max(0, amount_cents - MINIMUM_CHARGE_CENTS)
    return cut_cents


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


def refunds_of_charge(charge_id: str) -> list:
    """Every refund of one charge, newest first (a `charge.refunded` event does not carry them)."""
    return list(client().v1.refunds.list({"charge": charge_id, "limit": 100}).auto_paging_iter())


def construct_event(payload: bytes, signature: str):
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


def field(obj, name: str, default=None):
    """A field of a Stripe object, or `default` when the object is missing or the field absent or null."""
    if obj is None or isinstance(obj, str):
        return default
    value = getattr(obj, name, None)
    return default if value is None else value


def id_of(value) -> str:
    """The id of an expandable field, whether Stripe sent the id or the expanded object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return field(value, "id", "") or ""


def metadata_value(obj, key: str) -> str:
    metadata = field(obj, "metadata")
    if metadata is None or isinstance(metadata, str):
        return ""
    try:
        value = metadata[key] if key in metadata else ""
    except (TypeError, KeyError):
        return ""
    return value if isinstance(value, str) else ""


def payment_method_of(checkout) -> str:
    """'ideal', 'card' or 'bancontact' from the expanded payment intent's charge, if known."""
    charge = field(field(checkout, "payment_intent"), "latest_charge")
    kind = field(field(charge, "payment_method_details"), "type", "")
    return kind if kind in PAYMENT_METHODS else ""


def payment_intent_id_of(checkout) -> str:
    return id_of(field(checkout, "payment_intent"))
