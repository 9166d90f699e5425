"""A membership follows Stripe. Every event about it (the subscription changed, an invoice paid or
failed, its Checkout completed) is applied the same way: her membership row is locked, the
subscription is read back from Stripe (the source of truth), and the row takes what it says. So an
event applies once whatever order or how often it comes: a replay reads the same subscription and
changes nothing, an old event reads today's subscription.

A paid invoice becomes a membership payment of ours (once: `stripe_invoice_id` is unique and read
under the lock), with a receipt number and our own invoice. A failed one makes the membership past
due and emails her once per invoice; Stripe retries the payment by itself, and we never cancel.
When collection goes on after a pause that voided the running period's invoice, Stripe is asked (after
the commit) for a new period from now, charged at once: she pays from the day she is back.
"""

import logging
from datetime import UTC, datetime, timedelta

import stripe
from django.db import connection, transaction
from django.utils import timezone

from core import pagecache

from ..models import Membership, Payment
from ..payments import billing, gateway, invoices, receipts, records
from ..payments.gateway import field, id_of, metadata_value
from ..quiet_hours import send_considerately
from . import emails, periods
from .periods import Status

logger = logging.getLogger(__name__)

SYNC_LOCK_SPACE = 14  # the advisory-lock key space of membership syncs (pg_advisory_xact_lock(space, id))
MEMBERSHIP = "membership"  # the purpose of a membership's payments (bookings.memberships.kind)
STATUSES = {
    "active": Status.ACTIVE, "trialing": Status.ACTIVE, "paused": Status.ACTIVE,
    "past_due": Status.PAST_DUE, "unpaid": Status.PAST_DUE,
    "canceled": Status.CANCELLED, "incomplete_expired": Status.NOT_STARTED, "incomplete": Status.INCOMPLETE,
}
METHODS = {choice.value for choice in Payment.Method}


def moment(timestamp) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None


def membership_find(*, subscription_id: str = "", membership_id: str = "") -> Membership | None:
    """Ours for a Stripe subscription: by its id, else by the membership id we put in its metadata."""
    if subscription_id:
        found = Membership.objects.filter(stripe_subscription_id=subscription_id).first()
        if found is not None:
            return found
    if membership_id.isdigit():
        return Membership.objects.filter(pk=int(membership_id)).first()
    return None


def subscription_apply(*, membership: Membership, subscription_id: str, now, invoice_id: str = "",
                       failed: bool = False) -> Membership:
    """Lock her membership, read the subscription (and the invoice, if the event is about one) from
    Stripe, and take it over. `failed`: the event said a payment failed; she is emailed once per
    invoice, if it is still open."""
    with transaction.atomic():
        # Syncs of one membership run one at a time, and read Stripe before her row is locked: a booking
        # (which locks the session, then her membership) never waits for Stripe's answer.
        _one_sync_at_a_time(membership.pk)
        if membership.stripe_subscription_id and membership.stripe_subscription_id != subscription_id:
            logger.error("Membership %s has subscription %s, not %s; event ignored", membership.pk,
                         membership.stripe_subscription_id, subscription_id)
            return membership
        subscription = billing.subscription_retrieve(subscription_id, expand=("latest_invoice",))
        invoice = billing.invoice_retrieve(invoice_id) if invoice_id else None
        paid = invoice is not None and field(invoice, "status") == "paid"
        paid_with = _paid_with(invoice) if paid and not Payment.objects.filter(stripe_invoice_id=invoice.id).exists() else ("", "")
        membership = Membership.objects.select_for_update(of=("self",)).select_related("membership_type", "client").get(pk=membership.pk)
        _take_over(membership, subscription, now)
        if paid:
            payment_record(membership, invoice, now=now, paid_with=paid_with)
        elif invoice is not None and failed and field(invoice, "status") == "open":
            _payment_failed(membership, invoice, now=now)
        voided = voided_period(subscription, now=now)
        if voided:  # after the commit: Stripe is never called while her row is locked
            transaction.on_commit(lambda: _reanchor_after_pause(membership.pk, subscription_id, voided, now=now))
    return membership


