"""Celery tasks of bookings. Each task is declared next to the work it runs (emails in the purposes'
`emails`, a refund in `payments.refunds`, a waitlist offer in `group.waitlist`), with a stable
`name=` that beat rows and queued messages refer to; this module imports them all so the worker
finds them, and holds the periodic tasks that span the purposes."""

from celery import shared_task
from django.utils import timezone

from . import quiet_hours
from .group import emails as group_emails  # noqa: F401  (declares the group's mail tasks)
from .group import invitations as group_invitations  # noqa: F401  (declares send_walk_in_invitation)
from .group import jobs as group_jobs
from .group import waitlist_offers  # noqa: F401  (declares offer_freed_places)
from .memberships import emails as membership_emails  # noqa: F401  (declares the memberships' mail tasks)
from .memberships import jobs as membership_jobs  # noqa: F401  (declares memberships_due)
from .offers import emails as offers_emails  # noqa: F401  (declares the gift vouchers' mail tasks)
from .payments import (
    checkout,
    refunds,  # noqa: F401  (declares submit_refund)
)
from .payments.voucher_ledger import vouchers_expire
from .personal import emails as personal_emails  # noqa: F401  (declares the personal work's mail tasks)
from .personal import jobs as personal_jobs


@shared_task(name="bookings.tasks.release_expired_holds")
def release_expired_holds():
    """Every minute: places, programmes and one-to-one time held for a payment (or an offer) that
    ran out are freed; freed class places go to the waitlist."""
    now = timezone.now()
    checkout.payments_never_started_close(now=now)
    return group_jobs.expired_holds_release(now=now) + personal_jobs.expired_holds_release(now=now)


@shared_task(name="bookings.tasks.send_session_reminders")
def send_session_reminders():
    """Every few minutes: a quiet reminder before a class or a one-to-one, once each."""
    now = timezone.now()
    return group_jobs.reminders_send(now=now) + personal_jobs.reminders_send(now=now)


@shared_task(name="bookings.tasks.send_queued_messages")
def send_queued_messages():
    """Every minute: messages kept through the studio's quiet hours go out once they end, in order."""
    return quiet_hours.queued_messages_send(now=timezone.now())


@shared_task(name="bookings.tasks.expire_class_cards")
def expire_class_cards():
    """Hourly: warn about cards about to expire (outside quiet hours), and write off what is left on expired ones."""
    return group_jobs.cards_daily(now=timezone.now())


@shared_task(name="bookings.tasks.expire_gift_vouchers")
def expire_gift_vouchers():
    """Daily: what is left on gift vouchers past their date is written off (an expiry row each)."""
    return vouchers_expire(now=timezone.now())
