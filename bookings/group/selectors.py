"""Reads for the booking pages: what a client sees, in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import euros

from ..errors import BookingError
from ..memberships import allowance
from ..models import Booking, BookingPolicy, ClassCard, CreditEntry, Payment, WaitlistEntry
from ..policy import booking_closes_at, booking_free_until, free_cancellation_until, rules_for_clients
from ..quiet_hours import QuietHours
from . import cards, services, terms
from .waitlist import last_minute_place_open, waitlist_position


def booking_options(*, client, session, now=None) -> dict:
    """Everything the 'join this class' page needs for one client and session."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    existing = Booking.objects.filter(client=client, session=session).holding_a_place().select_related("payment").first()
    entry = WaitlistEntry.objects.filter(client=client, session=session, status__in=["waiting", "offered"]).first()
    card = cards.card_for_session(client=client, session=session, now=now)
    closed_reason = None
    try:
        services.check_bookable(session, now=now, policy=policy)
    except BookingError as error:
        closed_reason = str(error)
    return {
        "session": session,
        "offering": session.offering,
        "existing": existing,
        "waitlist_entry": entry,
        "waitlist_position": waitlist_position(entry) if entry and entry.status == WaitlistEntry.Status.WAITING else None,
        "card": card,
        "card_balance": cards.card_balance(card) if card else 0,
        "closed_reason": closed_reason,
        "is_full": session.places_taken >= session.capacity,
        "policy": policy,
        # until when cancelling is free, before she chose how to pay (said as past when booking inside the window)
        "cancel_terms": terms.cancel_terms(paid_with=None, free_until=free_cancellation_until(session, policy), now=now, policy=policy),
        "hold_minutes": policy.hold_minutes,
        "quiet": QuietHours.of(policy),
        "intake_first": not existing and not closed_reason and services.needs_intake_first(client=client, policy=policy),
        "rules": rules_for_clients(policy),
        "membership_option": allowance.booking_option(client=client, session=session, now=now, policy=policy),
    }


def waitlist_page(*, entry: WaitlistEntry, client, now=None) -> dict:
    """Her place on one waitlist: where she is in line, automatic booking, quiet hours, and a place
    to take when one is offered to her (held for her, or last-minute for whoever is first)."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    session = entry.session
    card = cards.card_for_session(client=client, session=session, now=now)
    held = entry.status == WaitlistEntry.Status.OFFERED and entry.offer_expires_at and entry.offer_expires_at > now
    last_minute = (last_minute_place_open(entry) and session.places_taken < session.capacity
                   and now < booking_closes_at(session, policy) and not session.is_cancelled)
    return {
        "entry": entry, "session": session, "card": card, "policy": policy, "quiet": QuietHours.of(policy),
        "is_open": bool(held or last_minute), "last_minute": last_minute,
        "position": waitlist_position(entry) if entry.status == WaitlistEntry.Status.WAITING else None,
        "card_balance": cards.card_balance(card) if card else 0,
        "membership_option": allowance.booking_option(client=client, session=session, now=now, policy=policy),
    }


def cancel_message(outcome) -> str:
    if outcome.credit_returned:
        return _("Your booking is cancelled and the class is back on your class card.")
    if outcome.refund_cents:
        return _("Your booking is cancelled. The refund of %(amount)s is on its way; it usually arrives within a few days.") % {
            "amount": euros(outcome.refund_cents)}
    if outcome.studio_credit:
        return _("Your booking is cancelled. You received a studio credit for another class.")
    if outcome.early:
        return _("Your booking is cancelled.")
    return _("Your booking is cancelled and your place is free for someone else. Because it was close to the start, nothing is returned.")


def my_bookings(*, client, now=None) -> dict:
    now = now or timezone.now()
    bookings = Booking.objects.filter(client=client).for_listing()
    upcoming = list(bookings.filter(session__starts_at__gte=now, status__in=["offered", "pending_payment", "confirmed", "cancelled"])
                    .order_by("session__starts_at"))
    past = list(bookings.filter(session__starts_at__lt=now, status__in=["confirmed", "cancelled"]).order_by("-session__starts_at")[:30])
    class_cards = list(
        ClassCard.objects.filter(client=client).select_related("card_type").with_balance()
        .prefetch_related(Prefetch("entries", queryset=CreditEntry.objects.select_related("booking__session__offering")))
        .order_by("-expires_at")
    )
    waiting = list(WaitlistEntry.objects.filter(client=client, status__in=["waiting", "offered"], session__starts_at__gte=now)
                   .select_related("session__offering", "session__teacher__user", "session__room"))
    payments = list(Payment.objects.filter(client=client).exclude(status__in=["pending", "expired"]).order_by("-created_at")[:50])
    policy = BookingPolicy.current()
    for booking in upcoming:
        booking.free_until = booking_free_until(booking, policy)
        booking.cancel_is_free = now <= booking.free_until
    return {"upcoming": upcoming, "past": past, "cards": class_cards, "waiting": waiting, "payments": payments, "now": now,
            "credits_total": sum(c.balance for c in class_cards if not c.is_expired(now))}
