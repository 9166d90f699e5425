"""A payment from its start to Stripe Checkout and back when the client stops: creating the pending
payment, starting (or resuming) its Checkout Session, and closing it at Stripe."""

import logging
from datetime import timedelta

import stripe
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import pagecache

from ..errors import PaymentError
from ..models import Payment
from . import fulfilment, gateway, kinds

logger = logging.getLogger(__name__)

NOT_STARTED = gettext_lazy("The payment could not be started. Nothing was charged; please try again in a moment.")
UNCHECKED = gettext_lazy("We could not check your payment with the bank just now. If you did not pay, nothing is charged and the place "
                        "is freed by itself within minutes.")


def checkout_start(*, payment: Payment, line_name: str, client, success_url: str, cancel_url: str, now=None) -> str:
    """Create the Stripe Checkout Session for a pending payment (or give the one it has); returns
    the URL to send the client to. If Stripe cannot be reached, the payment fails and what it held
    goes back at once, and the client reads that nothing was charged."""
    if payment.checkout_url and payment.status == Payment.Status.PENDING:
        return payment.checkout_url
    try:
        checkout = gateway.create_checkout(
            payment=payment, line_name=line_name, email=client.email, language=client.language,
            success_url=success_url, cancel_url=cancel_url, now=now,
        )
    except stripe.StripeError as error:
        logger.warning("Checkout for payment %s could not start: %s", payment.pk, error)
        payment_start_failed(payment=payment, now=now)
        raise PaymentError(NOT_STARTED) from error
    url = gateway.field(checkout, "url")  # nullable: Stripe gives none for an embedded page, or a closed session
    if not url:
        logger.error("Checkout %s for payment %s came without a page to pay on", checkout.id, payment.pk)
        payment_start_failed(payment=payment, now=now)
        Payment.objects.filter(pk=payment.pk).update(stripe_checkout_id=checkout.id)  # a late event still finds it
        pagecache.person_changed(payment.client_id)
        payment.stripe_checkout_id = checkout.id
        checkout_expire_after_commit(payment)
        raise PaymentError(NOT_STARTED)
    Payment.objects.filter(pk=payment.pk).update(stripe_checkout_id=checkout.id, checkout_url=url)
    pagecache.person_changed(payment.client_id)
    payment.stripe_checkout_id, payment.checkout_url = checkout.id, url
    return url


def payment_start_failed(*, payment: Payment, now=None) -> None:
    """No Checkout could be made for a new payment: it fails, and what it held is given back."""
    with transaction.atomic():
        updated = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING, stripe_checkout_id__isnull=True).update(
            status=Payment.Status.FAILED, problem="checkout could not start")
        if updated:
            pagecache.person_changed(payment.client_id)
            payment.status = Payment.Status.FAILED
            fulfilment.release_after_commit(payment, reason="checkout could not start", now=now)


def checkout_resumable(*, payment: Payment, now=None) -> bool:
    """May the client go back to paying? Only while the payment waits and its kind still holds what it is for."""
    now = now or timezone.now()
    return payment.status == Payment.Status.PENDING and kinds.kind_for(payment.purpose).hold_is_open(payment, now=now)


def checkout_abandon(*, payment: Payment, now=None) -> Payment:
    """The client came back from Checkout without paying. Stripe decides what happened: the Checkout
    Session is closed there first, then read back. Closed: the payment expires and what it held is
    freed. Paid after all (in another tab, or the bank was late): it is fulfilled like any payment,
    so money is never taken without its place. Raises PaymentError when Stripe cannot be asked; the
    hold then simply runs out."""
    now = now or timezone.now()
    if payment.status != Payment.Status.PENDING:
        return payment
    if not payment.stripe_checkout_id:
        with transaction.atomic():
            if Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(status=Payment.Status.EXPIRED):
                pagecache.person_changed(payment.client_id)
                fulfilment.release_after_commit(payment, reason="client stopped paying", now=now)
        payment.refresh_from_db()
        return payment
    try:
        gateway.expire_checkout(payment.stripe_checkout_id)
    except stripe.StripeError as error:  # completed (or expired) already: fulfilment reads which
        logger.info("Expiring checkout %s: %s", payment.stripe_checkout_id, error)
    try:
        payment = fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id, now=now) or payment
    except stripe.StripeError as error:
        logger.warning("Checkout %s could not be read back: %s", payment.stripe_checkout_id, error)
        raise PaymentError(UNCHECKED) from error
    if payment.status == Payment.Status.PENDING:  # still open at Stripe: closing it failed, so nothing is given up yet
        raise PaymentError(UNCHECKED)
    return payment


def checkout_expire_after_commit(payment: Payment) -> None:
    """Close an abandoned Checkout at Stripe (after the commit) so it cannot be paid any more. If it
    was paid meanwhile, Stripe's event brings the money in and fulfilment refunds or delivers."""
    checkout_id = payment.stripe_checkout_id
    if not checkout_id:
        return

    def expire():
        try:
            gateway.expire_checkout(checkout_id)
        except stripe.StripeError as error:  # already expired or completed: fulfilment sorts it out
            logger.info("Expiring checkout %s: %s", checkout_id, error)

    transaction.on_commit(expire)


NEVER_STARTED_AFTER = timedelta(hours=2)


def payments_never_started_close(*, now=None) -> int:
    """Pending payments that never reached Stripe (no Checkout: the request broke off between creating
    the payment and starting its Checkout, or one with nothing to pay was never settled) are closed
    after a while, so what they held (a place, time, a discount code's use, a voucher's euros, an
    intro offer) goes back. Returns how many were closed."""
    now = now or timezone.now()
    stale = Payment.objects.filter(status=Payment.Status.PENDING, stripe_checkout_id__isnull=True,
                                   created_at__lt=now - NEVER_STARTED_AFTER)
    closed = 0
    for payment in stale:
        closed += checkout_abandon(payment=payment, now=now).status == Payment.Status.EXPIRED
    return closed
