"""One-to-one sessions: booking a free moment (paid online, or with a programme credit), paying,
moving, cancelling and attending.

The teacher's row is the lock. Whoever holds it tidies holds that ran out, re-reads her busy time and
asks the slot maths again (`availability.is_free`) before writing, so two clients can never end up with
overlapping times; a unique constraint on (teacher, start) stands behind it.
Lock order: teacher, then appointment, then programme enrolment, then payment.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import AppointmentType, Teacher
from core.dates import parse_moment

from .. import attendance as attendance_window
from ..errors import BookingError
from ..models import Appointment, BookingPolicy, Payment
from ..payments import checkout, price_cuts, records, refunds
from ..policy import free_change_until
from ..quiet_hours import send_considerately
from . import availability, emails, programmes

PaidWith = Appointment.PaidWith
Status = Appointment.Status
APPOINTMENT = "appointment"  # the purpose of a payment for a one-to-one session (bookings.personal.kinds)


def appointment_line(appointment_type: AppointmentType, starts_at: datetime) -> str:
    """A one-to-one session's payment line in the active language: the kind of session and when it starts."""
    return f"{appointment_type.name} {timezone.localtime(starts_at):%d-%m-%Y %H:%M}"


def lock_teacher(teacher_id) -> Teacher:
    return Teacher.objects.select_for_update().get(pk=teacher_id)


def record(appointment: Appointment, action: str, *, actor=None, note="", now=None) -> None:
    appointment.events.create(action=action, actor=actor, note=note, created_at=now or timezone.now())


def after_commit_mail(appointment_id: int, kind: str, *, tell_teacher=True, old_start: datetime | None = None,
                      asked=True, about: datetime | None = None) -> None:
    """The client's email (with its calendar file) and the teacher's note, once the change is saved.
    `asked=False`: the studio did it, so the news keeps out of quiet hours unless the session (at
    `about`) starts before they end."""
    previous = old_start.isoformat() if old_start else ""
    if asked:
        emails.send_appointment_mail.delay_on_commit(appointment_id, kind, tell_teacher, previous)
    else:
        send_considerately(emails.send_appointment_mail, appointment_id, kind, tell_teacher, previous, about=about)


def expired_holds_release(teacher: Teacher, now) -> list[Appointment]:
    """Holds of unpaid appointments whose time ran out give the teacher's time back (teacher locked)."""
    expired = list(Appointment.objects.select_for_update(of=("self",)).select_related("payment")
                   .filter(teacher=teacher, status=Status.PENDING_PAYMENT, hold_expires_at__lte=now))
    for appointment in expired:
        appointment.status = Status.RELEASED
        appointment.save(update_fields=["status"])
        record(appointment, "released", note="hold ran out", now=now)
        if appointment.payment:
            checkout.checkout_expire_after_commit(appointment.payment)
    return expired


def parse_start(value: str) -> datetime:
    """A slot's start as the page sent it (ISO 8601 with its offset); anything else is refused."""
    start = parse_moment(value)
    if start is None:
        raise BookingError(_("Please choose a time from the list."))
    return start


def free_or_refuse(appointment_type, start, *, now, exclude_id=None) -> None:
    if start <= now:
        raise BookingError(_("This time has already passed. Please choose another moment."))
    if not availability.is_free(appointment_type, start, now=now, exclude_id=exclude_id):
        raise BookingError(_("This moment is not free (any more). Please choose another time from the list."))


def check_bookable(appointment_type: AppointmentType, *, client, pay_with: str, starts_at: datetime, now, by_staff=False):
    """The checks before the teacher's lock, for the client's own booking and the teacher's for her:
    the type on offer, a programme credit for exactly this type when paying with one (returned), and a
    moment still to come."""
    if not appointment_type.is_active:
        raise BookingError(_("This kind of session cannot be booked at the moment."))
    enrolment = None
    if pay_with == PaidWith.PROGRAMME:
        enrolment = programmes.enrolment_for_type(client=client, appointment_type=appointment_type)
        if enrolment is None:
            raise BookingError(_("She has no programme sessions left for this kind of session.") if by_staff
                               else _("You have no programme sessions left for this kind of session."))
    elif not appointment_type.is_bookable_alone:
        raise BookingError(_("This kind of session is booked as part of its programme."))
    if starts_at <= now:
        raise BookingError(_("This time has already passed. Please choose another moment."))
    return enrolment


