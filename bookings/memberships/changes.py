"""What she changes on her running membership: a pause (from/until; Stripe's `pause_collection` knows
only when it resumes, so a pause that starts later is sent by our job on its first day), ending a
pause early, cancelling at the end of a period (minimum term and notice respected) and undoing that,
and giving a new payment method after a failed payment (Checkout in setup mode, then the open
invoice is paid with it).

Each change is checked, made at Stripe, and then saved with her membership row locked (checked again
there): when Stripe cannot be reached nothing is saved and she reads so. Stripe is never called while
her row is locked, because Stripe's event about the change may come back at once and lock it too;
the events then confirm what was saved (sync)."""

import logging
from datetime import date

import stripe
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import PaymentError
from ..models import Booking, Membership
from ..payments import billing, gateway
from ..payments.gateway import field, id_of, metadata_value
from . import emails, periods, sync
from .periods import MembershipError

logger = logging.getLogger(__name__)

UNREACHABLE = gettext_lazy("We could not reach our payment provider just now, so nothing was changed. Please try again in a moment.")


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update(of=("self",)).select_related("membership_type").get(pk=membership.pk)


def _date(day: date) -> str:
    return formats.date_format(day, "j F Y")


def _running(membership: Membership) -> None:
    if membership.status not in periods.LIVE or not membership.stripe_subscription_id:
        raise MembershipError(_("This membership is not running, so it cannot be changed."))


# Pausing ------------------------------------------------------------------------------------------


def _stripe(call, *args, membership: Membership, what: str, **kwargs):
    """One change at Stripe, made before ours is saved (never while her row is locked: Stripe's event
    about it may come back at once, and it locks her row too). Unreachable: PaymentError, nothing saved."""
    try:
        return call(*args, **kwargs)
    except stripe.StripeError as error:
        logger.warning("Membership %s: %s not sent to Stripe: %s", membership.pk, what, error)
        raise PaymentError(str(UNREACHABLE)) from error


def _pause_refusal(membership: Membership, *, pause_from: date, pause_until: date, today: date) -> None:
    _running(membership)
    if membership.pause_started_at and membership.is_paused_on(today):
        raise MembershipError(_("Your membership is paused already. End this pause first if you want another one."))
    if membership.ends_at is not None and pause_from >= periods.local_date(membership.ends_at):
        raise MembershipError(_("Your membership ends on %(date)s; a pause after that is not needed.") % {
            "date": _date(periods.local_date(membership.ends_at))})
    booked = [booking for booking in Booking.objects.filter(membership=membership, status=Booking.Status.CONFIRMED)
              .select_related("session__offering").order_by("session__starts_at")
              if pause_from <= periods.local_date(booking.session.starts_at) < pause_until]
    if booked:
        raise MembershipError(_("You have classes booked with your membership in that time (%(classes)s). Cancel them "
                                "first, or choose other days.") % {"classes": ", ".join(
            f"{booking.session.offering.name} {_date(periods.local_date(booking.session.starts_at))}" for booking in booked)})


def pause_plan(*, membership: Membership, pause_from: date | None, pause_until: date | None, now=None) -> Membership:
    """Pause from `pause_from` until `pause_until` (her first day back). A pause that starts today is
    sent to Stripe at once; a later one by the job (`pauses_start`) on its first day."""
    now = now or timezone.now()
    today = periods.local_date(now)
    if pause_from is None or pause_until is None:
        raise MembershipError(_("Please choose the first day of the pause and the day you come back."))
    if pause_from < today:
        raise MembershipError(_("A pause cannot start in the past. Choose today or a later day."))
    if (pause_from - today).days > periods.MAX_PAUSE_AHEAD_DAYS:
        raise MembershipError(_("A pause can be planned at most a year ahead. Choose an earlier first day."))
    if pause_until <= pause_from:
        raise MembershipError(_("The day you come back must come after the first day of the pause."))
    if (pause_until - pause_from).days > periods.MAX_PAUSE_DAYS:
        raise MembershipError(_("A pause lasts at most three months. Choose an earlier day to come back."))
    membership = Membership.objects.select_related("membership_type").get(pk=membership.pk)
    _pause_refusal(membership, pause_from=pause_from, pause_until=pause_until, today=today)
    starts_now = pause_from <= today
    if starts_now:
        _stripe(billing.subscription_pause, membership.stripe_subscription_id, resumes_at=periods.start_of_day(pause_until),
                membership=membership, what="pause")
    try:
        with transaction.atomic():
            membership = _locked(membership)
            _pause_refusal(membership, pause_from=pause_from, pause_until=pause_until, today=today)  # a class booked meanwhile
            membership.pause_from, membership.pause_until = pause_from, pause_until
            membership.pause_started_at = now if starts_now else None
            membership.paused_at_stripe = starts_now or membership.paused_at_stripe
            membership.save(update_fields=["pause_from", "pause_until", "pause_started_at", "paused_at_stripe"])
    except MembershipError:
        if starts_now:
            billing.subscription_unpause(membership.stripe_subscription_id)
        raise
    return membership


