"""Programmes, bought once through Stripe Checkout and followed in one of two ways:

- in a group (a `ProgrammeRun`): one purchase holds a place on every date. The dates' session rows
  are locked in a fixed order (by pk) and each takes a place through `places`, so no date ever holds
  more people than its capacity, whatever the concurrency;
- one-to-one: the purchase gives credits (a ledger, like class cards) that the client spends one by one
  on appointments of exactly the programme's appointment type.

Lock order, as everywhere in bookings: the sessions (by pk), then the enrolment, then its bookings,
then the payment.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import AppointmentType, ProgrammeRun, Session
from core import pagecache

from .. import places
from ..errors import BookingError
from ..history import record
from ..intake.services import require_intake_on_file
from ..models import Booking, BookingPolicy, Payment, ProgrammeCreditEntry, ProgrammeEnrolment
from ..payments import price_cuts, records, refunds, voucher_ledger
from . import emails

Status = ProgrammeEnrolment.Status
PROGRAMME = "programme"  # the purpose of a payment for a programme (bookings.personal.kinds)


def group_programme_line(run: ProgrammeRun, first_start) -> str:
    """A programme followed in a group, as its payment line in the active language."""
    return _("%(name)s (group from %(date)s)") % {"name": run.offering.name, "date": f"{timezone.localtime(first_start):%d-%m-%Y}"}


def individual_programme_line(appointment_type: AppointmentType) -> str:
    """A programme followed one-to-one, as its payment line in the active language."""
    return _("%(name)s (one-to-one, %(kind)s)") % {"name": appointment_type.offering.name, "kind": appointment_type.name}


def intake_needed_message() -> str:
    return _("Before your first session we ask you to fill in the intake form. It takes a few minutes, and every question "
             "but the consent is optional. Afterwards you can carry on booking.")


def require_intake(client) -> None:
    require_intake_on_file(client=client, message=intake_needed_message())


def after_commit_mail(enrolment_id: int, kind: str) -> None:
    emails.send_programme_mail.delay_on_commit(enrolment_id, kind)


# In a group ----------------------------------------------------------------------------------------


def run_dates(run: ProgrammeRun):
    return run.sessions.scheduled().order_by("starts_at")


def check_run_open(run: ProgrammeRun, sessions: list[Session], *, now, policy) -> None:
    if not run.is_open or not run.offering.is_shown or not sessions:
        raise BookingError(_("This programme group cannot be booked."))
    first = min(session.starts_at for session in sessions)
    if now >= first - timedelta(minutes=policy.booking_closes_minutes):
        raise BookingError(_("This programme group has already started, so it can no longer be booked. You are welcome to "
                             "ask the studio about the next one."))


def run_expired_holds_release(*, run: ProgrammeRun, sessions: list[Session], now) -> None:
    """Unpaid places whose hold ran out go back (inside the caller's locks on the run's dates): the
    enrolments first, then their bookings, as the lock rule has it."""
    ran_out = ProgrammeEnrolment.objects.filter(run=run, status=Status.PENDING_PAYMENT, hold_expires_at__lte=now)
    for client_id in ran_out.values_list("client_id", flat=True):
        pagecache.person_changed(client_id)
    ran_out.update(status=Status.RELEASED)
    for session in sessions:
        places.expired_holds_release(session, now)


def group_enrol(*, client, run: ProgrammeRun, now=None, code="") -> ProgrammeEnrolment:
    """One place on every date of the run, held while the client pays for the whole programme. `code`,
    a discount code or gift voucher, lowers the payment (PaymentError, and nothing saved, when unusable)."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    require_intake(client)
    with transaction.atomic():
        sessions = places.lock_sessions(run_dates(run).values_list("pk", flat=True))
        run = ProgrammeRun.objects.select_related("offering").get(pk=run.pk)
        check_run_open(run, sessions, now=now, policy=policy)
        run_expired_holds_release(run=run, sessions=sessions, now=now)
        if ProgrammeEnrolment.objects.filter(client=client, run=run, status__in=[Status.PENDING_PAYMENT, Status.ACTIVE]).exists():
            raise BookingError(_("You already have a place in this programme group."))
        if any(session.places_taken >= session.capacity for session in sessions):
            raise BookingError(_("This programme group is full. Please ask the studio about the next one."))
        first = min(session.starts_at for session in sessions)
        hold_until = now + timedelta(minutes=policy.hold_minutes)
        payment = records.payment_create(
            client=client, purpose=PROGRAMME, amount_cents=run.price_cents, now=now,
            vat_rate_percent=run.offering.vat_rate_percent, **records.described(lambda: group_programme_line(run, first)))
        price_cuts.price_cut_apply(payment=payment, code=code, client=client, now=now)
        enrolment = ProgrammeEnrolment.objects.create(
            client=client, offering=run.offering, run=run, payment=payment, status=Status.PENDING_PAYMENT,
            sessions_total=len(sessions), price_cents=run.price_cents, created_at=now, hold_expires_at=hold_until)
        for session in sessions:
            booking = Booking.objects.create(client=client, session=session, status=Booking.Status.PENDING_PAYMENT,
                                             paid_with=Booking.PaidWith.PROGRAMME, enrolment=enrolment, payment=payment,
                                             hold_expires_at=hold_until, created_at=now)
            places.take_place(session)
            record(booking, "booked", actor=client, note="programme", now=now)
    return enrolment