def appointment_book(*, client, appointment_type: AppointmentType, starts_at: datetime, pay_with: str, now=None,
                     code="") -> Appointment:
    """Book a free moment: with a programme credit (confirmed at once) or paid online (the time is held
    while the client pays). The duration always comes from the type, never from the request. `code`, a
    discount code or gift voucher, lowers an online payment (PaymentError, nothing saved, when unusable)."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    if pay_with not in (PaidWith.STRIPE, PaidWith.PROGRAMME):
        raise BookingError(_("Please choose how you want to pay."))
    price_cuts.require_paying_online(code, paying_online=pay_with == PaidWith.STRIPE)
    enrolment = check_bookable(appointment_type, client=client, pay_with=pay_with, starts_at=starts_at, now=now)
    programmes.require_intake(client)
    with transaction.atomic():
        teacher = lock_teacher(appointment_type.teacher_id)
        expired_holds_release(teacher, now)
        free_or_refuse(appointment_type, starts_at, now=now)
        appointment = Appointment(client=client, appointment_type=appointment_type, teacher=teacher, starts_at=starts_at,
                                  ends_at=starts_at + appointment_type.duration, paid_with=pay_with, created_at=now)
        if enrolment is not None:
            appointment.enrolment = enrolment
            appointment.status = Status.CONFIRMED
            appointment.confirmed_at = now
            appointment.save()
            programmes.credit_use(enrolment=enrolment, appointment=appointment, now=now)
        else:
            appointment.price_cents = appointment_type.price_cents
            appointment.payment = records.payment_create(
                client=client, purpose=APPOINTMENT, amount_cents=appointment_type.price_cents, now=now,
                vat_rate_percent=appointment_type.vat_rate_percent,
                **records.described(lambda: appointment_line(appointment_type, starts_at)))
            price_cuts.price_cut_apply(payment=appointment.payment, code=code, client=client, now=now)
            appointment.status = Status.PENDING_PAYMENT
            appointment.hold_expires_at = now + timedelta(minutes=policy.hold_minutes)
            appointment.save()
        record(appointment, "booked", actor=client, note=appointment.get_paid_with_display(), now=now)
    if appointment.is_confirmed:
        after_commit_mail(appointment.pk, "confirmed")
    return appointment


def appointment_confirm_paid(*, payment: Payment, now) -> bool:
    """Deliver a paid appointment (called through the appointment kind by fulfilment, with the
    teacher, the appointment and the payment locked). When the hold had run out meanwhile, the time is given only if it is still free; False
    asks the caller to refund."""
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("appointment_type").filter(payment=payment).first()
    if appointment is None or appointment.is_confirmed:
        return True
    if appointment.status == Status.CANCELLED:
        return False
    if appointment.status == Status.RELEASED and not availability.is_free(
            appointment.appointment_type, appointment.starts_at, now=now, exclude_id=appointment.pk, ignore_notice=True):
        record(appointment, "paid_without_time", now=now)
        return False
    appointment.status = Status.CONFIRMED
    appointment.confirmed_at = now
    appointment.hold_expires_at = None
    appointment.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    record(appointment, "paid", now=now)
    after_commit_mail(appointment.pk, "confirmed")
    return True


def held_time_release(*, appointment_id: int, now=None, reason="payment not completed") -> bool:
    """The online payment failed, expired or was abandoned: the held time goes back."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.get(pk=appointment_id)
        lock_teacher(appointment.teacher_id)
        appointment = Appointment.objects.select_for_update().get(pk=appointment_id)
        if appointment.status != Status.PENDING_PAYMENT:
            return False
        appointment.status = Status.RELEASED
        appointment.save(update_fields=["status"])
        record(appointment, "released", note=reason, now=now)
    return True


