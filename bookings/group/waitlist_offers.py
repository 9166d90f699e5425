"""What happens to a freed place when people are waiting for it (run after every freed place, and
by the minute job for offers that ran out).

The line is kept in the order people joined. The first in line who chose automatic booking (and
still has a valid class card) is booked at once with a credit; anyone else first in line is offered
the place, held for her for the studio's offer time, counted only outside quiet hours and never past
the moment booking closes.

Last-minute (within the studio's window before class): the place goes to the first automatic booker
in line, wherever she stands; if there is none it is offered to everyone waiting at once, and the
first to claim it gets it (`waitlist.waitlist_claim`); when the class is full again the others are
told it has gone and stay in line.

Everyone is told outside quiet hours, or at once when the class starts before they end. All of it
under the session's row lock, like any place-taking.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from core import pagecache

from .. import places
from ..history import record
from ..models import Booking, BookingPolicy, WaitlistEntry
from ..policy import booking_closes_at
from ..quiet_hours import QuietHours, kept_withdraw, send_considerately
from . import cards, emails, services

Status = WaitlistEntry.Status


@dataclass
class FreedPlaces:
    """What one round did: places booked automatically, places held as offers, people told of a last-minute place."""

    booked: list[Booking] = field(default_factory=list)
    offered: list[WaitlistEntry] = field(default_factory=list)
    told: list[WaitlistEntry] = field(default_factory=list)


def is_last_minute(session, policy: BookingPolicy, now) -> bool:
    return bool(policy.last_minute_hours) and now >= session.starts_at - timedelta(hours=policy.last_minute_hours)


def offer_freed_places(*, session_id: int, now=None) -> FreedPlaces:
    """Give every free place on this session to the waitlist, as the module says. Safe to run any
    number of times, and at once from several processes (the session row is the lock)."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    quiet = QuietHours.of(policy)
    done = FreedPlaces()
    with transaction.atomic():
        session = places.lock_session(session_id)
        _expired_offers_end(session, now)
        closes = booking_closes_at(session, policy)
        if session.is_cancelled or now >= closes:
            return done
        last_minute = is_last_minute(session, policy, now)
        held_until = min(quiet.awake_after(now, timedelta(minutes=policy.waitlist_offer_minutes)), closes)
        queue = (WaitlistEntry.objects.select_for_update(of=("self",)).select_related("client")
                 .filter(session=session, status=Status.WAITING).order_by("created_at", "pk"))
        for entry in queue:
            if session.places_taken >= session.capacity:
                break
            if Booking.objects.filter(client_id=entry.client_id, session=session).holding_a_place().exists():
                entry.status = Status.CLAIMED
                entry.save(update_fields=["status"])
                continue
            if entry.auto_book:
                booking = _book_automatically(entry, session, policy=policy, quiet=quiet, now=now)
                if booking is not None:
                    done.booked.append(booking)
                    continue
            if not last_minute:
                done.offered.append(_hold_for(entry, session, expires=held_until, now=now))
        if last_minute and session.places_taken < session.capacity:
            done.told = _tell_everyone_waiting(session, now=now)
        # Queued in the same transaction, so a round never commits without its messages. An offer that
        # runs out (or a class that closes) before quiet hours end is news now.
        for booking in done.booked:
            send_considerately(emails.send_booking_confirmed, booking.pk, now=now, about=session.starts_at, policy=policy)
        for entry in done.offered:
            send_considerately(emails.send_waitlist_offer, entry.pk, now=now, about=entry.offer_expires_at, policy=policy)
        for entry in done.told:
            send_considerately(emails.send_last_minute_place, entry.pk, now=now, about=closes, policy=policy)
    return done


# A deadlock with another round (two classes booking the same clients' cards in opposite order) is
# retried: PostgreSQL aborts one of them, and the place must not be lost.
@shared_task(name="bookings.tasks.offer_freed_places", acks_late=True, autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=5)
def offer_freed_places_task(session_id):
    offer_freed_places(session_id=session_id)


def _expired_offers_end(session, now) -> None:
    for expired in places.expired_holds_release(session, now):
        ran_out = WaitlistEntry.objects.filter(offer=expired, status=Status.OFFERED)
        for client_id in ran_out.values_list("client_id", flat=True):
            pagecache.person_changed(client_id)
        ran_out.update(status=Status.EXPIRED)


