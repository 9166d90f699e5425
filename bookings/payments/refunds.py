"""Money back: a refund is recorded first, sent to Stripe after the commit (by a task, retried when
Stripe cannot be reached), and settled from Stripe's answer, whether that comes as the API reply,
a `refund.*` event or a `charge.refunded` event (whose refunds are asked for), in any order. A refund
made in Stripe's dashboard is recorded too, so the books match the bank."""

import logging

import stripe
from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pagecache
from core.money import euros

from ..errors import PaymentError
from ..models import Payment, Refund
from . import gateway, invoices, kinds, refund_mail

logger = logging.getLogger(__name__)

STRIPE_STATUS = {"succeeded": Refund.Status.SUCCEEDED, "failed": Refund.Status.FAILED, "canceled": Refund.Status.FAILED}


def refund_create(*, payment: Payment, amount_cents: int, reason: str, key: str, booking=None, actor=None,
                  tell_client: bool = False) -> Refund:
    """Record a refund and send it to Stripe after commit. The key makes asking twice harmless.
    Locks the payment: call it after the locks that come before (owner row, booking or enrolment)."""
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    pending = payment.refunds.filter(status=Refund.Status.PENDING).aggregate(total=Sum("amount_cents"))["total"] or 0
    if not payment.is_paid or amount_cents < 1 or amount_cents > payment.refundable_cents - pending:
        raise PaymentError(_("This amount cannot be refunded: at most %(amount)s is left.") % {
            "amount": euros(max(payment.refundable_cents - pending, 0))})
    refund = Refund.objects.create(payment=payment, amount_cents=amount_cents, reason=reason, idempotency_key=key,
                                   booking=booking, created_by=actor, tell_client=tell_client)
    submit_refund.delay_on_commit(refund.pk)
    return refund


def refund_submit(*, refund_id: int) -> Refund:
    """Send a pending refund to Stripe (cash and PIN payments are refunded by hand)."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED or refund.stripe_refund_id and refund.status == Refund.Status.PENDING:
        return refund
    if not refund.payment.stripe_payment_intent_id:
        return refund_settled(refund=refund, status=Refund.Status.SUCCEEDED, stripe_refund_id=None)
    # Each new attempt after a failure needs its own key; a repeated attempt reuses it.
    key = refund.idempotency_key if refund.attempts == 0 else f"{refund.idempotency_key}-retry{refund.attempts}"
    try:
        stripe_refund = gateway.create_refund(
            payment_intent_id=refund.payment.stripe_payment_intent_id, amount_cents=refund.amount_cents,
            idempotency_key=key, metadata={"refund_id": str(refund.pk), "payment_id": str(refund.payment_id)},
        )
    except stripe.StripeError as error:
        Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.FAILED, failure_reason=str(error)[:200])
        pagecache.person_changed(refund.payment.client_id)
        refund.refresh_from_db()
        return refund
    return refund_settled(refund=refund, status=STRIPE_STATUS.get(stripe_refund.status, Refund.Status.PENDING),
                          stripe_refund_id=stripe_refund.id, failure_reason=gateway.field(stripe_refund, "failure_reason") or "")


@shared_task(name="bookings.tasks.submit_refund", acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def submit_refund(refund_id):
    refund_submit(refund_id=refund_id)


def refund_retry(*, refund: Refund) -> Refund:
    if refund.status != Refund.Status.FAILED:
        raise PaymentError(_("Only a failed refund can be tried again."))
    Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.PENDING, stripe_refund_id=None, attempts=F("attempts") + 1)
    pagecache.person_changed(refund.payment.client_id)
    return refund_submit(refund_id=refund.pk)


def refund_settled(*, refund: Refund, status: str, stripe_refund_id=None, failure_reason="") -> Refund:
    """Record Stripe's answer (from the API or a refund event). The payment's refunded total moves once."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == Refund.Status.SUCCEEDED:
            return refund
        refund.status = status
        refund.failure_reason = failure_reason[:200] if status == Refund.Status.FAILED else ""
        if stripe_refund_id:
            refund.stripe_refund_id = stripe_refund_id
        refund.save(update_fields=["status", "failure_reason", "stripe_refund_id"])
        if status == Refund.Status.SUCCEEDED:
            Payment.objects.filter(pk=refund.payment_id).update(refunded_cents=F("refunded_cents") + refund.amount_cents)  # saved below
            payment = Payment.objects.get(pk=refund.payment_id)
            payment.status = Payment.Status.REFUNDED if payment.refunded_cents >= payment.amount_cents else Payment.Status.PARTIALLY_REFUNDED
            payment.save(update_fields=["status"])
            invoices.credit_invoice_issue(refund)
            kinds.kind_for(payment.purpose).refunded(refund, now=timezone.now())
            if refund.tell_client:
                refund_mail.send_refund_made.delay_on_commit(refund.pk)
    return refund


def refund_from_stripe(stripe_refund) -> Refund | None:
    """Apply a Stripe Refund object (from a `refund.*` event or a retrieve). Ours is found by its
    Stripe id or, when the event came before the API reply, by the id we put in its metadata. One
    made in Stripe's dashboard for a payment of ours is recorded as a refund of that payment. Any
    other refund is none of ours: None."""
    refund = Refund.objects.filter(stripe_refund_id=stripe_refund.id).first()
    if refund is None:
        refund_id = gateway.metadata_value(stripe_refund, "refund_id")
        refund = Refund.objects.filter(pk=int(refund_id)).first() if refund_id.isdigit() else None
    if refund is None:
        refund = _refund_made_at_stripe(stripe_refund)
    if refund is None:
        return None
    return refund_settled(refund=refund, status=STRIPE_STATUS.get(gateway.field(stripe_refund, "status"), Refund.Status.PENDING),
                          stripe_refund_id=stripe_refund.id, failure_reason=gateway.field(stripe_refund, "failure_reason") or "")


def charge_refunded(charge) -> list[Refund]:
    """A `charge.refunded` event. Stripe leaves the charge's refunds out of it (`charge.refunds` comes
    only when expanded), so they are asked for and each is applied as a refund event would be. The
    charge of no payment of ours is left alone, without asking."""
    intent_id = gateway.id_of(gateway.field(charge, "payment_intent"))
    if not intent_id or not Payment.objects.filter(stripe_payment_intent_id=intent_id).exists():
        return []
    applied = (refund_from_stripe(stripe_refund) for stripe_refund in gateway.refunds_of_charge(charge.id))
    return [refund for refund in applied if refund is not None]


def _refund_made_at_stripe(stripe_refund) -> Refund | None:
    intent_id = gateway.id_of(gateway.field(stripe_refund, "payment_intent"))
    payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None
    amount = gateway.field(stripe_refund, "amount")
    if payment is None or not isinstance(amount, int) or amount < 1:
        return None
    try:
        with transaction.atomic():
            return Refund.objects.create(payment=payment, amount_cents=amount, reason="refunded in Stripe's dashboard",
                                         idempotency_key=f"stripe-{stripe_refund.id}", stripe_refund_id=stripe_refund.id,
                                         tell_client=True)
    except IntegrityError:  # the same refund arriving twice at once: the other delivery recorded it
        return Refund.objects.filter(stripe_refund_id=stripe_refund.id).first()
