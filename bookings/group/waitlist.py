"""The waitlist: a freed place is offered to the first in line, for a limited time."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pagecache

from .. import places
from ..errors import BookingError
from ..history import record
from ..models import Booking, BookingPolicy, WaitlistEntry
from ..policy import booking_closes_at
from . import emails, services


def waitlist_join(*, client, session, now=None) -> WaitlistEntry:
    now = now or timezone.now()
    policy = BookingPolicy.current()
    with transaction.atomic():
        session = places.lock_session(session.pk)
        services.check_bookable(session, now=now, policy=policy)
        places.expired_holds_release(session, now)
        if Booking.objects.filter(client=client, session=session).holding_a_place().exists():
            raise BookingError(_("You already have a place in this class."))
        if session.places_taken < session.capacity:
            raise BookingError(_("There is a place free in this class: you can book it right away."))
        if WaitlistEntry.objects.filter(client=client, session=session, status__in=["waiting", "offered"]).exists():
            raise BookingError(_("You are already on the waitlist for this class."))
        return WaitlistEntry.objects.create(client=client, session=session, created_at=now)


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the first in line."""
    ahead = Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lte=entry.pk)
    return WaitlistEntry.objects.filter(ahead, session_id=entry.session_id, status=WaitlistEntry.Status.WAITING).count()


def waitlist_leave(*, entry: WaitlistEntry, now=None) -> None:
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == WaitlistEntry.Status.OFFERED and entry.offer_id:
            offer_id = entry.offer_id
            transaction.on_commit(lambda: places.held_place_release(booking_id=offer_id, reason="left the waitlist"))
        elif entry.status != WaitlistEntry.Status.WAITING:
            raise BookingError(_("You are no longer on this waitlist."))
        entry.status = WaitlistEntry.Status.LEFT
        entry.save(update_fields=["status"])


def offer_freed_places(*, session_id: int, now=None) -> list[WaitlistEntry]:
    """Offer every free place to the next in line; each offer holds the place until it runs out
    (never past the moment booking closes). Safe to run any number of times."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    offered = []
    with transaction.atomic():
        session = places.lock_session(session_id)
        for expired in places.expired_holds_release(session, now):
            ran_out = WaitlistEntry.objects.filter(offer=expired, status=WaitlistEntry.Status.OFFERED)
            for client_id in ran_out.values_list("client_id", flat=True):
                pagecache.person_changed(client_id)
            ran_out.update(status=WaitlistEntry.Status.EXPIRED)
        closes = booking_closes_at(session, policy)
        if session.is_cancelled or now >= closes:
            return offered
        queue = WaitlistEntry.objects.select_for_update().filter(session=session, status=WaitlistEntry.Status.WAITING).order_by("created_at", "pk")
        for entry in queue:
            if session.places_taken >= session.capacity:
                break
            if Booking.objects.filter(client_id=entry.client_id, session=session).holding_a_place().exists():
                entry.status = WaitlistEntry.Status.CLAIMED
                entry.save(update_fields=["status"])
                continue
            expires = min(now + timedelta(minutes=policy.waitlist_offer_minutes), closes)
            booking = Booking.objects.create(client_id=entry.client_id, session=session, status=Booking.Status.OFFERED,
                                             paid_with="", hold_expires_at=expires, created_at=now)
            places.take_place(session)
            record(booking, "offered_from_waitlist", now=now)
            entry.status, entry.offer, entry.offered_at, entry.offer_expires_at = WaitlistEntry.Status.OFFERED, booking, now, expires
            entry.save(update_fields=["status", "offer", "offered_at", "offer_expires_at"])
            offered.append(entry)
    for entry in offered:
        emails.send_waitlist_offer.delay_on_commit(entry.pk)
    return offered


@shared_task(name="bookings.tasks.offer_freed_places", acks_late=True)
def offer_freed_places_task(session_id):
    offer_freed_places(session_id=session_id)


def waitlist_claim(*, entry: WaitlistEntry, client, pay_with: str, now=None) -> Booking:
    """Take the offered place: with a card credit (confirmed at once), online (held while paying)
    or at the studio when allowed."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    with transaction.atomic():
        session = places.lock_session(entry.session_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.client_id != client.pk:
            raise BookingError(_("This offer is not yours."))
        booking = Booking.objects.select_for_update().filter(pk=entry.offer_id).first()
        if entry.status != WaitlistEntry.Status.OFFERED or booking is None or booking.status != Booking.Status.OFFERED:
            raise BookingError(_("This offer is no longer open; the place has gone to someone else or the time ran out."))
        if booking.hold_expires_at <= now:
            raise BookingError(_("This offer has run out; the place goes to the next person in line."))
        services.check_bookable(session, now=now, policy=policy)
        if pay_with not in (Booking.PaidWith.CARD, Booking.PaidWith.STRIPE, Booking.PaidWith.STUDIO):
            raise BookingError(_("Please choose how you want to pay."))
        booking.paid_with = pay_with
        services.settle(booking, session=session, policy=policy, now=now, by_staff=False)
        entry.status = WaitlistEntry.Status.CLAIMED
        entry.save(update_fields=["status"])
        record(booking, "claimed_offer", actor=client, now=now)
    if booking.is_confirmed:
        services.after_commit_confirmation(booking)
    return booking


def waitlist_clear(*, session_id: int) -> int:
    """The class is cancelled: nobody waits any more."""
    waiting = WaitlistEntry.objects.filter(session_id=session_id, status__in=["waiting", "offered"])
    for client_id in waiting.values_list("client_id", flat=True):
        pagecache.person_changed(client_id)
    return waiting.update(status=WaitlistEntry.Status.CLEARED)
