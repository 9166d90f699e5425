"""The teacher books her client into a one-to-one session or a programme group, from the back office.

The client's own path pays online (or with a programme credit) and asks for the intake first; here
the teacher has spoken with her, so the client pays at the studio (or with a programme credit) and
the intake can follow. The rules that keep time and places safe are the same: the teacher's row
(or the run's dates) locked first, the slot maths asked again under that lock, places taken through
`places`. Lock order as everywhere in bookings: owner rows, then the appointment or enrolment."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import AppointmentType, ProgrammeRun

from .. import history, places
from ..errors import BookingError
from ..models import Appointment, Booking, BookingPolicy, ProgrammeEnrolment
from . import appointments, programmes

PaidWith = Appointment.PaidWith
STAFF_WAYS = (PaidWith.STUDIO, PaidWith.PROGRAMME)


def appointment_book_by_staff(*, client, appointment_type: AppointmentType, starts_at: datetime, pay_with: str, actor,
                              now=None) -> Appointment:
    """Book a free moment for `client`, paid at the studio or with one of her programme credits for
    exactly this type. Confirmed at once; the client gets the usual email with a calendar file."""
    now = now or timezone.now()
    if pay_with not in STAFF_WAYS:
        raise BookingError(_("Choose paying at the studio or a session of her programme."))
    enrolment = appointments.check_bookable(appointment_type, client=client, pay_with=pay_with, starts_at=starts_at, now=now,
                                            by_staff=True)
    with transaction.atomic():
        teacher = appointments.lock_teacher(appointment_type.teacher_id)
        appointments.expired_holds_release(teacher, now)
        appointments.free_or_refuse(appointment_type, starts_at, now=now)
        appointment = Appointment.objects.create(
            client=client, appointment_type=appointment_type, teacher=teacher, starts_at=starts_at,
            ends_at=starts_at + appointment_type.duration, paid_with=pay_with, enrolment=enrolment, status=Appointment.Status.CONFIRMED,
            price_cents=0 if enrolment else appointment_type.price_cents, created_at=now, confirmed_at=now)
        if enrolment is not None:
            programmes.credit_use(enrolment=enrolment, appointment=appointment, now=now)
        appointments.record(appointment, "booked_by_staff", actor=actor, now=now)
    appointments.after_commit_mail(appointment.pk, "confirmed", tell_teacher=teacher.user_id != actor.pk)
    return appointment


def group_enrol_by_staff(*, client, run: ProgrammeRun, actor, now=None) -> ProgrammeEnrolment:
    """A place on every date of a programme group, paid at the studio: the enrolment is active at once
    (no online payment to wait for) and its price is what she pays at the studio."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    with transaction.atomic():
        sessions = places.lock_sessions(programmes.run_dates(run).values_list("pk", flat=True))
        run = ProgrammeRun.objects.select_related("offering").get(pk=run.pk)
        programmes.check_run_open(run, sessions, now=now, policy=policy)
        programmes.run_expired_holds_release(run=run, sessions=sessions, now=now)
        holding = [ProgrammeEnrolment.Status.PENDING_PAYMENT, ProgrammeEnrolment.Status.ACTIVE]
        if ProgrammeEnrolment.objects.filter(client=client, run=run, status__in=holding).exists():
            raise BookingError(_("She already has a place in this programme group."))
        if any(session.places_taken >= session.capacity for session in sessions):
            raise BookingError(_("This programme group is full."))
        enrolment = ProgrammeEnrolment.objects.create(
            client=client, offering=run.offering, run=run, status=ProgrammeEnrolment.Status.ACTIVE, sessions_total=len(sessions),
            price_cents=run.price_cents, created_at=now, confirmed_at=now)
        for session in sessions:
            booking = Booking.objects.create(client=client, session=session, status=Booking.Status.CONFIRMED, paid_with=Booking.PaidWith.PROGRAMME,
                                             enrolment=enrolment, created_at=now, confirmed_at=now)
            places.take_place(session)
            history.record(booking, "booked_by_staff", actor=actor, note="programme", now=now)
    programmes.after_commit_mail(enrolment.pk, "confirmed")
    return enrolment