@dataclass
class AppointmentCancelTerms:
    early: bool
    credit_returned: bool = False
    refund_cents: int = 0
    voucher_cents: int = 0  # what a gift voucher paid, back on the voucher


def cancellation_terms(appointment: Appointment, *, now=None, by_studio=False) -> AppointmentCancelTerms:
    """In time (before the studio's window): the credit or the money comes back. Later: nothing does.
    The studio cancelling always gives everything back."""
    now = now or timezone.now()
    early = by_studio or now <= free_change_until(appointment, BookingPolicy.current())
    terms = AppointmentCancelTerms(early=early)
    if early and appointment.is_confirmed:
        if appointment.paid_with == PaidWith.PROGRAMME:
            terms.credit_returned = True
        elif appointment.payment_id and appointment.payment.is_paid:
            terms.refund_cents = appointment.payment.refundable_cents
            terms.voucher_cents = appointment.payment.voucher_cents
    return terms


def appointment_cancel(*, appointment: Appointment, actor=None, now=None, by_studio=False) -> AppointmentCancelTerms:
    now = now or timezone.now()
    with transaction.atomic():
        lock_teacher(appointment.teacher_id)
        appointment = Appointment.objects.select_for_update(of=("self",)).select_related("payment").get(pk=appointment.pk)
        if appointment.status not in (Status.PENDING_PAYMENT, Status.CONFIRMED):
            raise BookingError(_("This session is already cancelled."))
        if appointment.starts_at <= now:
            raise BookingError(_("This session has already started, so it can no longer be cancelled."))
        terms = cancellation_terms(appointment, now=now, by_studio=by_studio)
        was_pending = appointment.is_pending
        appointment.status = Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancelled_by_studio = by_studio
        appointment.late_cancellation = not terms.early
        appointment.save(update_fields=["status", "cancelled_at", "cancelled_by_studio", "late_cancellation"])
        if terms.credit_returned:
            programmes.credit_return(appointment=appointment, now=now, reason="cancelled in time")
        if terms.refund_cents:
            refunds.refund_create(payment=appointment.payment, amount_cents=terms.refund_cents, reason="one-to-one cancelled in time",
                                  key=f"appointment-{appointment.pk}-cancel", actor=actor)
        if terms.voucher_cents:
            price_cuts.voucher_part_back(appointment.payment, now=now, reason="one-to-one cancelled in time")
        if was_pending and appointment.payment:
            checkout.checkout_expire_after_commit(appointment.payment)
        record(appointment, "cancelled_by_studio" if by_studio else "cancelled" if terms.early else "cancelled_late",
               actor=actor or appointment.client, now=now)
    if not was_pending:
        after_commit_mail(appointment.pk, "cancelled", tell_teacher=not by_studio, asked=not by_studio, about=appointment.starts_at)
    return terms