def _book_automatically(entry: WaitlistEntry, session, *, policy, quiet, now) -> Booking | None:
    """Book her with a class-card credit (locked, debited once), or None when she has no valid
    credit any more (then she is offered the place like anyone). She may cancel free of charge for
    the studio's hours after being told, quiet hours not counted, whatever the usual window."""
    if cards.card_for_session(client=entry.client, session=session, now=now, lock=True) is None:  # locked: nobody spends it meanwhile
        return None
    if services.needs_intake_first(client=entry.client, policy=policy):
        return None  # her first class and no intake yet: offered instead, and asked for it when she takes the place
    told_until = quiet.awake_after(now, timedelta(hours=policy.auto_booked_cancel_hours))
    booking = Booking(client=entry.client, session=session, paid_with=Booking.PaidWith.CARD, created_at=now,
                      free_cancel_until=min(told_until, session.starts_at))
    services.settle(booking, session=session, policy=policy, now=now, by_staff=False)
    places.take_place(session)
    record(booking, "booked_from_waitlist", now=now, note=booking.get_paid_with_display())
    entry.status, entry.offer = Status.CLAIMED, booking
    entry.save(update_fields=["status", "offer"])
    return booking


def _hold_for(entry: WaitlistEntry, session, *, expires, now) -> WaitlistEntry:
    booking = Booking.objects.create(client_id=entry.client_id, session=session, status=Booking.Status.OFFERED,
                                     paid_with="", hold_expires_at=expires, created_at=now)
    places.take_place(session)
    record(booking, "offered_from_waitlist", now=now)
    entry.status, entry.offer, entry.offered_at, entry.offer_expires_at = Status.OFFERED, booking, now, expires
    entry.save(update_fields=["status", "offer", "offered_at", "offer_expires_at"])
    return entry


def _tell_everyone_waiting(session, *, now) -> list[WaitlistEntry]:
    """A last-minute place nobody was booked into: everyone waiting (not yet told) may claim it."""
    booked = Booking.objects.filter(session=session).holding_a_place().values("client_id")
    told = list(WaitlistEntry.objects.select_for_update(of=("self",))
                .filter(session=session, status=Status.WAITING, last_minute_offer_at__isnull=True)
                .exclude(client_id__in=booked).order_by("created_at", "pk"))
    WaitlistEntry.objects.filter(pk__in=[entry.pk for entry in told]).update(last_minute_offer_at=now)
    for entry in told:
        entry.last_minute_offer_at = now
        pagecache.person_changed(entry.client_id)
    return told


def last_minute_places_gone(*, session_id: int, now=None) -> list[WaitlistEntry]:
    """The class filled up (run after that commit): whoever was told of a last-minute place hears it
    has gone and stays in line for the next one. Someone whose own "a place is free" email is still
    kept for the morning is not told anything (that email is taken back); someone who has a place
    after all (added by the teacher, say) leaves the line."""
    now = now or timezone.now()
    gone = []
    with transaction.atomic():
        session = places.lock_session(session_id)
        if session.places_taken < session.capacity:
            return gone
        told = list(WaitlistEntry.objects.select_for_update(of=("self",))
                    .filter(session_id=session_id, status=Status.WAITING, last_minute_offer_at__isnull=False))
        booked = set(Booking.objects.filter(session=session).holding_a_place().values_list("client_id", flat=True))
        for entry in told:
            pagecache.person_changed(entry.client_id)
            if entry.client_id in booked:
                entry.status = Status.CLAIMED
            elif not kept_withdraw(emails.send_last_minute_place, entry.pk):
                gone.append(entry)
            entry.last_minute_offer_at = None
            entry.save(update_fields=["status", "last_minute_offer_at"])
        for entry in gone:
            send_considerately(emails.send_last_minute_gone, entry.pk, now=now, about=booking_closes_at(session, BookingPolicy.current()))
    return gone


@shared_task(name="bookings.tasks.last_minute_places_gone", acks_late=True)
def last_minute_places_gone_task(session_id):
    last_minute_places_gone(session_id=session_id)