def voided_period(subscription, *, now) -> str:
    """The void invoice of the running period, when Stripe collects again after a pause that crossed a
    renewal (a paused renewal's invoice is voided, yet the period moved on: nobody paid for it); else "".
    Not for a membership that ends at this period's end: she would pay a new month she cancelled."""
    latest = field(subscription, "latest_invoice")
    start, _ = billing.subscription_period(subscription)
    if (field(subscription, "pause_collection") is not None or field(subscription, "status") != "active"
            or field(subscription, "cancel_at_period_end", False) or field(subscription, "cancel_at")
            or field(latest, "status") != "void" or not start or moment(start) >= now):
        return ""
    return id_of(latest)


def _reanchor_after_pause(membership_id: int, subscription_id: str, voided: str, *, now) -> None:
    """Stripe starts a new period from now and charges it at once, so she pays from the day she is back
    (its events then come here as a renewal's do). Checked again first: once it is done the latest invoice
    is another one, so a replayed event does nothing, and the idempotency key (the voided invoice) makes
    two syncs at the same moment one re-anchor. If Stripe cannot be reached the error goes up (what the
    sync saved stays): the webhook answers 500, and Stripe sends the event again."""
    try:
        subscription = billing.subscription_retrieve(subscription_id, expand=("latest_invoice",))
        if voided_period(subscription, now=now) == voided:
            billing.subscription_reanchor(subscription_id, key=f"membership-{membership_id}-reanchor-{voided}")
    except stripe.StripeError as error:
        logger.error("Membership %s: no new period after the pause (void invoice %s): %s", membership_id, voided, error)
        raise


def _one_sync_at_a_time(membership_id: int) -> None:
    """A transaction-long lock on syncing this membership (PostgreSQL's advisory lock; SQLite, for the
    demo, writes one transaction at a time anyway). Bookings do not take it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SYNC_LOCK_SPACE, membership_id])


def _paid_with(invoice) -> tuple[str, str]:
    """The payment intent that paid the invoice and its method, read from Stripe before any lock."""
    intent_id = billing.invoice_payment_intent_id(invoice)
    method = ""
    if intent_id:
        try:
            method = billing.method_of_payment_intent(billing.payment_intent_retrieve(intent_id))
        except stripe.StripeError as error:
            logger.warning("Payment intent %s of invoice %s could not be read: %s", intent_id, invoice.id, error)
    return intent_id, method


def _take_over(membership: Membership, subscription, now) -> None:
    status = STATUSES.get(field(subscription, "status", ""), membership.status)
    start, end = (moment(value) for value in billing.subscription_period(subscription))
    if start and membership.current_period_start and start > membership.current_period_start:
        # A new period began: one unused class may carry over (once: the stored period moves on with it).
        follows = membership.current_period_end and abs(start - membership.current_period_end) < timedelta(days=1)
        membership.carried_over = periods.carry_over_into_next(membership) if follows else 0
    if start and end:
        membership.current_period_start, membership.current_period_end = start, end
    membership.stripe_subscription_id = field(subscription, "id")
    membership.stripe_customer_id = id_of(field(subscription, "customer")) or membership.stripe_customer_id
    if membership.started_at is None and status in periods.LIVE:
        membership.started_at = moment(field(subscription, "start_date")) or now
    membership.cancel_at_period_end = bool(field(subscription, "cancel_at_period_end", False))
    cancel_at = moment(field(subscription, "cancel_at"))
    if membership.cancel_at_period_end:
        membership.ends_at = membership.current_period_end
    elif cancel_at:
        membership.ends_at = cancel_at
    elif membership.cancel_requested_at is None:
        membership.ends_at = None  # never asked by her here, or undone at Stripe
    membership.ended_at = moment(field(subscription, "ended_at")) if status == Status.CANCELLED else None
    if status == Status.CANCELLED and membership.ended_at is None:
        membership.ended_at = moment(field(subscription, "canceled_at")) or now
    membership.paused_at_stripe = field(subscription, "pause_collection") is not None
    if status == Status.PAST_DUE and membership.payment_failed_at is None:
        membership.payment_failed_at = now
    elif status != Status.PAST_DUE:
        membership.payment_failed_at = None
    membership.status = status
    membership.save()


def payment_record(membership: Membership, invoice, *, now, paid_with: tuple[str, str] | None = None) -> Payment | None:
    """A paid invoice as one membership payment of ours, with its receipt number and invoice; once."""
    amount = field(invoice, "amount_paid", 0)
    if amount <= 0:
        return None  # nothing was paid in money (a voided month, a zero invoice)
    existing = Payment.objects.filter(stripe_invoice_id=invoice.id).first()
    if existing is not None:
        return existing
    intent_id, method = paid_with if paid_with is not None else _paid_with(invoice)
    kind = membership.membership_type
    start, end = _service_period(invoice, membership)
    payment = Payment.objects.create(
        client=membership.client, purpose=MEMBERSHIP, membership=membership, stripe_invoice_id=invoice.id,
        **records.described(lambda: f"{kind.name} {_span(start, end)}"), amount_cents=amount,
        currency=(field(invoice, "currency", "eur") or "eur").lower(), vat_rate_percent=kind.vat_rate_percent,
        status=Payment.Status.PAID, method=method if method in METHODS else "", stripe_payment_intent_id=intent_id,
        created_at=now, paid_at=moment(field(field(invoice, "status_transitions"), "paid_at")) or now,
        receipt_number=receipts.receipt_number_next(now),
    )
    invoices.invoice_issue(payment, now=now)
    if field(invoice, "billing_reason") == "subscription_create":
        emails.send_membership_started.delay_on_commit(payment.pk)  # what she just asked for: at once
    else:
        send_considerately(emails.send_membership_renewed, payment.pk, now=now)
    return payment


def _service_period(invoice, membership: Membership) -> tuple:
    for line in field(field(invoice, "lines"), "data", []):
        period = field(line, "period")
        if field(period, "start") and field(period, "end"):
            return moment(period.start), moment(period.end)
    return membership.current_period_start, membership.current_period_end


def _span(start, end) -> str:
    if not start or not end:
        return ""
    return f"{timezone.localtime(start):%d-%m-%Y} – {timezone.localtime(end):%d-%m-%Y}"


def _payment_failed(membership: Membership, invoice, *, now) -> None:
    if membership.payment_failed_at is None:
        membership.payment_failed_at = now
    if membership.failure_emailed_for == invoice.id:
        membership.save(update_fields=["payment_failed_at"])
        return
    membership.failure_emailed_for = invoice.id
    membership.save(update_fields=["payment_failed_at", "failure_emailed_for"])
    # Not asked for by her: kept until quiet hours end (the task checks it is still unpaid when it runs).
    send_considerately(emails.send_membership_payment_failed, membership.pk, invoice.id, now=now)


# The events ---------------------------------------------------------------------------------------


def subscription_event(subscription, *, now) -> None:
    """customer.subscription.*: the event's object is the subscription (as it was then)."""
    membership = membership_find(subscription_id=subscription.id, membership_id=metadata_value(subscription, "membership_id"))
    if membership is None:
        logger.info("Subscription %s is not one of our memberships; ignored", subscription.id)
        return
    subscription_apply(membership=membership, subscription_id=subscription.id, now=now)


