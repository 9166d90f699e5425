"""The waitlist from the client's side: joining (choosing automatic booking or not), her place in
line, leaving, and taking a place she was offered. What happens to a freed place is in
`waitlist_offers`."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pagecache

from .. import places
from ..errors import BookingError
from ..history import record
from ..models import Booking, BookingPolicy, WaitlistEntry
from . import cards, services

Status = WaitlistEntry.Status


def auto_book_refusal() -> str:
    return _("Automatic booking needs a class card with a class left for this style, valid on the day of the class.")


def waitlist_join(*, client, session, auto_book=False, now=None) -> WaitlistEntry:
    """Join the line. `auto_book`: when a place frees up, book her at once with her class card
    (only with a valid card for this class) instead of offering it."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    with transaction.atomic():
        session = places.lock_session(session.pk)
        services.check_bookable(session, now=now, policy=policy)
        if places.expired_holds_release_for(client, session, now) is not None:
            raise BookingError(_("You already have a place in this class."))
        if session.places_taken < session.capacity:
            raise BookingError(_("There is a place free in this class: you can book it right away."))
        if WaitlistEntry.objects.filter(client=client, session=session, status__in=["waiting", "offered"]).exists():
            raise BookingError(_("You are already on the waitlist for this class."))
        if auto_book and cards.card_for_session(client=client, session=session, now=now) is None:
            raise BookingError(auto_book_refusal())
        services.require_intake_first(client=client, policy=policy)  # asked now, not while an offer runs out
        return WaitlistEntry.objects.create(client=client, session=session, created_at=now, auto_book=auto_book)


def waitlist_auto_book_set(*, entry: WaitlistEntry, client, auto_book: bool, now=None) -> WaitlistEntry:
    """Switch automatic booking on or off while she waits."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().select_related("session__offering").get(pk=entry.pk)
        if entry.client_id != client.pk:
            raise BookingError(_("This waitlist place is not yours."))
        if entry.status != Status.WAITING:
            raise BookingError(_("You are no longer waiting for this class, so there is nothing to change."))
        if auto_book and cards.card_for_session(client=client, session=entry.session, now=now) is None:
            raise BookingError(auto_book_refusal())
        entry.auto_book = auto_book
        entry.save(update_fields=["auto_book"])
    return entry


def last_minute_place_open(entry: WaitlistEntry) -> bool:
    """She was told of a last-minute place and it has not gone yet: the first to claim it gets it."""
    return entry.status == Status.WAITING and entry.last_minute_offer_at is not None


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the first in line."""
    ahead = Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lte=entry.pk)
    return WaitlistEntry.objects.filter(ahead, session_id=entry.session_id, status=Status.WAITING).count()


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


def waitlist_claim(*, entry: WaitlistEntry, client, pay_with: str, now=None) -> Booking:
    """Take the offered place: with a card credit (confirmed at once), online (held while paying)
    or at the studio when allowed. A place held for her is hers until the offer runs out; a
    last-minute place goes to whoever claims it first."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    with transaction.atomic():
        session = places.lock_session(entry.session_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.client_id != client.pk:
            raise BookingError(_("This offer is not yours."))
        if entry.status == Status.WAITING:  # told of a last-minute place (or it has gone since)
            booking = _claim_last_minute(entry, session, client=client, pay_with=pay_with, policy=policy, now=now)
        else:
            booking = _claim_held(entry, session, client=client, pay_with=pay_with, policy=policy, now=now)
        entry.status, entry.offer = Status.CLAIMED, booking
        entry.save(update_fields=["status", "offer"])
    if booking.is_confirmed:
        services.after_commit_confirmation(booking)
    return booking


def _check_pay_with(pay_with: str) -> None:
    if pay_with not in (Booking.PaidWith.CARD, Booking.PaidWith.STRIPE, Booking.PaidWith.STUDIO, Booking.PaidWith.MEMBERSHIP):
        raise BookingError(_("Please choose how you want to pay."))


def _claim_held(entry, session, *, client, pay_with, policy, now) -> Booking:
    booking = Booking.objects.select_for_update().filter(pk=entry.offer_id).first()
    if entry.status != Status.OFFERED or booking is None or booking.status != Booking.Status.OFFERED:
        raise BookingError(_("This offer is no longer open; the place has gone to someone else or the time ran out."))
    if booking.hold_expires_at <= now:
        raise BookingError(_("This offer has run out; the place goes to the next person in line."))
    services.check_bookable(session, now=now, policy=policy)
    _check_pay_with(pay_with)
    services.require_intake_first(client=client, policy=policy)
    booking.paid_with = pay_with
    services.settle(booking, session=session, policy=policy, now=now, by_staff=False)
    record(booking, "claimed_offer", actor=client, now=now)
    return booking


def _claim_last_minute(entry, session, *, client, pay_with, policy, now) -> Booking:
    services.check_bookable(session, now=now, policy=policy)
    if places.expired_holds_release_for(client, session, now) is not None:
        raise BookingError(_("You already have a place in this class."))
    if not last_minute_place_open(entry) or session.places_taken >= session.capacity:
        raise BookingError(_("Someone else was just quicker: the place has gone. You stay on the waitlist, in the same place in line."))
    _check_pay_with(pay_with)
    services.require_intake_first(client=client, policy=policy)
    booking = Booking(client=client, session=session, paid_with=pay_with, created_at=now)
    services.settle(booking, session=session, policy=policy, now=now, by_staff=False)
    places.take_place(session)
    record(booking, "claimed_last_minute", actor=client, now=now, note=booking.get_paid_with_display())
    return booking


def waitlist_clear(*, session_id: int) -> int:
    """The class is cancelled: nobody waits any more."""
    waiting = WaitlistEntry.objects.filter(session_id=session_id, status__in=["waiting", "offered"])
    for client_id in waiting.values_list("client_id", flat=True):
        pagecache.person_changed(client_id)
    return waiting.update(status=WaitlistEntry.Status.CLEARED)
