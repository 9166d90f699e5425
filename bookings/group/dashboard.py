"""Reads for the teacher's pages: the day and week at a glance, a roster, a client's story."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from classes.models import Session
from classes.selectors import local_midnight, week_start

from ..models import Booking, BookingEvent, ClassCard, CreditEntry, Intake, Payment, WaitlistEntry

ROSTER_STATUSES = ["confirmed", "pending_payment", "offered"]


def sessions_overview(*, today=None):
    """Today's and this week's sessions, each with places taken / total and the waitlist length."""
    today = today or timezone.localdate()
    monday = week_start(today)
    sessions = (
        Session.objects.for_listing()
        .filter(starts_at__gte=local_midnight(monday), starts_at__lt=local_midnight(monday + timedelta(days=7)))
        .annotate(waiting=Count("waitlist", filter=Q(waitlist__status="waiting")))
        .order_by("starts_at")
    )
    sessions = list(sessions)
    return {
        "today": today,
        "today_sessions": [s for s in sessions if s.local_date == today],
        "week_sessions": [s for s in sessions if s.local_date != today],
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


def client_story(client, *, now=None):
    """A client's page for the teacher: bookings, cards and ledger, payments, history."""
    now = now or timezone.now()
    bookings = list(Booking.objects.filter(client=client).for_listing().order_by("-session__starts_at")[:100])
    cards = list(ClassCard.objects.filter(client=client).select_related("card_type").with_balance()
                 .prefetch_related(Prefetch("entries", queryset=CreditEntry.objects.select_related("created_by"))))
    payments = list(Payment.objects.filter(client=client).prefetch_related("refunds").order_by("-created_at")[:100])
    history = list(BookingEvent.objects.filter(booking__client=client).select_related("actor", "booking__session__offering")
                   .order_by("-created_at")[:50])
    visits = sum(1 for b in bookings if b.status == "confirmed" and b.attendance == "present")
    return {"client": client, "bookings": bookings, "cards": cards, "payments": payments, "history": history,
            "visits": visits, "now": now}