def invoice_event(invoice, *, now, failed=False) -> None:
    """invoice.paid, invoice.payment_succeeded, invoice.payment_failed, invoice.voided."""
    subscription_id = billing.invoice_subscription_id(invoice)
    if not subscription_id:
        return  # an invoice not of a subscription: not ours
    membership = membership_find(subscription_id=subscription_id,
                                 membership_id=billing.invoice_subscription_metadata(invoice, "membership_id"))
    if membership is None:
        logger.info("Invoice %s (subscription %s) is not of one of our memberships; ignored", invoice.id, subscription_id)
        return
    subscription_apply(membership=membership, subscription_id=subscription_id, now=now, invoice_id=invoice.id, failed=failed)


def checkout_event(checkout_id: str, *, now) -> Membership | None:
    """A Checkout of ours in subscription mode completed or expired (the webhook and the page she
    comes back to hand it here): read as Stripe says it is now."""
    checkout = gateway.retrieve_checkout(checkout_id)
    membership = Membership.objects.filter(stripe_checkout_id=checkout_id).first() or membership_find(
        membership_id=metadata_value(checkout, "membership_id"))
    if membership is None:
        return None
    subscription_id = id_of(field(checkout, "subscription"))
    if subscription_id:
        return subscription_apply(membership=membership, subscription_id=subscription_id, now=now,
                                  invoice_id=id_of(field(checkout, "invoice")))
    if field(checkout, "status") == "expired":
        Membership.objects.filter(pk=membership.pk, status=Status.INCOMPLETE, stripe_subscription_id__isnull=True).update(
            status=Status.NOT_STARTED, checkout_url="")  # a bulk update sends no signal: her pages by hand
        pagecache.person_changed(membership.client_id)
    return membership
