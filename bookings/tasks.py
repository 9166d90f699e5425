"""Celery tasks: ids in, one service or notification call, safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from . import jobs, notifications, payments, personal_mail, waitlist

MAIL_RETRY = {"acks_late": True, "autoretry_for": (SMTPException, OSError), "retry_backoff": True, "max_retries": 5}


@shared_task(**MAIL_RETRY)
def send_booking_confirmed(booking_id):
    notifications.booking_confirmed(booking_id)


@shared_task(**MAIL_RETRY)
def send_booking_cancelled(booking_id):
    notifications.booking_cancelled(booking_id)


@shared_task(**MAIL_RETRY)
def send_waitlist_offer(entry_id):
    notifications.waitlist_offer(entry_id)


@shared_task(**MAIL_RETRY)
def send_card_bought(payment_id):
    notifications.card_bought(payment_id)


@shared_task(acks_late=True)
def offer_freed_places(session_id):
    waitlist.offer_freed_places(session_id=session_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def submit_refund(refund_id):
    payments.refund_submit(refund_id=refund_id)


@shared_task
def release_expired_holds():
    """Every minute: unpaid holds and unclaimed offers whose time ran out free their place."""
    return jobs.holds_release(now=timezone.now())


@shared_task
def send_session_reminders():
    """Every few minutes: a quiet reminder before class, once per booking."""
    return jobs.reminders_send(now=timezone.now())


@shared_task
def expire_class_cards():
    """Daily: warn about cards about to expire, and write off what is left on expired ones."""
    return jobs.cards_daily(now=timezone.now())


@shared_task(**MAIL_RETRY)
def send_session_message(session_id, subject, body, actor_id=None):
    return notifications.session_message(session_id, subject, body)


@shared_task(**MAIL_RETRY)
def send_appointment_mail(appointment_id, kind, tell_teacher=True, previous=""):
    personal_mail.appointment_mail(appointment_id, kind, tell_teacher, previous)


@shared_task(**MAIL_RETRY)
def send_programme_mail(enrolment_id, kind):
    personal_mail.programme_mail(enrolment_id, kind)