def appointment_move(*, appointment: Appointment, new_start: datetime, actor=None, now=None) -> Appointment:
    """Move a booked session to another free moment, until the studio's window before it begins. It
    keeps its payment or credit; client and teacher are told."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    with transaction.atomic():
        teacher = lock_teacher(appointment.teacher_id)
        appointment = Appointment.objects.select_for_update(of=("self",)).select_related("appointment_type").get(pk=appointment.pk)
        if not appointment.is_confirmed:
            raise BookingError(_("Only a booked session can be moved."))
        if now > free_change_until(appointment, policy):
            raise BookingError(_("This session starts within %(hours)d hours, so it can no longer be moved here. Please "
                                 "contact the studio.") % {"hours": policy.cancel_window_hours})
        if new_start == appointment.starts_at:
            raise BookingError(_("That is the time you already have. Please choose another moment."))
        expired_holds_release(teacher, now)
        free_or_refuse(appointment.appointment_type, new_start, now=now, exclude_id=appointment.pk)
        old_start = appointment.starts_at
        appointment.starts_at = new_start
        appointment.ends_at = new_start + appointment.appointment_type.duration
        appointment.save(update_fields=["starts_at", "ends_at"])
        record(appointment, "moved", actor=actor or appointment.client, now=now,
               note=f"{timezone.localtime(old_start):%d-%m-%Y %H:%M} -> {timezone.localtime(new_start):%d-%m-%Y %H:%M}")
    by_client = actor is None or actor.pk == appointment.client_id
    after_commit_mail(appointment.pk, "moved", old_start=old_start, asked=by_client, about=min(old_start, new_start))
    return appointment


def attendance_set(*, appointment: Appointment, attendance: str, actor, now=None) -> Appointment:
    """The teacher marks a session attended or missed (or undoes it). Only attended sessions count as
    progress in a programme."""
    now = now or timezone.now()
    if attendance not in Appointment.Attendance.values:
        raise BookingError(_("Unknown attendance."))
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if not appointment.is_confirmed:
            raise BookingError(_("Only a booked session can be marked."))
        attendance_window.check_allowed(attendance, appointment.starts_at, now=now)
        if appointment.attendance != attendance:
            appointment.attendance = attendance
            appointment.save(update_fields=["attendance"])
            record(appointment, {"present": "attended", "no_show": "no_show", "": "attendance_undone"}[attendance], actor=actor, now=now)
    return appointment


def mark_paid_at_studio(*, appointment: Appointment, method: str, actor, now=None) -> Payment:
    """A one-to-one the teacher booked to be paid at the studio was paid in cash or by PIN: a paid
    payment with a receipt number, linked to the session (a later refund of it is made by hand)."""
    now = now or timezone.now()
    if method not in (Payment.Method.CASH, Payment.Method.PIN):
        raise BookingError(_("Choose cash or PIN."))
    with transaction.atomic():
        lock_teacher(appointment.teacher_id)
        appointment = Appointment.objects.select_for_update(of=("self",)).select_related("appointment_type").get(pk=appointment.pk)
        if appointment.paid_with != PaidWith.STUDIO or not appointment.is_confirmed:
            raise BookingError(_("Only a booked session paid at the studio can be marked as paid."))
        if appointment.payment_id:
            raise BookingError(_("This session is already paid."))
        appointment.payment = records.payment_received_at_studio(
            client=appointment.client, purpose=APPOINTMENT, amount_cents=appointment.price_cents, method=method, now=now,
            vat_rate_percent=appointment.appointment_type.vat_rate_percent,
            **records.described(lambda: appointment_line(appointment.appointment_type, appointment.starts_at)))
        appointment.save(update_fields=["payment"])
        record(appointment, "paid_at_studio", actor=actor, note=appointment.payment.get_method_display(), now=now)
    return appointment.payment


def touch_set(*, appointment: Appointment, client, touch_ok: bool | None, now=None) -> Appointment:
    """The client says whether hands-on work is welcome in this session; only the teacher sees it."""
    now = now or timezone.now()
    if touch_ok not in (True, False, None):
        raise BookingError(_("Please choose one of the options."))
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.client_id != client.pk or not appointment.is_confirmed or appointment.starts_at <= now:
            raise BookingError(_("You can only set this for a booked session that has not started."))
        if appointment.touch_ok is not touch_ok:
            appointment.touch_ok = touch_ok
            appointment.save(update_fields=["touch_ok"])
            record(appointment, "touch_preference_set", actor=client, now=now)
    return appointment


def expired_holds_release_all(*, now) -> int:
    """For the every-minute job: appointments held for a payment that never came give their time back."""
    released = 0
    teacher_ids = set(Appointment.objects.filter(status=Status.PENDING_PAYMENT, hold_expires_at__lte=now).values_list("teacher_id", flat=True))
    for teacher_id in teacher_ids:
        with transaction.atomic():
            released += len(expired_holds_release(lock_teacher(teacher_id), now))
    return released
