"""Reads for the membership pages: the types on sale, and her own membership with everything its
page shows (status, price, next payment, classes left, pause, cancelling, her payments)."""

from django.utils import timezone

from ..models import BookingPolicy, Membership, MembershipType, Payment
from ..payments import kinds
from . import periods
from .periods import Status
from .sync import MEMBERSHIP


def types_on_sale():
    return MembershipType.objects.filter(is_on_sale=True).prefetch_related("styles").order_by("position", "price_cents", "pk")


def her_membership(client) -> Membership | None:
    """The membership her page is about: the running one, else the newest she started or had."""
    return periods.live_membership(client) or (
        Membership.objects.filter(client=client).exclude(status=Status.NOT_STARTED)
        .select_related("membership_type").order_by("-created_at", "-pk").first())


def my_membership(*, client, now=None) -> dict:
    now = now or timezone.now()
    membership = her_membership(client)
    context = {"membership": membership, "now": now, "today": periods.local_date(now), "max_pause_days": periods.MAX_PAUSE_DAYS}
    if membership is None:
        return context
    policy = BookingPolicy.current()
    live = membership.status in periods.LIVE
    context.update(
        live=live,
        styles=list(membership.membership_type.styles.all()),
        classes_left=periods.classes_left(membership, now=now) if live else None,
        paused_now=live and periods.paused_now(membership, now=now),
        pause_planned=live and membership.pause_from is not None and membership.pause_from > periods.local_date(now),
        **_next_payment(membership, now=now, live=live),
        cancel_end=periods.cancellation_end(membership, now=now) if live and not membership.cancel_requested_at else None,
        cancelled=membership.is_cancelled,
        past_due=membership.status == Status.PAST_DUE,
        grace_ends=periods.grace_ends(membership, policy),
        grace_over=membership.status == Status.PAST_DUE and (periods.grace_ends(membership, policy) or now) < now,
        payments=_payments(membership),
    )
    return context


def _payments(membership) -> list:
    """Her membership's last payments, each with its line in her language (the stored description is Dutch)."""
    payments = list(Payment.objects.filter(membership=membership).select_related("membership__membership_type")
                    .order_by("-paid_at", "-pk")[:24])
    kind = kinds.kind_for(MEMBERSHIP)
    for payment in payments:
        payment.line = kind.receipt_line(payment)
    return payments


def _next_payment(membership: Membership, *, now, live: bool) -> dict:
    """When she pays next: at the period's end; but a payment that falls in her pause (or a month the
    pause voided at Stripe) is taken the day she comes back, when her new month starts (sync)."""
    if not live or not periods.renews(membership):
        return {"next_payment": None, "next_payment_moved": False}
    due = membership.current_period_end
    if membership.pause_from and membership.pause_until and membership.pause_until > periods.local_date(now):
        paused = membership.pause_started_at or periods.start_of_day(membership.pause_from)  # sent to Stripe then
        back = periods.start_of_day(membership.pause_until)
        if paused <= due < back or paused <= membership.current_period_start < back:
            return {"next_payment": back, "next_payment_moved": True}
    return {"next_payment": due, "next_payment_moved": False}