def pauses_start(*, now=None) -> int:
    """The job: pauses whose first day has come are sent to Stripe (once each; a failure is tried again next run)."""
    now = now or timezone.now()
    today = periods.local_date(now)
    started = 0
    due = Membership.objects.filter(status__in=periods.LIVE, pause_started_at__isnull=True, pause_from__lte=today,
                                    pause_until__gt=today, stripe_subscription_id__isnull=False)
    for membership in due:
        try:
            _stripe(billing.subscription_pause, membership.stripe_subscription_id,
                    resumes_at=periods.start_of_day(membership.pause_until), membership=membership, what="pause")
        except PaymentError:
            continue
        marked = Membership.objects.filter(pk=membership.pk, pause_from=membership.pause_from, pause_until=membership.pause_until,
                                           pause_started_at__isnull=True).update(pause_started_at=now, paused_at_stripe=True)
        if not marked:  # she ended or changed the pause meanwhile: Stripe must not stay paused for it
            _undo_quietly(billing.subscription_unpause, membership.stripe_subscription_id, membership=membership, what="undo a pause")
        started += marked
    return started


def _undo_quietly(call, *args, membership: Membership, what: str) -> None:
    """Take back at Stripe what a job sent for a change she undid at the same moment (logged if it fails)."""
    try:
        _stripe(call, *args, membership=membership, what=what)
    except PaymentError:
        logger.error("Membership %s: could not %s at Stripe; the next event shows Stripe's state", membership.pk, what)


def pause_end(*, membership: Membership, now=None) -> Membership:
    """End a pause now (or drop one planned): Stripe collects again, and she can book straight away."""
    now = now or timezone.now()
    today = periods.local_date(now)
    membership = Membership.objects.get(pk=membership.pk)
    if membership.pause_until is None or membership.pause_until <= today:
        raise MembershipError(_("Your membership is not paused."))
    if membership.pause_started_at is not None or membership.paused_at_stripe:
        _stripe(billing.subscription_unpause, membership.stripe_subscription_id, membership=membership, what="end of the pause")
    with transaction.atomic():
        membership = _locked(membership)
        membership.pause_from = membership.pause_until = membership.pause_started_at = None
        membership.paused_at_stripe = False
        membership.save(update_fields=["pause_from", "pause_until", "pause_started_at", "paused_at_stripe"])
    return membership


# Cancelling ---------------------------------------------------------------------------------------


def cancel_end(membership: Membership, *, now=None):
    """The moment cancelling now would end it (shown before she confirms)."""
    return periods.cancellation_end(membership, now=now or timezone.now())


def _cancel_refusal(membership: Membership) -> None:
    _running(membership)
    if membership.is_cancelled:
        raise MembershipError(_("Your membership is cancelled already; it ends on %(date)s.") % {
            "date": _date(periods.local_date(membership.ends_at or membership.current_period_end))})


def membership_cancel(*, membership: Membership, shown_end=None, now=None) -> Membership:
    """Cancel at the end of a period. `shown_end`: the end date she confirmed (ISO date); when it is no
    longer the end (a new period began meanwhile), nothing changes and she is shown the new one. An end
    after the current period (minimum term, notice) is sent to Stripe by the job once its last period runs."""
    now = now or timezone.now()
    membership = Membership.objects.select_related("membership_type").get(pk=membership.pk)
    _cancel_refusal(membership)
    end = periods.cancellation_end(membership, now=now)
    if end is None:
        raise MembershipError(_("Your membership is waiting for its first payment; it can be cancelled once that is in."))
    if shown_end is not None and str(shown_end) != periods.local_date(end).isoformat():
        raise MembershipError(_("The end date has changed to %(date)s. Please check it and confirm again.") % {
            "date": _date(periods.local_date(end))})
    at_period_end = end <= membership.current_period_end
    if at_period_end:
        _stripe(billing.subscription_cancel_at_period_end, membership.stripe_subscription_id, True, membership=membership,
                what="cancel_at_period_end")
    with transaction.atomic():
        membership = _locked(membership)
        _cancel_refusal(membership)  # a second press of the button, sent at once: one cancellation, one email
        membership.cancel_requested_at, membership.ends_at = now, end
        membership.cancel_at_period_end = at_period_end or membership.cancel_at_period_end
        membership.save(update_fields=["cancel_requested_at", "ends_at", "cancel_at_period_end"])
    emails.send_membership_cancelled.delay_on_commit(membership.pk)
    return membership