def _confirm_group(enrolment: ProgrammeEnrolment, *, now) -> bool:
    """The money is in: every date's place becomes confirmed. A place given away when the hold ran out
    is taken again if there is room on every date; otherwise nothing is confirmed (the caller refunds).
    Runs with the dates' sessions, the enrolment and its bookings locked, in that order (the kind's lock)."""
    bookings = list(enrolment.bookings.order_by("pk"))
    sessions = {session.pk: session for session in places.lock_sessions(b.session_id for b in bookings)}
    bookings = list(enrolment.bookings.select_for_update().order_by("pk"))
    missing = [b for b in bookings if b.status != Booking.Status.PENDING_PAYMENT]
    for booking in missing:
        session = sessions[booking.session_id]
        if session.is_cancelled or session.starts_at <= now or session.places_taken >= session.capacity:
            for other in bookings:
                if other.status == Booking.Status.PENDING_PAYMENT:
                    places.held_place_release(booking_id=other.pk, now=now, reason="paid after the hold ran out")
            return False
    for booking in missing:
        places.take_place(sessions[booking.session_id])
    for booking in bookings:
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
        record(booking, "paid", now=now)
    return True


def enrolment_confirm_paid(*, payment: Payment, now) -> bool:
    """Deliver a paid programme (called through the programme kind by fulfilment, inside its
    transaction, with the run's dates, the enrolment and the payment locked). Safe to call twice.
    Returns False when no place could be given."""
    enrolment = ProgrammeEnrolment.objects.select_for_update().filter(payment=payment).first()
    if enrolment is None:
        return True
    if enrolment.status == Status.ACTIVE:
        return True
    if enrolment.is_group:
        if not _confirm_group(enrolment, now=now):
            enrolment.status = Status.RELEASED
            enrolment.save(update_fields=["status"])
            return False
    elif not enrolment.credit_entries.filter(kind=ProgrammeCreditEntry.Kind.PURCHASE).exists():
        ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=enrolment.sessions_total,
                                            kind=ProgrammeCreditEntry.Kind.PURCHASE, created_at=now)
    enrolment.status = Status.ACTIVE
    enrolment.confirmed_at = now
    enrolment.hold_expires_at = None
    enrolment.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    after_commit_mail(enrolment.pk, "confirmed")
    return True


