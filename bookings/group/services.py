"""Booking a place in a group class and giving it back: the rules in one place, called by views,
the teacher's pages, tasks and payments (through the drop-in kind) alike.

Locks: the session first, then the booking, then the payment (refunds lock it themselves).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import Offering, Session

from .. import places, ways_to_pay
from ..errors import BookingError, IntakeMissing
from ..history import record
from ..intake.services import intake_on_file
from ..memberships import allowance
from ..models import Booking, BookingPolicy
from ..payments import checkout, price_cuts, records, refunds
from ..policy import booking_closes_at, booking_free_until
from ..quiet_hours import send_considerately
from . import cards, emails

PaidWith = Booking.PaidWith
DROP_IN = "drop_in"  # the purpose of a payment for one place (bookings.group.kinds)


def drop_in_line(session: Session) -> str:
    """A drop-in's payment line in the active language: the class and when it starts."""
    return f"{session.offering.name} {timezone.localtime(session.starts_at):%d-%m-%Y %H:%M}"


def check_bookable(session: Session, *, now, policy: BookingPolicy, by_staff=False) -> None:
    """Refuse a session that cannot be booked, with the reason in plain words."""
    if not session.offering.is_shown and not by_staff:
        raise BookingError(_("This class cannot be booked."))
    if session.is_cancelled:
        raise BookingError(_("This class has been cancelled, so it cannot be booked."))
    if session.is_programme_date:
        raise BookingError(_("This date is part of a programme followed in a group; it is booked together with the other dates."))
    # The teacher may still add someone who walks in after the start, until the class ends.
    if (session.ends_at if by_staff else session.starts_at) <= now:
        raise BookingError(_("This class has already started or taken place."))
    if now >= booking_closes_at(session, policy) and not by_staff:
        raise BookingError(_("Online booking for this class has closed. You are welcome to contact the studio."))


def first_class_intake_message() -> str:
    return _("Before your first group class we ask you to fill in the intake form once, so the teacher can guide you "
             "safely. It takes a few minutes, and every question but the consent is optional. Afterwards you come "
             "straight back to book.")


def needs_intake_first(*, client, policy: BookingPolicy) -> bool:
    """The studio's rule "an intake before a first group class" (`intake_before_first_group_class`): when
    it is on, a client who never had a place in a group class (none confirmed, past or coming) and has no
    intake with her consent on file (`intake_on_file`) fills in the intake first. It holds for every way
    she books herself: booking, joining the waitlist, taking an offered place, automatic booking. The
    teacher adding someone by hand at the studio (`by_staff`) is not held to it: she is there in person."""
    if not policy.intake_before_first_group_class or _had_a_group_class(client):
        return False
    return not intake_on_file(client=client)


def _had_a_group_class(client) -> bool:
    """A confirmed place in a group class of the timetable; a date of a programme the teacher put her in
    does not count (she has not booked a group class herself, and may never have filled in the intake)."""
    return Booking.objects.filter(client=client, status=Booking.Status.CONFIRMED, session__offering__kind=Offering.Kind.GROUP,
                                  session__programme_run__isnull=True).exists()


def require_intake_first(*, client, policy: BookingPolicy) -> None:
    """Refuse (`IntakeMissing`, which views answer by sending her to the intake form and back) while the
    rule above asks for an intake first."""
    if needs_intake_first(client=client, policy=policy):
        raise IntakeMissing(first_class_intake_message())


