"""Stripe's webhook: verify the signature on the raw body, check the event's shape, record each event
id once, and hand it over: Checkout and refund events to payments' own functions, any type a kind
of purchase claims to that kind. Every handler is safe to run twice and in any order.

Answers: 400 for what is not a well-formed event signed with our secret; 2xx for what was applied
or ignored; 5xx only when applying failed, so Stripe retries.
"""

import logging

import stripe
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import Payment, Refund, StripeEvent
from . import fulfilment, gateway, kinds, refunds

logger = logging.getLogger(__name__)

CHECKOUT_DONE = {"checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.expired"}
CHECKOUT_FAILED = {"checkout.session.async_payment_failed"}
REFUND_EVENTS = {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}
CHARGE_REFUNDED = "charge.refunded"


def events_handled() -> list[str]:
    """The event types the endpoint in Stripe's dashboard must send (the README lists them)."""
    claimed = {event_type for kind in kinds.kinds() for event_type in kind.event_types}
    return sorted(CHECKOUT_DONE | CHECKOUT_FAILED | REFUND_EVENTS | {CHARGE_REFUNDED} | claimed)


class MalformedEvent(ValueError):
    pass


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if request.content_type != "application/json":  # Stripe sends JSON; a form's body was read by the guards
        return HttpResponseBadRequest("not a Stripe event")
    signature = request.headers.get("Stripe-Signature", "")
    try:
        event = gateway.construct_event(request.body, signature)
        event_id, event_type, obj = _parts(event)
    except stripe.SignatureVerificationError:
        return HttpResponseBadRequest("invalid signature")
    except (ValueError, TypeError, AttributeError, KeyError):  # not JSON, not an object, or not an event
        return HttpResponseBadRequest("malformed event")

    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(event_id=event_id, type=event_type[:100], payment=_payment_of(event_type, obj))
    except IntegrityError:
        record = StripeEvent.objects.get(event_id=event_id)
        if record.processed_at is not None:
            return HttpResponse("already processed")
    # A first delivery that failed half-way is simply applied again: every handler is idempotent.
    try:
        handle(event_type, obj, event)
    except Exception:
        logger.exception("Stripe event %s (%s) failed; Stripe will retry", event_id, event_type)
        return HttpResponse("error, please retry", status=500)
    # A refund made in Stripe's dashboard is ours only once handled: its payment is known from then on.
    StripeEvent.objects.filter(pk=record.pk).update(processed_at=timezone.now(), payment=record.payment or _payment_of(event_type, obj))
    return HttpResponse("ok")


def _payment_of(event_type: str, obj) -> Payment | None:
    """The payment of ours an event was about, for the payment's story on the admin's desk."""
    if event_type in CHECKOUT_DONE | CHECKOUT_FAILED:
        return Payment.objects.filter(stripe_checkout_id=obj.id).first()
    if gateway.field(obj, "object") == "invoice":  # a month of a subscription (a membership)
        return Payment.objects.filter(stripe_invoice_id=obj.id).first()
    if gateway.field(obj, "object") == "refund":
        refund = Refund.objects.filter(stripe_refund_id=obj.id).select_related("payment").first()
        if refund is not None:
            return refund.payment
    intent_id = gateway.id_of(gateway.field(obj, "payment_intent"))
    return Payment.objects.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None


def _parts(event) -> tuple[str, str, object]:
    """The id, type and object of a verified event; MalformedEvent when one is missing."""
    if not isinstance(event, stripe.StripeObject):
        raise MalformedEvent("not an object")
    event_id, event_type = gateway.field(event, "id"), gateway.field(event, "type")
    obj = gateway.field(gateway.field(event, "data"), "object")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str) or not isinstance(obj, stripe.StripeObject):
        raise MalformedEvent("not an event")
    if not isinstance(gateway.field(obj, "id"), str):
        raise MalformedEvent("the event's object has no id")
    return event_id, event_type, obj


def handle(event_type: str, obj, event) -> None:
    now = timezone.now()
    kind = kinds.claiming(event_type) or _kind_of_checkout(event_type, obj)
    if kind is not None:
        kind.handle_event(event, now=now)
    elif event_type in CHECKOUT_DONE:
        fulfilment.payment_fulfil(checkout_id=obj.id, now=now)
    elif event_type in CHECKOUT_FAILED:
        fulfilment.payment_failed(checkout_id=obj.id, now=now)
    elif event_type in REFUND_EVENTS and gateway.field(obj, "object") == "refund":
        refunds.refund_from_stripe(obj)
    elif event_type == CHARGE_REFUNDED and gateway.field(obj, "object") == "charge":
        refunds.charge_refunded(obj)


def _kind_of_checkout(event_type: str, obj):
    """A Checkout in subscription or setup mode (a membership) belongs to the kind named in its
    metadata "purpose"; one in payment mode is payments' own."""
    if not event_type.startswith("checkout.session.") or gateway.field(obj, "mode") not in ("subscription", "setup"):
        return None
    purpose = gateway.metadata_value(obj, "purpose")
    return kinds.kind_for(purpose) if purpose in kinds.purposes() else None