def cancellations_send(*, now=None) -> int:
    """The job: a cancellation that ends after a later period (minimum term, notice) is sent to Stripe
    once its last period runs."""
    sent = 0
    due = Membership.objects.filter(status__in=periods.LIVE, cancel_requested_at__isnull=False, cancel_at_period_end=False,
                                    stripe_subscription_id__isnull=False, ends_at__isnull=False)
    for membership in due:
        if membership.current_period_end is None or membership.ends_at > membership.current_period_end:
            continue
        try:
            _stripe(billing.subscription_cancel_at_period_end, membership.stripe_subscription_id, True, membership=membership,
                    what="cancel_at_period_end")
        except PaymentError:
            continue
        marked = Membership.objects.filter(pk=membership.pk, cancel_requested_at__isnull=False).update(cancel_at_period_end=True)
        if not marked:  # she undid the cancellation meanwhile: it goes on at Stripe too
            _undo_quietly(billing.subscription_cancel_at_period_end, membership.stripe_subscription_id, False, membership=membership,
                          what="undo cancel_at_period_end")
        sent += marked
    return sent


def membership_cancel_undo(*, membership: Membership, now=None) -> Membership:
    """She changed her mind before it ended: the membership simply goes on."""
    membership = Membership.objects.get(pk=membership.pk)
    if membership.status not in periods.LIVE:
        raise MembershipError(_("This membership has ended. You are welcome to start a new one."))
    if not membership.is_cancelled:
        raise MembershipError(_("Your membership is not cancelled."))
    if membership.cancel_at_period_end:
        _stripe(billing.subscription_cancel_at_period_end, membership.stripe_subscription_id, False, membership=membership,
                what="undoing cancel_at_period_end")
    with transaction.atomic():
        membership = _locked(membership)
        membership.cancel_requested_at = membership.ends_at = None
        membership.cancel_at_period_end = False
        membership.save(update_fields=["cancel_requested_at", "ends_at", "cancel_at_period_end"])
    return membership


# A new payment method -----------------------------------------------------------------------------


def payment_method_checkout(*, membership: Membership, success_url: str, cancel_url: str, now=None) -> str:
    """Checkout in setup mode for her Stripe customer; the URL to send her to."""
    now = now or timezone.now()
    _running(membership)
    try:
        checkout = billing.setup_checkout_create(
            customer_id=membership.stripe_customer_id, language=membership.client.language, success_url=success_url,
            cancel_url=cancel_url, metadata={"purpose": sync.MEMBERSHIP, "membership_id": str(membership.pk)},
            key=f"membership-{membership.pk}-setup-{int(now.timestamp())}")
    except stripe.StripeError as error:
        logger.warning("Membership %s: setup checkout could not start: %s", membership.pk, error)
        raise PaymentError(str(UNREACHABLE)) from error
    return field(checkout, "url", "")


def payment_method_set(*, checkout_id: str, now=None, for_membership: Membership | None = None) -> Membership | None:
    """A setup Checkout completed: its payment method becomes the subscription's, and the open invoices
    are paid with it (Stripe's answer, paid or declined, then comes back through sync). Safe to run twice.
    `for_membership`: the page she came back to acts only on her own membership's Checkout."""
    now = now or timezone.now()
    checkout = gateway.retrieve_checkout(checkout_id)
    membership = sync.membership_find(membership_id=metadata_value(checkout, "membership_id"))
    if membership is None or (for_membership is not None and membership.pk != for_membership.pk):
        return None
    if field(checkout, "status") != "complete" or not membership.stripe_subscription_id:
        return membership
    intent = billing.setup_intent_retrieve(id_of(field(checkout, "setup_intent")))
    method_id = billing.method_for_later(intent)
    if not method_id:
        return membership
    subscription_id = membership.stripe_subscription_id
    try:
        billing.subscription_payment_method_set(subscription_id, method_id)
    except stripe.StripeError as error:  # Stripe refused the method: she is told on her page and may try another
        logger.warning("Membership %s: method %s not set on %s: %s", membership.pk, method_id, subscription_id, error)
        return membership
    invoice_id = ""
    for invoice in billing.open_invoices(subscription_id):  # every month still open, oldest first
        invoice_id = invoice.id
        try:
            billing.invoice_pay(invoice.id, payment_method_id=method_id)
        except stripe.StripeError as error:  # declined again: she stays past due and may try another method
            logger.info("Membership %s: invoice %s not paid with the new method: %s", membership.pk, invoice.id, error)
            break
    return sync.subscription_apply(membership=membership, subscription_id=subscription_id, now=now, invoice_id=invoice_id)
