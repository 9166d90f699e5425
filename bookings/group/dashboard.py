"""Reads for the teacher's pages: the day and week at a glance, and a roster."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from classes.models import Session
from classes.selectors import local_midnight, week_start

from ..models import Appointment, Booking, Intake, WaitlistEntry

ROSTER_STATUSES = ["confirmed", "pending_payment", "offered"]


def sessions_overview(*, today=None, teacher=None):
    """Today's and the rest of this week's sessions, each with places taken / total and the waitlist
    length, and today's one-to-ones: hers when `teacher` is given, else the whole studio's."""
    today = today or timezone.localdate()
    monday = week_start(today)
    sessions = (
        Session.objects.for_listing()
        .filter(starts_at__gte=local_midnight(monday), starts_at__lt=local_midnight(monday + timedelta(days=7)))
        .annotate(waiting=Count("waitlist", filter=Q(waitlist__status="waiting")))
        .order_by("starts_at")
    )
    appointments = (Appointment.objects.filter(status=Appointment.Status.CONFIRMED, starts_at__gte=local_midnight(today),
                                               starts_at__lt=local_midnight(today + timedelta(days=1)))
                    .select_related("client", "appointment_type", "teacher__user").order_by("starts_at"))
    if teacher is not None:
        sessions = sessions.filter(teacher=teacher)
        appointments = appointments.filter(teacher=teacher)
    sessions = list(sessions)
    return {
        "today": today,
        "today_sessions": [s for s in sessions if s.local_date == today],
        "today_appointments": list(appointments),
        "week_sessions": [s for s in sessions if s.local_date > today],
        "monday": monday,
    }


def roster(session: Session):
    """The people on a session, with how they booked, whether it is their first visit,
    whether an intake exists, and their touch choice."""
    earlier = Booking.objects.filter(client=OuterRef("client"), status="confirmed", session__starts_at__lt=session.starts_at)
    bookings = (
        Booking.objects.filter(session=session, status__in=ROSTER_STATUSES + ["cancelled"])
        .select_related("client", "payment", "card__card_type")
        .annotate(has_been_before=Exists(earlier))
        .order_by("status", "client__first_name", "client__last_name")
    )
    bookings = bookings.annotate(has_intake=Exists(Intake.objects.filter(client=OuterRef("client"))))
    rows = list(bookings)
    waiting = list(WaitlistEntry.objects.filter(session=session, status__in=["waiting", "offered"]).select_related("client"))
    return {
        "present": [b for b in rows if b.status in ROSTER_STATUSES],
        "cancelled": [b for b in rows if b.status == "cancelled"],
        "waiting": waiting,
    }
