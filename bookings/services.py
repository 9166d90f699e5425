"""Booking a place and giving it back: the rules in one place, called by views,
admin actions, tasks and the Stripe webhook alike."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import Session

from . import cards, places
from .errors import BookingError
from .models import Booking, BookingPolicy, Payment

PaidWith = Booking.PaidWith


def booking_closes_at(session: Session, policy: BookingPolicy):
    return session.starts_at - timedelta(minutes=policy.booking_closes_minutes)


def free_cancellation_until(session: Session, policy: BookingPolicy):
    return session.starts_at - timedelta(hours=policy.cancel_window_hours)


def check_bookable(session: Session, *, now, policy: BookingPolicy, by_staff=False) -> None:
    """Refuse a session that cannot be booked, with the reason in plain words."""
    if not session.offering.is_shown and not by_staff:
        raise BookingError(_("This class cannot be booked."))
    if session.is_cancelled:
        raise BookingError(_("This class has been cancelled, so it cannot be booked."))
    if session.is_programme_date:
        raise BookingError(_("This date is part of a programme followed in a group; it is booked together with the other dates."))
    if session.starts_at <= now:
        raise BookingError(_("This class has already started or taken place."))
    if now >= booking_closes_at(session, policy) and not by_staff:
        raise BookingError(_("Online booking for this class has closed. You are welcome to contact the studio."))


def record(booking: Booking, action: str, *, actor=None, note="", now=None) -> None:
    booking.events.create(action=action, actor=actor, note=note, created_at=now or timezone.now())


def booking_create(*, client, session: Session, pay_with: str, now=None, actor=None, by_staff=False) -> Booking:
    """Take a place for `client`: with a class-card credit, a held place while paying online, or
    (when allowed) paying at the studio. One place per client per session; never more than capacity."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    if pay_with not in PaidWith.values or pay_with == PaidWith.PROGRAMME:
        raise BookingError(_("Please choose how you want to pay."))
    with transaction.atomic():
        session = places.lock_session(session.pk)
        check_bookable(session, now=now, policy=policy, by_staff=by_staff)
        places.release_expired_holds(session, now)
        if Booking.objects.filter(client=client, session=session).holding_a_place().exists():
            raise BookingError(_("You already have a place in this class."))
        if session.places_taken >= session.capacity:
            raise BookingError(_("This class is full. You can join the waitlist."))
        booking = Booking(client=client, session=session, paid_with=pay_with, created_at=now)
        settle(booking, session=session, policy=policy, now=now, by_staff=by_staff)
        places.take_place(session)
        record(booking, "booked_by_staff" if by_staff else "booked", actor=actor or client, now=now, note=booking.get_paid_with_display())
    if booking.is_confirmed:
        after_commit_confirmation(booking)
    return booking


def settle(booking: Booking, *, session, policy, now, by_staff) -> None:
    """Fill in how a new (or claimed) booking pays, and save it."""
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
        booking.payment = Payment.objects.create(
            client=booking.client, purpose=Payment.Purpose.DROP_IN, amount_cents=offering.drop_in_price_cents,
            vat_rate_percent=policy.vat_rate_percent, created_at=now,
            description=f"{offering.name_nl} {timezone.localtime(session.starts_at):%d-%m-%Y %H:%M}",
        )
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
    else:
        raise BookingError(_("Please choose how you want to pay."))


def after_commit_confirmation(booking: Booking) -> None:
    from .tasks import send_booking_confirmed

    transaction.on_commit(lambda: send_booking_confirmed.delay(booking.pk))