def held_places_release(*, enrolment_id: int, now=None, reason="payment not completed") -> bool:
    """The payment failed, expired or was abandoned: the places held on every date go back."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = ProgrammeEnrolment.objects.get(pk=enrolment_id)
        places.lock_sessions(enrolment.bookings.values_list("session_id", flat=True))
        enrolment = ProgrammeEnrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status != Status.PENDING_PAYMENT:
            return False
        for booking_id in enrolment.bookings.filter(status=Booking.Status.PENDING_PAYMENT).values_list("pk", flat=True):
            places.held_place_release(booking_id=booking_id, now=now, reason=reason)
        enrolment.status = Status.RELEASED
        enrolment.save(update_fields=["status"])
    return True


# One-to-one ----------------------------------------------------------------------------------------


def individual_buy(*, client, appointment_type: AppointmentType, now=None, code="") -> ProgrammeEnrolment:
    """A pending purchase of the programme followed one-to-one; the credits come when the money is in.
    `code`, a discount code or gift voucher, lowers the payment (PaymentError when unusable)."""
    now = now or timezone.now()
    if not appointment_type.is_active or not appointment_type.offers_programme or not appointment_type.offering.is_shown:
        raise BookingError(_("This programme cannot be followed one-to-one at the moment."))
    offering = appointment_type.offering
    with transaction.atomic():
        payment = records.payment_create(
            client=client, purpose=PROGRAMME, amount_cents=appointment_type.programme_price_cents, now=now,
            vat_rate_percent=offering.vat_rate_percent, **records.described(lambda: individual_programme_line(appointment_type)))
        price_cuts.price_cut_apply(payment=payment, code=code, client=client, now=now)
        return ProgrammeEnrolment.objects.create(
            client=client, offering=offering, appointment_type=appointment_type, payment=payment, status=Status.PENDING_PAYMENT,
            sessions_total=offering.session_count, price_cents=appointment_type.programme_price_cents, created_at=now)


def credit_balance(enrolment: ProgrammeEnrolment) -> int:
    return enrolment.credit_entries.aggregate(total=Coalesce(Sum("delta"), 0))["total"]


def enrolment_for_type(*, client, appointment_type: AppointmentType):
    """The client's oldest active one-to-one programme for exactly this type with a credit left."""
    for enrolment in (ProgrammeEnrolment.objects.active().filter(client=client, appointment_type=appointment_type)
                      .with_balance().filter(balance_value__gt=0).order_by("created_at", "pk")):
        return enrolment
    return None


def credit_use(*, enrolment: ProgrammeEnrolment, appointment, now) -> ProgrammeCreditEntry:
    """Spend one credit on a (just saved) appointment. The enrolment row is locked, so two bookings
    can never share a last credit; a credit is for its own client and its own appointment type only."""
    enrolment = ProgrammeEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.client_id != appointment.client_id:
        raise BookingError(_("This programme is not yours."))
    if enrolment.status != Status.ACTIVE:
        raise BookingError(_("This programme is not active, so its sessions cannot be booked."))
    if enrolment.appointment_type_id != appointment.appointment_type_id:
        raise BookingError(_("The sessions of this programme are for another kind of session."))
    if credit_balance(enrolment) < 1:
        raise BookingError(_("All sessions of this programme are already booked or used."))
    return ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=-1, kind=ProgrammeCreditEntry.Kind.USE,
                                               appointment=appointment, created_at=now)


def credit_return(*, appointment, now, reason="") -> ProgrammeCreditEntry | None:
    """Give the credit of a cancelled appointment back, once (a unique constraint guards twice)."""
    if appointment.enrolment_id is None or not appointment.credit_entries.filter(kind=ProgrammeCreditEntry.Kind.USE).exists():
        return None
    if appointment.credit_entries.filter(kind=ProgrammeCreditEntry.Kind.RETURN).exists():
        return None
    return ProgrammeCreditEntry.objects.create(enrolment_id=appointment.enrolment_id, delta=1, kind=ProgrammeCreditEntry.Kind.RETURN,
                                               appointment=appointment, created_at=now, reason=reason)


# Cancelling ---------------------------------------------------------------------------------------


@dataclass
class ProgrammeCancelTerms:
    early: bool
    refund_cents: int = 0
    voucher_cents: int = 0  # what a gift voucher paid, back on the voucher
    allowed: bool = True
    reason: str = ""