def booking_create(*, client, session: Session | int, pay_with: str, now=None, actor=None, by_staff=False, code="") -> Booking:
    """Take a place for `client`: with a class-card credit, a held place while paying online, or
    (when allowed) paying at the studio. One place per client per session; never more than capacity.
    A client booking herself may first be asked for her intake (`require_intake_first`). `code`: a
    discount code or gift voucher typed at checkout, for paying online only (PaymentError when unusable).
    `session`: the session or its pk; either way its row is read once, under its lock: an unknown pk
    raises `Session.DoesNotExist` (a 404 for views) before the choices are looked at."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    with transaction.atomic():
        session = places.lock_session(session.pk if isinstance(session, Session) else session)
        if not session.offering.is_shown and not by_staff:
            raise Session.DoesNotExist("a class not shown is not there for clients")  # as the pages show it: a 404
        if pay_with not in PaidWith.values or pay_with == PaidWith.PROGRAMME:
            raise BookingError(_("Please choose how you want to pay."))
        price_cuts.require_paying_online(code, paying_online=pay_with == PaidWith.STRIPE)
        check_bookable(session, now=now, policy=policy, by_staff=by_staff)
        if places.expired_holds_release_for(client, session, now) is not None:
            raise BookingError(_("You already have a place in this class."))
        if session.places_taken >= session.capacity:
            raise BookingError(_("This class is full. You can join the waitlist."))
        if not by_staff:
            require_intake_first(client=client, policy=policy)
        booking = Booking(client=client, session=session, paid_with=pay_with, created_at=now)
        settle(booking, session=session, policy=policy, now=now, by_staff=by_staff, code=code)
        places.take_place(session)
        record(booking, "booked_by_staff" if by_staff else "booked", actor=actor or client, now=now, note=booking.get_paid_with_display())
    if booking.is_confirmed:
        after_commit_confirmation(booking)
    return booking


def settle(booking: Booking, *, session, policy, now, by_staff, code="") -> None:
    """Fill in how a new (or claimed) booking pays, and save it. Paying online, `code` (a discount code
    or gift voucher) lowers the new payment at once."""
    offering = session.offering
    if booking.paid_with == PaidWith.CARD:
        card = cards.card_for_session(client=booking.client, session=session, now=now, lock=True)
        if card is None:
            raise BookingError(_("You have no valid class card with a class left for this style."))
        booking.card = card
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
        booking.hold_expires_at = None
        booking.save()
        cards.card_debit(card=card, booking=booking, now=now)
    elif booking.paid_with == PaidWith.STRIPE:
        booking.price_cents = offering.drop_in_price_cents
        booking.payment = records.payment_create(
            client=booking.client, purpose=DROP_IN, amount_cents=offering.drop_in_price_cents, now=now,
            vat_rate_percent=offering.vat_rate_percent, **records.described(lambda: drop_in_line(session)),
        )
        price_cuts.price_cut_apply(payment=booking.payment, code=code, client=booking.client, now=now)
        booking.status = Booking.Status.PENDING_PAYMENT
        booking.hold_expires_at = now + timedelta(minutes=policy.hold_minutes)
        booking.save()
    elif booking.paid_with == PaidWith.STUDIO:
        if not offering.allow_pay_at_studio and not by_staff:
            raise BookingError(_("For this class you can pay online or with a class card."))
        booking.price_cents = offering.drop_in_price_cents
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
        booking.hold_expires_at = None
        booking.save()
    elif booking.paid_with == PaidWith.MEMBERSHIP:
        allowance.membership_settle(booking, session=session, policy=policy, now=now)
    else:
        raise BookingError(_("Please choose how you want to pay."))


def after_commit_confirmation(booking: Booking) -> None:
    emails.send_booking_confirmed.delay_on_commit(booking.pk)


def booking_confirm_paid(*, booking_id: int, now=None) -> bool:
    """The drop-in's payment came in. Confirm the held place; if the hold ran out in the meantime,
    take a place again when there is one. Returns False when no place is left (the caller refunds).
    Runs inside the fulfilment transaction, which has locked the session, this booking and the payment."""
    now = now or timezone.now()
    booking = Booking.objects.get(pk=booking_id)
    session = places.lock_session(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booking.status == Booking.Status.CONFIRMED:
        return True
    if booking.status != Booking.Status.PENDING_PAYMENT:
        has_room = session.places_taken < session.capacity and not session.is_cancelled and session.starts_at > now
        already = Booking.objects.filter(client=booking.client, session=session).holding_a_place().exists()
        if not has_room or already:
            record(booking, "paid_without_place", now=now)
            return False
        places.take_place(session)
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.hold_expires_at = None
    booking.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    record(booking, "paid", now=now)
    after_commit_confirmation(booking)
    return True


@dataclass
class CancelOutcome:
    booking: Booking
    early: bool
    credit_returned: bool = False
    refund_cents: int = 0
    voucher_cents: int = 0  # what a gift voucher paid, back on the voucher
    studio_credit: bool = False


def cancellation_terms(booking: Booking, *, now=None, free=False) -> CancelOutcome:
    """What cancelling now would mean, to show the client before they confirm. `free`: the studio
    changed the class, so cancelling counts as in time whatever the window."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    early = free or now <= booking_free_until(booking, policy)
    outcome = CancelOutcome(booking=booking, early=early)
    if early and booking.status == Booking.Status.CONFIRMED:
        if booking.paid_with == PaidWith.CARD:
            outcome.credit_returned = True
        elif booking.paid_with == PaidWith.STRIPE and booking.payment and booking.payment.is_paid:
            if policy.drop_in_cancellation == BookingPolicy.DropInCancellation.CREDIT and not booking.payment.refunded_cents:
                outcome.studio_credit = True  # a payment already (partly) refunded by the studio gets the rest back instead
            else:
                outcome.refund_cents = booking.payment.refundable_cents
                outcome.voucher_cents = booking.payment.voucher_cents
    return outcome


