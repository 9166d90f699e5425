"""Stripe's webhook: verify the signature on the raw body, record each event id once,
hand the object to the one fulfilment function. 2xx for done or ignored; 5xx asks Stripe to retry."""

import logging

import stripe
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import payments, stripe_gateway
from .models import Refund, StripeEvent

logger = logging.getLogger(__name__)

CHECKOUT_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.expired"}
REFUND_EVENTS = {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}


@csrf_exempt
@require_POST
def stripe_webhook(request):
    signature = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe_gateway.construct_event(request.body, signature)
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("invalid signature")

    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(event_id=event.id, type=event.type)
    except IntegrityError:
        record = StripeEvent.objects.get(event_id=event.id)
        if record.processed_at is not None:
            return HttpResponse("already processed")
    # A first delivery that failed half-way is simply applied again: every handler is idempotent.
    try:
        handle(event)
    except Exception:
        logger.exception("Stripe event %s (%s) failed; Stripe will retry", event.id, event.type)
        return HttpResponse("error, please retry", status=500)
    StripeEvent.objects.filter(pk=record.pk).update(processed_at=timezone.now())
    return HttpResponse("ok")


def handle(event) -> None:
    obj = event.data.object
    if event.type in CHECKOUT_EVENTS:
        payments.payment_fulfil(checkout_id=obj.id)
    elif event.type == "checkout.session.async_payment_failed":
        payments.payment_failed(checkout_id=obj.id)
    elif event.type in REFUND_EVENTS or event.type == "charge.refunded":
        for stripe_refund in _refunds_in(event):
            _sync_refund(stripe_refund)


def _refunds_in(event):
    obj = event.data.object
    if obj.object == "refund":
        return [obj]
    refunds = getattr(obj, "refunds", None)
    return list(getattr(refunds, "data", []) or []) if refunds else []


def _sync_refund(stripe_refund) -> None:
    refund = Refund.objects.filter(stripe_refund_id=stripe_refund.id).first()
    if refund is None:
        refund_id = (getattr(stripe_refund, "metadata", None) or {}).get("refund_id")
        refund = Refund.objects.filter(pk=refund_id).first() if refund_id and str(refund_id).isdigit() else None
    if refund is None:
        return  # a refund made in Stripe's dashboard: nothing of ours to update
    status = {"succeeded": Refund.Status.SUCCEEDED, "failed": Refund.Status.FAILED, "canceled": Refund.Status.FAILED}.get(
        stripe_refund.status, Refund.Status.PENDING)
    payments.refund_settled(refund=refund, status=status, stripe_refund_id=stripe_refund.id,
                            failure_reason=getattr(stripe_refund, "failure_reason", None) or "")
