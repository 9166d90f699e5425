"""Emails about her membership, in her language (templates/bookings/email/membership_*): it started,
a month was paid, a payment failed (with the link to pay it another way), and her cancellation.
Tasks take ids and check the state they speak of, so running one twice sends nothing wrong."""

import logging

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from core.money import euros

from ..emails import MAIL_RETRY, absolute, compose, speaking
from ..models import BookingPolicy, Membership, Payment
from . import periods

logger = logging.getLogger(__name__)



def _context(membership: Membership) -> dict:
    kind = membership.membership_type
    return {
        "membership": membership, "kind": kind, "price": euros(membership.price_cents),
        "membership_url": absolute(reverse("bookings:my_membership")),
        "timetable_url": absolute(reverse("classes:timetable")),
        "classes_left": periods.classes_left(membership, now=timezone.now()),
    }


def membership_paid(payment_id: int, *, first: bool) -> None:
    payment = Payment.objects.select_related("client", "membership__membership_type").get(pk=payment_id)
    if payment.membership_id is None or not payment.is_paid:
        logger.info("Payment %s is not a paid membership payment; no email.", payment_id)
        return
    with speaking(payment.client):
        context = {**_context(payment.membership), "payment": payment, "amount": euros(payment.amount_cents),
                   "receipt_url": absolute(reverse("bookings:receipt", kwargs={"pk": payment.pk}))}
        message = compose("membership_started" if first else "membership_renewed", payment.client, context)
    message.send()


def payment_failed(membership_id: int, invoice_id: str) -> None:
    membership = Membership.objects.select_related("client", "membership_type").get(pk=membership_id)
    if membership.status != periods.Status.PAST_DUE or membership.failure_emailed_for != invoice_id:
        logger.info("Membership %s is %s; no email about invoice %s.", membership_id, membership.status, invoice_id)
        return
    policy = BookingPolicy.current()
    with speaking(membership.client):
        context = {**_context(membership), "grace_days": policy.membership_grace_days,
                   "grace_ends": periods.grace_ends(membership, policy),
                   "update_url": absolute(reverse("bookings:membership_payment_method"))}
        message = compose("membership_payment_failed", membership.client, context)
    message.send()


def cancelled(membership_id: int) -> None:
    membership = Membership.objects.select_related("client", "membership_type").get(pk=membership_id)
    if membership.cancel_requested_at is None or membership.ends_at is None:
        logger.info("Membership %s is not cancelled; no email.", membership_id)
        return
    with speaking(membership.client):
        message = compose("membership_cancelled", membership.client, _context(membership))
    message.send()


@shared_task(name="bookings.tasks.send_membership_started", **MAIL_RETRY)
def send_membership_started(payment_id):
    membership_paid(payment_id, first=True)


@shared_task(name="bookings.tasks.send_membership_renewed", **MAIL_RETRY)
def send_membership_renewed(payment_id):
    membership_paid(payment_id, first=False)


@shared_task(name="bookings.tasks.send_membership_payment_failed", **MAIL_RETRY)
def send_membership_payment_failed(membership_id, invoice_id):
    payment_failed(membership_id, invoice_id)


@shared_task(name="bookings.tasks.send_membership_cancelled", **MAIL_RETRY)
def send_membership_cancelled(membership_id):
    cancelled(membership_id)
