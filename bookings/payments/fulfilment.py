"""The one fulfilment path: Stripe says a Checkout was paid (or expired, or failed), and the payment
and what it pays for follow. Called by the return page, the webhook and the "stopped paying" page
alike, any number of times, in any order; it trusts only what Stripe itself says.

Locks, as everywhere in bookings: the kind's owner rows and its booking or enrolment (the kind's
`lock`), then the payment.
"""

import logging

from django.db import transaction
from django.utils import timezone

from ..models import Payment
from ..models.payments import PAID_STATUSES
from . import discounts, gateway, invoices, kinds, price_cuts, receipts, refunds

logger = logging.getLogger(__name__)



def payment_fulfil(*, checkout_id: str, now=None) -> Payment | None:
    """Apply a Checkout Session's outcome as Stripe reports it now. Paid: the payment is marked paid
    with a receipt number and its kind delivers (or, when it no longer can, the money goes back in
    full); paid is applied even to a payment that was given up here first, because the money is in.
    Expired: the payment expires and its hold is released. Complete but unpaid: a delayed method
    (iDEAL, SEPA) is on its way."""
    now = now or timezone.now()
    payment = Payment.objects.filter(stripe_checkout_id=checkout_id).first()
    if payment is None:
        return None
    checkout = gateway.retrieve_checkout(checkout_id)
    kind = kinds.kind_for(payment.purpose)
    with transaction.atomic():
        kind.lock(payment)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status in PAID_STATUSES or payment.problem.startswith("amount mismatch"):
            return payment  # already settled; nothing changes twice
        if checkout.payment_status == "paid":
            if checkout.amount_total != payment.amount_cents or (checkout.currency or "").lower() != payment.currency:
                payment.problem = f"amount mismatch: Stripe {checkout.amount_total} {checkout.currency}"
                payment.status = Payment.Status.FAILED
                payment.save(update_fields=["problem", "status"])
                logger.error("Payment %s: %s", payment.pk, payment.problem)
                return payment
            given_up = payment.status in (Payment.Status.EXPIRED, Payment.Status.FAILED)
            _mark_paid(payment, checkout, now)
            if given_up and price_cuts.price_cuts_went_back(payment):
                # Its voucher euros, code use or intro offer went back when it was given up: not delivered cheaper.
                refunds.refund_create(payment=payment, amount_cents=payment.amount_cents, reason="paid after what it held was given away",
                                      key=f"payment-{payment.pk}-undeliverable", tell_client=True)
            elif not kind.deliver(payment, now=now):
                refunds.refund_create(payment=payment, amount_cents=payment.amount_cents, reason="paid after what it held was given away",
                                      key=f"payment-{payment.pk}-undeliverable", tell_client=True)
                price_cuts.voucher_part_back(payment, now=now, reason="paid after what it held was given away")
                discounts.discount_give_back(payment)
        elif payment.status != Payment.Status.PENDING:
            return payment  # expired or failed here, and Stripe has no money either
        elif checkout.status == "expired":
            payment.status = Payment.Status.EXPIRED
            payment.save(update_fields=["status"])
            release_after_commit(payment, reason="checkout expired", now=now)
        elif checkout.status == "complete":
            payment.status = Payment.Status.PROCESSING  # a delayed method: wait for the money
            payment.stripe_payment_intent_id = gateway.payment_intent_id_of(checkout)
            payment.save(update_fields=["status", "stripe_payment_intent_id"])
    return payment


def payment_failed(*, checkout_id: str, now=None) -> Payment | None:
    """A delayed payment (iDEAL, SEPA) did not come through: what it held goes back."""
    payment = Payment.objects.filter(stripe_checkout_id=checkout_id).first()
    if payment is None:
        return None
    with transaction.atomic():
        kinds.kind_for(payment.purpose).lock(payment)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status in PAID_STATUSES or payment.status == Payment.Status.FAILED:
            return payment
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status"])
        release_after_commit(payment, reason="payment failed", now=now)
    return payment


def payment_release(payment: Payment, *, reason: str, now=None) -> None:
    """The payment will not come: its kind gives back whatever it held (places, a programme, time),
    and what lowered its price goes back (a discount code's use, an intro offer, a gift voucher's euros)."""
    now = now or timezone.now()
    kinds.kind_for(payment.purpose).release(payment, reason=reason, now=now)
    price_cuts.price_cuts_give_back(payment, now)


def payment_settle_without_money(*, payment: Payment, now=None) -> Payment:
    """A pending payment with nothing left to pay (a discount code or a gift voucher covers it all)
    never goes to Stripe: it is paid at once, by voucher or discount, with a receipt number, and its
    kind delivers, under the same locks as `payment_fulfil`. When the kind no longer holds what it was
    for (the hold ran out), or cannot deliver, nothing is delivered: the payment expires and what it
    held, its discount and its voucher's euros go back. Safe to call twice."""
    now = now or timezone.now()
    kind = kinds.kind_for(payment.purpose)
    with transaction.atomic():
        kind.lock(payment)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != Payment.Status.PENDING or payment.amount_cents != 0:
            return payment  # settled already, or given up, or money is due: Stripe's path
        try:
            with transaction.atomic():
                if not kind.hold_is_open(payment, now=now):
                    raise _NotDelivered
                payment.status, payment.paid_at = Payment.Status.PAID, now
                payment.method = Payment.Method.VOUCHER if payment.voucher_cents else Payment.Method.DISCOUNT
                payment.receipt_number = receipts.receipt_number_next(now)
                payment.problem = ""
                payment.save(update_fields=["status", "paid_at", "method", "receipt_number", "problem"])
                if not kind.deliver(payment, now=now):
                    raise _NotDelivered
                invoices.invoice_issue(payment, now=now)
        except _NotDelivered:
            payment = Payment.objects.get(pk=payment.pk)
            payment.status = Payment.Status.EXPIRED
            payment.save(update_fields=["status"])
            release_after_commit(payment, reason="hold ran out", now=now)
    return payment


class _NotDelivered(Exception):
    """Rolls back a settlement without money whose purchase can no longer be delivered."""


def release_after_commit(payment: Payment, *, reason: str, now=None) -> None:
    transaction.on_commit(lambda: payment_release(payment, reason=reason, now=now))


def _mark_paid(payment: Payment, checkout, now) -> None:
    payment.status = Payment.Status.PAID
    payment.paid_at = now
    payment.method = gateway.payment_method_of(checkout)
    payment.stripe_payment_intent_id = gateway.payment_intent_id_of(checkout)
    payment.receipt_number = receipts.receipt_number_next(now)
    payment.problem = ""
    payment.save(update_fields=["status", "paid_at", "method", "stripe_payment_intent_id", "receipt_number", "problem"])
    invoices.invoice_issue(payment, now=now)