def booking_cancel(*, booking: Booking, now=None, actor=None, after_change: int | None = None) -> CancelOutcome:
    """The client cancels. Early (before the studio's window): the credit or money comes back, or a
    studio credit, as the studio chose. Late: the place is freed but nothing is returned.

    `after_change`: the revision of a change of time, room or teacher the client was told about
    (bookings.group.changes); cancelling then counts as early whatever the window, as long as the
    class has not changed again since and has not started."""
    now = now or timezone.now()
    with transaction.atomic():
        session = places.lock_session(booking.session_id)
        if after_change is not None and session.revision != after_change:
            raise BookingError(_("This class has changed again since that email. Please use the link in the most recent email."))
        booking = Booking.objects.select_for_update(of=("self",)).select_related("payment", "session__offering").get(pk=booking.pk)
        if not booking.holds_a_place:
            raise BookingError(_("This booking is already cancelled."))
        way = ways_to_pay.way_for(booking.paid_with)
        if way is not None and way.client_cancel_refusal is not None:
            raise BookingError(way.client_cancel_refusal())
        if session.starts_at <= now:
            raise BookingError(_("This class has already started, so it can no longer be cancelled."))
        free = after_change is not None
        outcome = cancellation_terms(booking, now=now, free=free)
        was_pending = booking.status == Booking.Status.PENDING_PAYMENT
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.late_cancellation = not outcome.early
        booking.save(update_fields=["status", "cancelled_at", "late_cancellation"])
        places.free_place(session)
        if outcome.credit_returned:
            cards.card_return(booking=booking, now=now)
        if outcome.refund_cents:
            refunds.refund_create(payment=booking.payment, amount_cents=outcome.refund_cents, booking=booking,
                                  reason="cancelled after the class changed" if free else "cancelled in time",
                                  key=f"booking-{booking.pk}-cancel", actor=actor)
        if outcome.voucher_cents:
            price_cuts.voucher_part_back(booking.payment, now=now, reason="cancelled in time")
        if outcome.studio_credit:
            cards.studio_credit_issue(booking=booking, now=now)
        action = "cancelled_after_change" if free else "cancelled" if outcome.early else "cancelled_late"
        record(booking, action, actor=actor or booking.client, now=now)
        if was_pending and booking.payment:
            checkout.checkout_expire_after_commit(booking.payment)
        places.announce_freed(session.pk)
    emails.send_booking_cancelled.delay_on_commit(booking.pk)
    return outcome


def bookings_cancel_by_studio(*, session: Session, reason: str, now=None, actor=None) -> list[Booking]:
    """The studio cancelled the class: every booking ends, credits return, online payments are
    refunded in full, and everyone booked gets an email (the receiver clears the waitlist). Runs inside the
    cancelling transaction (the session row is locked); cancelling twice changes nothing more."""
    now = now or timezone.now()
    told = []
    for booking in Booking.objects.select_for_update(of=("self",)).filter(session=session).holding_a_place().select_related("payment"):
        was = booking.status
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by_studio = True
        booking.save(update_fields=["status", "cancelled_at", "cancelled_by_studio"])
        places.free_place(session)
        record(booking, "cancelled_by_studio", actor=actor, note=reason, now=now)
        if was == Booking.Status.PENDING_PAYMENT and booking.payment:
            checkout.checkout_expire_after_commit(booking.payment)
        if was != Booking.Status.CONFIRMED:
            continue
        way = ways_to_pay.way_for(booking.paid_with)
        if booking.paid_with == PaidWith.CARD:
            cards.card_return(booking=booking, now=now, reason="class cancelled by the studio")
        elif booking.paid_with == PaidWith.STRIPE and booking.payment and booking.payment.is_paid:
            if booking.payment.refundable_cents:
                refunds.refund_create(payment=booking.payment, amount_cents=booking.payment.refundable_cents, booking=booking,
                                      reason="class cancelled by the studio", key=f"booking-{booking.pk}-studio-cancel", actor=actor)
            price_cuts.voucher_part_back(booking.payment, now=now, reason="class cancelled by the studio")
        elif way is not None and way.on_studio_cancel is not None:
            way.on_studio_cancel(booking, actor, now=now)
        told.append(booking)
    for booking in told:  # news she did not ask for: kept out of quiet hours unless the class was before they end
        send_considerately(emails.send_booking_cancelled, booking.pk, now=now, about=session.starts_at)
    return told