def cancellation_terms(enrolment: ProgrammeEnrolment, *, now=None) -> ProgrammeCancelTerms:
    """Before the policy's window ahead of the first date: everything back. Later: the places go, nothing
    is returned. One-to-one: only while no session is booked or used (then it is all returned)."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    paid = enrolment.payment.refundable_cents if enrolment.payment_id else 0
    paid_by_voucher = enrolment.payment_id and enrolment.payment.is_paid and enrolment.payment.voucher_cents
    voucher = voucher_ledger.voucher_returnable(enrolment.payment) if paid_by_voucher else 0  # less a date's part gone back
    if enrolment.is_group:
        starts = [b.session.starts_at for b in enrolment.bookings.select_related("session")]
        if not starts or max(starts) <= now:
            return ProgrammeCancelTerms(early=False, allowed=False, reason=_("This programme has already taken place."))
        early = now <= min(starts) - timedelta(hours=policy.cancel_window_hours)
        return ProgrammeCancelTerms(early=early, refund_cents=paid if early else 0, voucher_cents=voucher if early else 0)
    if credit_balance(enrolment) < enrolment.sessions_total:
        return ProgrammeCancelTerms(early=False, allowed=False, reason=_(
            "Some sessions of this programme are already booked or used. Please contact the studio to talk about the rest; "
            "you can cancel a single session on its own page."))
    return ProgrammeCancelTerms(early=True, refund_cents=paid, voucher_cents=voucher)


def enrolment_cancel(*, enrolment: ProgrammeEnrolment, actor=None, now=None) -> ProgrammeCancelTerms:
    """The client cancels the whole programme: every date still to come is freed at once, and money
    comes back once (an idempotency key guards twice) when it is in time."""
    now = now or timezone.now()
    with transaction.atomic():
        places.lock_sessions(enrolment.bookings.values_list("session_id", flat=True))
        enrolment = ProgrammeEnrolment.objects.select_for_update(of=("self",)).select_related("payment").get(pk=enrolment.pk)
        if enrolment.status != Status.ACTIVE:
            raise BookingError(_("This programme is already cancelled."))
        terms = cancellation_terms(enrolment, now=now)
        if not terms.allowed:
            raise BookingError(terms.reason)
        for booking in enrolment.bookings.select_for_update().filter(status=Booking.Status.CONFIRMED, session__starts_at__gt=now):
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.late_cancellation = not terms.early
            booking.save(update_fields=["status", "cancelled_at", "late_cancellation"])
            places.free_place(places.lock_session(booking.session_id))
            record(booking, "programme_cancelled", actor=actor or enrolment.client, now=now)
        if not enrolment.is_group:
            ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=-credit_balance(enrolment), created_at=now,
                                                kind=ProgrammeCreditEntry.Kind.CORRECTION, reason="programme cancelled")
        if terms.refund_cents:
            refunds.refund_create(payment=enrolment.payment, amount_cents=terms.refund_cents, reason="programme cancelled in time",
                                  key=f"programme-{enrolment.pk}-cancel", actor=actor)
        if terms.voucher_cents:
            price_cuts.voucher_part_back(enrolment.payment, now=now, reason="programme cancelled in time")
        enrolment.status = Status.CANCELLED
        enrolment.cancelled_at = now
        enrolment.late_cancellation = not terms.early
        enrolment.save(update_fields=["status", "cancelled_at", "late_cancellation"])
    after_commit_mail(enrolment.pk, "cancelled")
    return terms


def _date_share(total: int, dates: int, cancelled: int) -> int:
    """The share of `total` of the `cancelled`-th date the studio cancelled, out of `dates`: the shares
    add up to the whole once every date is cancelled (no cent left over)."""
    return total * cancelled // dates - total * (cancelled - 1) // dates


def date_cancelled_by_studio(booking: Booking, actor=None, now=None) -> None:
    """The studio cancelled one date of a group programme: that date's share of the price comes back,
    once: its share of the money by a refund, its share of what a gift voucher paid onto the voucher.
    The group classes call it (a way to pay, registered by the programme kind) while they cancel the
    class, with the session and the booking locked (and marked cancelled by the studio)."""
    enrolment = booking.enrolment
    payment = booking.payment
    if enrolment is None or payment is None or not payment.is_paid:
        return
    dates = max(enrolment.sessions_total, 1)
    cancelled = max(min(enrolment.bookings.filter(cancelled_by_studio=True).count(), dates), 1)
    key = f"booking-{booking.pk}-studio-cancel"
    share = min(_date_share(payment.amount_cents, dates, cancelled), payment.refundable_cents)
    if share:
        refunds.refund_create(payment=payment, amount_cents=share, booking=booking, reason="programme date cancelled by the studio",
                              key=key, actor=actor)
    voucher_share = _date_share(payment.voucher_cents, dates, cancelled)
    if voucher_share:
        price_cuts.voucher_part_back(payment, now=now or timezone.now(), reason="programme date cancelled by the studio",
                                     cents=voucher_share, key=key)
