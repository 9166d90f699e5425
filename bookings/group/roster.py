"""The teacher's actions on a session's roster: check in, no-show, undo, paid at the studio,
adding someone by hand, messaging everyone. Each leaves a line in the booking's history."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import Session
from classes.services import session_cancel
from core.roles import client_accounts

from .. import attendance as attendance_window
from ..errors import BookingError
from ..history import record
from ..models import Booking, Payment
from ..payments import records
from ..quiet_hours import QuietHours, send_considerately
from . import emails, invitations, services


def _lock_booking(booking_id) -> Booking:
    return Booking.objects.select_for_update().select_related("session").get(pk=booking_id)


def attendance_set(*, booking: Booking, attendance: str, actor, now=None) -> Booking:
    """Check someone in (from half an hour before the start), mark a no-show (from the start), or
    undo either (any time)."""
    if attendance not in Booking.Attendance.values:
        raise BookingError(_("Unknown attendance."))
    with transaction.atomic():
        booking = _lock_booking(booking.pk)
        if booking.status != Booking.Status.CONFIRMED:
            raise BookingError(_("Only a confirmed booking can be checked in."))
        attendance_window.check_allowed(attendance, booking.session.starts_at, now=now)
        if booking.attendance == attendance:
            return booking
        booking.attendance = attendance
        booking.save(update_fields=["attendance"])
        action = {"present": "checked_in", "no_show": "no_show", "": "attendance_undone"}[attendance]
        record(booking, action, actor=actor, now=now)
    return booking


def mark_paid_at_studio(*, booking: Booking, method: str, actor, now=None) -> Payment:
    """A pay-at-the-studio booking was paid in cash or by PIN: a payment row with a receipt."""
    now = now or timezone.now()
    if method not in (Payment.Method.CASH, Payment.Method.PIN):
        raise BookingError(_("Choose cash or PIN."))
    with transaction.atomic():
        booking = _lock_booking(booking.pk)
        if booking.paid_with != Booking.PaidWith.STUDIO or booking.status != Booking.Status.CONFIRMED:
            raise BookingError(_("Only a confirmed pay-at-the-studio booking can be marked as paid."))
        if booking.payment_id:
            raise BookingError(_("This booking is already paid."))
        payment = records.payment_received_at_studio(
            client=booking.client, purpose=services.DROP_IN, amount_cents=booking.price_cents, method=method, now=now,
            vat_rate_percent=booking.session.offering.vat_rate_percent,
            **records.described(lambda: services.drop_in_line(booking.session)),
        )
        booking.payment = payment
        booking.paid_at_studio_at = now
        booking.save(update_fields=["payment", "paid_at_studio_at"])
        record(booking, "paid_at_studio", actor=actor, note=payment.get_method_display(), now=now)
    return payment


def add_by_hand(*, session: Session, actor, pay_with: str, client=None, first_name="", last_name="", email="", language="",
                now=None) -> Booking:
    """The teacher adds an existing client or a walk-in (by name and email), with a card credit or
    paying at the studio, even after online booking has closed."""
    if pay_with not in (Booking.PaidWith.CARD, Booking.PaidWith.STUDIO):
        raise BookingError(_("Choose a class card or paying at the studio."))
    with transaction.atomic():
        if client is None:
            client = walk_in_client(first_name=first_name, last_name=last_name, email=email, language=language)
        return services.booking_create(client=client, session=session, pay_with=pay_with, now=now, actor=actor, by_staff=True)


def walk_in_client(*, first_name: str, last_name: str, email: str, language: str = ""):
    """The account of someone who walked in. An email address the studio knows is that person (never
    a second account); a new one gets an account without a password and, once saved, an invitation
    email in her language with a link to choose one. `user.is_new` says which happened."""
    User = get_user_model()
    email = User.objects.normalize_email((email or "").strip()).lower()
    first_name = (first_name or "").strip()
    if not first_name or not email or "@" not in email:
        raise BookingError(_("Fill in at least a first name and a valid email address."))
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if not client_accounts().filter(pk=user.pk).exists():
            raise BookingError(_("This email address belongs to an account that cannot be booked in here. Please use another one."))
        user.is_new = False
        return user
    fields = {"language": language} if language in dict(settings.LANGUAGES) else {}
    user = User.objects.create_user(email=email, first_name=first_name, last_name=(last_name or "").strip(), **fields)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    invitations.send_walk_in_invitation.delay_on_commit(user.pk)
    user.is_new = True
    return user


def session_cancel_by_teacher(*, session: Session, reason: str, actor) -> Session:
    """Cancel a class: bookings end, credits return, payments are refunded, everyone is emailed
    (the work happens in `services.bookings_cancel_by_studio`, through the signal)."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Please give a reason; clients will read it."))
    if session.starts_at <= timezone.now() - timedelta(hours=12):
        raise BookingError(_("This class is long over; it cannot be cancelled any more."))
    return session_cancel(session, reason=reason)


def note_goes_at(session: Session, *, now=None):
    """When a note to this class written now reaches people: now, or when the studio's quiet hours end."""
    return QuietHours.of().send_at(now or timezone.now(), session.starts_at)


def message_everyone(*, session: Session, subject: str, body: str, actor) -> int:
    """Email everyone with a confirmed place (e.g. 'bring a blanket tonight'). Returns how many."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise BookingError(_("Write a subject and a message."))
    recipients = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    send_considerately(emails.send_session_message, session.pk, subject, body, actor.pk, about=session.starts_at)
    return recipients
