"""Place accounting on a session. `places_taken` always equals the number of bookings holding a
place and never exceeds the capacity: it changes only here, inside the caller's transaction, with
the session row locked first.

The lock rule of all of bookings: the owner row first (the session, or the teacher for a
one-to-one; several sessions in pk order), then the booking or enrolment, then the payment.
"""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from classes.models import Session
from core.pagecache import content_changed

from . import history
from .models import Booking
from .models.booking import PLACE_HOLDING
from .signals import place_freed, session_filled

HELD = (Booking.Status.PENDING_PAYMENT, Booking.Status.OFFERED)


def lock_session(session_id) -> Session:
    """The session row, locked until the transaction ends (its offering read with it, not locked)."""
    return Session.objects.select_for_update(of=("self",)).select_related("offering").get(pk=session_id)


def lock_sessions(session_ids) -> list[Session]:
    """Several sessions in one fixed order (by pk), so two transactions never wait on each other in a circle."""
    return [lock_session(pk) for pk in sorted(set(session_ids))]


def take_place(session: Session) -> None:
    Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + 1)
    session.places_taken += 1
    content_changed()  # public pages show places left: they must not be served from the cache
    if session.places_taken >= session.capacity:
        session_filled.send(sender=Session, session=session)


def free_place(session: Session) -> None:
    Session.objects.filter(pk=session.pk, places_taken__gt=0).update(places_taken=F("places_taken") - 1)
    session.places_taken = max(session.places_taken - 1, 0)
    content_changed()


def announce_freed(session_id: int) -> None:
    """Tell whoever cares (the waitlist) that a place on this session is free again."""
    place_freed.send(sender=Session, session_id=session_id)


def expired_holds_release(session: Session, now=None) -> list[Booking]:
    """Unpaid holds and unclaimed waitlist offers on this (locked) session whose time ran out give
    their place back. The caller decides what happens to the freed places."""
    now = now or timezone.now()
    expired = list(Booking.objects.select_for_update().filter(session=session, status__in=HELD, hold_expires_at__lte=now))
    _release(session, expired, now)
    return expired


def expired_holds_release_for(client, session: Session, now) -> Booking | None:
    """`expired_holds_release` for a client about to take a place on this (locked) session, with her
    own place on it looked for in the same locked read: returns her booking that still holds a place
    (her hold that ran out is released like any other), or None."""
    rows = list(Booking.objects.select_for_update().filter(session=session).filter(
        Q(status__in=HELD, hold_expires_at__lte=now) | Q(client=client, status__in=PLACE_HOLDING)).order_by("pk"))
    expired = [b for b in rows if b.status in HELD and b.hold_expires_at is not None and b.hold_expires_at <= now]
    _release(session, expired, now)
    return next((b for b in rows if b.client_id == client.pk and b.status in PLACE_HOLDING), None)


def _release(session: Session, expired: list[Booking], now) -> None:
    for booking in expired:
        booking.status = Booking.Status.RELEASED
        booking.save(update_fields=["status"])
        history.record(booking, "released", note="hold or offer ran out", now=now)
        free_place(session)


def held_place_release(*, booking_id: int, now=None, reason="payment not completed") -> bool:
    """A place held for a payment (or offered from the waitlist) will not be taken: it goes back,
    and on to the waitlist. Returns whether anything was released."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.get(pk=booking_id)
        session = lock_session(booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status not in HELD:
            return False
        booking.status = Booking.Status.RELEASED
        booking.save(update_fields=["status"])
        free_place(session)
        history.record(booking, "released", note=reason, now=now)
        announce_freed(session.pk)
    return True