def booking_confirm_paid(*, booking_id: int, now=None) -> bool:
    """The drop-in's payment came in. Confirm the held place; if the hold ran out in the meantime,
    take a place again when there is one. Returns False when no place is left (the caller refunds).
    Runs inside the caller's transaction with the payment row locked."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("session").get(pk=booking_id)
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


def booking_release_unpaid(*, booking_id: int, now=None, reason="payment not completed") -> bool:
    """An online payment failed or expired: the held place goes back (and to the waitlist)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.get(pk=booking_id)
        session = places.lock_session(booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status not in (Booking.Status.PENDING_PAYMENT, Booking.Status.OFFERED):
            return False
        booking.status = Booking.Status.RELEASED
        booking.save(update_fields=["status"])
        places.free_place(session)
        record(booking, "released", note=reason, now=now)
    after_commit_place_freed(booking.session_id)
    return True


def after_commit_place_freed(session_id: int) -> None:
    from .tasks import offer_freed_places

    transaction.on_commit(lambda: offer_freed_places.delay(session_id))


@dataclass
class CancelOutcome:
    booking: Booking
    early: bool
    credit_returned: bool = False
    refund_cents: int = 0
    studio_credit: bool = False


def cancellation_terms(booking: Booking, *, now=None) -> CancelOutcome:
    """What cancelling now would mean, to show the client before they confirm."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    early = now <= free_cancellation_until(booking.session, policy)
    outcome = CancelOutcome(booking=booking, early=early)
    if early and booking.status == Booking.Status.CONFIRMED:
        if booking.paid_with == PaidWith.CARD:
            outcome.credit_returned = True
        elif booking.paid_with == PaidWith.STRIPE and booking.payment and booking.payment.is_paid:
            if policy.drop_in_cancellation == BookingPolicy.DropInCancellation.CREDIT:
                outcome.studio_credit = True
            else:
                outcome.refund_cents = booking.payment.refundable_cents
    return outcome


def booking_cancel(*, booking: Booking, now=None, actor=None) -> CancelOutcome:
    """The client cancels. Early (before the studio's window): the credit or money comes back, or a
    studio credit, as the studio chose. Late: the place is freed but nothing is returned."""
    from . import payments

    now = now or timezone.now()
    with transaction.atomic():
        session = places.lock_session(booking.session_id)
        booking = Booking.objects.select_for_update(of=("self",)).select_related("payment", "session__offering").get(pk=booking.pk)
        if not booking.holds_a_place:
            raise BookingError(_("This booking is already cancelled."))
        if booking.paid_with == PaidWith.PROGRAMME:
            raise BookingError(_("This date is part of your programme. You can cancel the programme as a whole on its page."))
        if session.starts_at <= now:
            raise BookingError(_("This class has already started, so it can no longer be cancelled."))
        outcome = cancellation_terms(booking, now=now)
        was_pending = booking.status == Booking.Status.PENDING_PAYMENT
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.late_cancellation = not outcome.early
        booking.save(update_fields=["status", "cancelled_at", "late_cancellation"])
        places.free_place(session)
        if outcome.credit_returned:
            cards.card_return(booking=booking, now=now)
        if outcome.refund_cents:
            payments.refund_create(payment=booking.payment, amount_cents=outcome.refund_cents, booking=booking,
                                   reason="cancelled in time", key=f"booking-{booking.pk}-cancel", actor=actor)
        if outcome.studio_credit:
            payments.studio_credit_issue(booking=booking, now=now)
        record(booking, "cancelled" if outcome.early else "cancelled_late", actor=actor or booking.client, now=now)
        if was_pending and booking.payment and booking.payment.stripe_checkout_id:
            payments.checkout_expire_after_commit(booking.payment)
    from .tasks import send_booking_cancelled

    transaction.on_commit(lambda: send_booking_cancelled.delay(booking.pk))
    after_commit_place_freed(session.pk)
    return outcome


def bookings_cancel_by_studio(*, session: Session, reason: str, now=None, actor=None) -> list[Booking]:
    """The studio cancelled the class: every booking ends, credits return, online payments are
    refunded in full, the waitlist is cleared and everyone booked gets an email. Runs inside the
    cancelling transaction (the session row is locked); cancelling twice changes nothing more."""
    from . import payments, waitlist
    from .tasks import send_booking_cancelled

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
        if was == Booking.Status.PENDING_PAYMENT and booking.payment and booking.payment.stripe_checkout_id:
            payments.checkout_expire_after_commit(booking.payment)
        if was != Booking.Status.CONFIRMED:
            continue
        if booking.paid_with == PaidWith.CARD:
            cards.card_return(booking=booking, now=now, reason="class cancelled by the studio")
        elif booking.paid_with == PaidWith.STRIPE and booking.payment and booking.payment.refundable_cents:
            payments.refund_create(payment=booking.payment, amount_cents=booking.payment.refundable_cents, booking=booking,
                                   reason="class cancelled by the studio", key=f"booking-{booking.pk}-studio-cancel", actor=actor)
        elif booking.paid_with == PaidWith.PROGRAMME:
            from .programmes import date_cancelled_by_studio

            date_cancelled_by_studio(booking=booking, actor=actor)
        told.append(booking)
    waitlist.waitlist_clear(session_id=session.pk)
    for booking in told:
        transaction.on_commit(lambda pk=booking.pk: send_booking_cancelled.delay(pk))
    return told
