"""Place accounting on a session. Every function here runs inside the caller's
transaction with the session row locked, so `places_taken` always equals the
number of bookings holding a place and never exceeds the capacity."""

from django.db.models import F
from django.utils import timezone

from classes.models import Session
from studio.pagecache import content_changed

from .models import Booking


def lock_session(session_id) -> Session:
    return Session.objects.select_for_update().get(pk=session_id)


def take_place(session: Session) -> None:
    Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + 1)
    session.places_taken += 1
    _changed(session)


def free_place(session: Session) -> None:
    Session.objects.filter(pk=session.pk, places_taken__gt=0).update(places_taken=F("places_taken") - 1)
    session.places_taken = max(session.places_taken - 1, 0)
    _changed(session)


def _changed(session: Session) -> None:
    content_changed()  # public pages show places left: they must not be served from the cache


def release_expired_holds(session: Session, now=None) -> list[Booking]:
    """Unpaid holds and unclaimed waitlist offers whose time ran out give their place back."""
    now = now or timezone.now()
    expired = list(
        Booking.objects.select_for_update()
        .filter(session=session, status__in=[Booking.Status.PENDING_PAYMENT, Booking.Status.OFFERED], hold_expires_at__lte=now)
    )
    for booking in expired:
        booking.status = Booking.Status.RELEASED
        booking.save(update_fields=["status"])
        booking.events.create(action="released", note="hold or offer ran out")
        free_place(session)
    return expired
