"""The personal work's periodic work (run by the tasks in bookings/tasks.py): releasing the time and
places held for payments that never came, and reminders before one-to-one sessions. Safe to run
twice at once: rows are claimed with SKIP LOCKED and marked."""

from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction

from ..models import Appointment, BookingPolicy, ProgrammeEnrolment
from ..quiet_hours import QuietHours
from . import appointments, emails, programmes

BATCH = 500


def expired_holds_release(*, now) -> int:
    """Programmes and one-to-ones held for a payment that never came give their places and time back."""
    released = 0
    for enrolment_id in ProgrammeEnrolment.objects.filter(status=ProgrammeEnrolment.Status.PENDING_PAYMENT, hold_expires_at__lte=now
                                                          ).values_list("pk", flat=True):
        released += programmes.held_places_release(enrolment_id=enrolment_id, now=now, reason="hold ran out")
    return released + appointments.expired_holds_release_all(now=now)


def reminders_send(*, now, connection=None) -> int:
    """A quiet reminder before a one-to-one session, once per appointment, some hours before (the
    studio sets how many; one that would fall in quiet hours goes the evening before)."""
    policy = BookingPolicy.current()
    hours, quiet = policy.reminder_hours, QuietHours.of(policy)
    connection = connection or get_connection()
    coming = Appointment.objects.confirmed().filter(reminder_sent_at__isnull=True, starts_at__gt=now,
                                                    starts_at__lte=now + timedelta(hours=hours) + quiet.reach)
    starts = quiet.reminders_due(coming.values_list("starts_at", flat=True).distinct(), now=now, hours=hours)
    due = coming.filter(starts_at__in=starts).order_by("pk")
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(due.select_for_update(skip_locked=True, of=("self",)).select_related("client", "appointment_type", "teacher__user")[:BATCH])
            if not batch:
                return sent
            connection.send_messages([emails.reminder_message(appointment) for appointment in batch])
            Appointment.objects.filter(pk__in=[a.pk for a in batch]).update(reminder_sent_at=now)
            sent += len(batch)
