"""Reads for the personal work: a client's programme journey (session 2 of 3, past and next dates, the
teacher's notes and aftercare), their coming appointments, and the teacher's view of everyone's
progress. Each read costs a fixed number of queries, however many programmes there are.

Progress counts attended sessions only: booked, missed or not yet marked ones do not move it."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from classes.models import Offering
from classes.selectors import offerings_with_next_sessions

from ..models import Appointment, Booking, ProgrammeEnrolment

ATTENDED, MISSED, PLANNED, AWAITING, OPEN, CANCELLED = "attended", "missed", "planned", "awaiting", "open", "cancelled"


@dataclass
class Step:
    number: int
    status: str
    starts_at: datetime | None = None
    appointment: Appointment | None = None
    booking: Booking | None = None

    @property
    def note(self):
        subject = self.appointment or self.booking
        return getattr(subject, "session_note", None) if subject is not None else None

    @property
    def subject(self):
        return self.appointment or self.booking


@dataclass
class Journey:
    enrolment: ProgrammeEnrolment
    steps: list[Step] = field(default_factory=list)
    attended: int = 0

    @property
    def total(self) -> int:
        return self.enrolment.sessions_total

    @property
    def is_complete(self) -> bool:
        return self.attended >= self.total

    @property
    def current(self) -> int:
        """The session the client is on now: the one after the last attended."""
        return min(self.attended + 1, self.total)

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if step.status == PLANNED), None)

    @property
    def open_steps(self) -> int:
        return sum(1 for step in self.steps if step.status == OPEN)

    @property
    def percent(self) -> int:
        return round(100 * min(self.attended, self.total) / self.total) if self.total else 0


def _status(*, attendance: str, starts_at, now, cancelled=False) -> str:
    if cancelled:
        return CANCELLED
    if attendance == "present":
        return ATTENDED
    if attendance == "no_show":
        return MISSED
    return PLANNED if starts_at > now else AWAITING


def journey_of(enrolment: ProgrammeEnrolment, *, now) -> Journey:
    """Uses the prefetched `appointments` / `bookings` of `with_journeys` (no queries of its own)."""
    journey = Journey(enrolment=enrolment)
    if enrolment.is_group:
        for booking in enrolment.bookings.all():
            status = _status(attendance=booking.attendance, starts_at=booking.session.starts_at, now=now,
                             cancelled=booking.status == Booking.Status.CANCELLED)
            journey.steps.append(Step(len(journey.steps) + 1, status, booking.session.starts_at, booking=booking))
    else:
        for appointment in enrolment.appointments.all():
            status = _status(attendance=appointment.attendance, starts_at=appointment.starts_at, now=now,
                             cancelled=appointment.status == Appointment.Status.CANCELLED)
            journey.steps.append(Step(len(journey.steps) + 1, status, appointment.starts_at, appointment=appointment))
        if enrolment.status == ProgrammeEnrolment.Status.ACTIVE:
            for _left in range(max(enrolment.balance, 0)):
                journey.steps.append(Step(len(journey.steps) + 1, OPEN))
    journey.attended = sum(1 for step in journey.steps if step.status == ATTENDED)
    return journey


def teacher_of(enrolment):
    """Who teaches this programme: the group's teacher, or the one-to-one type's."""
    return enrolment.run.teacher if enrolment.run_id else enrolment.appointment_type.teacher


def with_journeys(enrolments):
    """The enrolments with everything a journey shows: four queries in all."""
    return (
        enrolments.select_related("offering__style", "run__teacher__user", "run__room", "appointment_type__teacher__user", "client")
        .with_balance()
        .prefetch_related(
            # A session cancelled late used its credit: it stays in the journey, marked cancelled.
            Prefetch("appointments", queryset=Appointment.objects.filter(Q(status=Appointment.Status.CONFIRMED)
                                                                         | Q(status=Appointment.Status.CANCELLED, late_cancellation=True))
                     .select_related("session_note", "teacher__user").order_by("starts_at", "pk")),
            Prefetch("bookings", queryset=Booking.objects.filter(Q(status=Booking.Status.CONFIRMED)
                                                                 | Q(status=Booking.Status.CANCELLED, cancelled_by_studio=True))
                     .select_related("session__room", "session__teacher__user", "session_note").order_by("session__starts_at", "pk")),
        )
    )


def follow_ups(offering: Offering, *, now) -> list[Offering]:
    """A gentle next step after the last session: the group classes of the programme's style."""
    ids = list(Offering.objects.shown().filter(kind=Offering.Kind.GROUP, style_id=offering.style_id).values_list("pk", flat=True))
    return offerings_with_next_sessions(ids, per_offering=3, now=now)


def client_journey(*, client, pk, now=None) -> Journey | None:
    """One of the client's own programmes (None for anyone else's: the page answers 404)."""
    now = now or timezone.now()
    enrolment = with_journeys(ProgrammeEnrolment.objects.filter(client=client, pk=pk)).first()
    return journey_of(enrolment, now=now) if enrolment is not None else None


def my_personal(*, client, now=None) -> dict:
    """For 'My bookings': coming appointments and the programmes under way."""
    now = now or timezone.now()
    appointments = list(Appointment.objects.filter(client=client, starts_at__gte=now)
                        .filter(Q(status=Appointment.Status.CONFIRMED)
                                | Q(status=Appointment.Status.PENDING_PAYMENT, hold_expires_at__gt=now))
                        .for_listing().order_by("starts_at"))
    enrolments = with_journeys(ProgrammeEnrolment.objects.filter(client=client, status=ProgrammeEnrolment.Status.ACTIVE)
                               .order_by("-created_at"))
    return {"appointments": appointments, "journeys": [journey_of(e, now=now) for e in enrolments]}


def teacher_overview(*, now=None, days=14, teacher=None) -> dict:
    """Progress in the programmes, the coming one-to-ones and the past ones still to mark: hers when
    `teacher` is given, else the whole studio's."""
    now = now or timezone.now()
    listing = Appointment.objects.for_listing().select_related("session_note")
    enrolments = ProgrammeEnrolment.objects.active()
    if teacher is not None:
        listing = listing.filter(teacher=teacher)
        enrolments = enrolments.filter(Q(run__teacher=teacher) | Q(appointment_type__teacher=teacher))
    coming = list(listing.filter(starts_at__gte=now - timedelta(hours=2), starts_at__lt=now + timedelta(days=days))
                  .filter(status__in=[Appointment.Status.CONFIRMED, Appointment.Status.PENDING_PAYMENT]).order_by("starts_at"))
    to_mark = list(listing.filter(status=Appointment.Status.CONFIRMED, attendance="", starts_at__lt=now - timedelta(hours=2),
                                  starts_at__gte=now - timedelta(days=60)).order_by("-starts_at"))
    enrolments = with_journeys(enrolments.order_by("client__first_name", "client__last_name", "pk"))
    journeys = [journey_of(e, now=now) for e in enrolments]
    return {"coming": coming, "to_mark": to_mark, "journeys": [j for j in journeys if not j.is_complete],
            "completed": [j for j in journeys if j.is_complete], "now": now}
