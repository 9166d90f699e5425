"""The group classes' periodic work (run by the tasks in bookings/tasks.py): releasing holds,
reminders, class-card expiry. Each job is safe to run twice at once: rows are claimed with SKIP
LOCKED and marked."""

from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from classes.models import Session

from ..models import Booking, BookingPolicy, ClassCard, Payment, WaitlistEntry
from ..payments import checkout
from ..quiet_hours import QuietHours
from . import cards, emails, waitlist_offers

BATCH = 500


def expired_holds_release(*, now) -> int:
    """Free the places of unpaid holds and unclaimed offers whose time ran out, close their
    Checkout at Stripe, and offer the places (and any other free place someone waits for) to the
    waitlist. Returns how many sessions it touched."""
    expired = Booking.objects.filter(status__in=[Booking.Status.PENDING_PAYMENT, Booking.Status.OFFERED], hold_expires_at__lte=now)
    session_ids = set(expired.values_list("session_id", flat=True))
    # A free place with people waiting and nobody told (a round that failed, say) is offered again,
    # while booking is open.
    still_open = now + timedelta(minutes=BookingPolicy.current().booking_closes_minutes)
    session_ids |= set(Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=still_open, places_taken__lt=F("capacity"),
        waitlist__status=WaitlistEntry.Status.WAITING, waitlist__last_minute_offer_at__isnull=True,
    ).values_list("pk", flat=True).distinct())
    payment_ids = list(expired.filter(payment__stripe_checkout_id__isnull=False).values_list("payment_id", flat=True))
    for session_id in session_ids:
        waitlist_offers.offer_freed_places(session_id=session_id, now=now)
    for payment in Payment.objects.filter(pk__in=payment_ids, status=Payment.Status.PENDING):
        with transaction.atomic():
            checkout.checkout_expire_after_commit(payment)
    return len(session_ids)


def reminders_send(*, now) -> int:
    """Remind each confirmed client once, some hours before class (the studio sets how many); a
    reminder that would fall in quiet hours goes the evening before, just before they begin."""
    policy = BookingPolicy.current()
    quiet = QuietHours.of(policy)
    coming = Booking.objects.confirmed().filter(
        reminder_sent_at__isnull=True, session__status=Session.Status.SCHEDULED,
        session__starts_at__gt=now, session__starts_at__lte=now + timedelta(hours=policy.reminder_hours) + quiet.reach)
    starts = quiet.reminders_due(coming.values_list("session__starts_at", flat=True).distinct(), now=now, hours=policy.reminder_hours)
    due = coming.filter(session__starts_at__in=starts).order_by("pk")
    sent = 0
    connection = get_connection()
    while True:
        with transaction.atomic():
            batch = list(due.select_for_update(skip_locked=True, of=("self",)).select_related(
                "client", "session__offering", "session__teacher__user", "session__room")[:BATCH])
            if not batch:
                break
            connection.send_messages(emails.reminder_messages(batch))
            Booking.objects.filter(pk__in=[b.pk for b in batch]).update(reminder_sent_at=now)
            sent += len(batch)
    return sent


def cards_daily(*, now) -> dict:
    """Warn once about cards expiring soon that still have classes (not in quiet hours: the next run
    after them does it); write off expired ones."""
    policy = BookingPolicy.current()
    warned = 0
    if not QuietHours.of(policy).may_send(now):
        return {"warned": 0, "expired": cards.cards_expire(now=now)}
    soon = (ClassCard.objects.filter(expiry_warning_sent_at__isnull=True, expires_at__gt=now,
                                     expires_at__lte=now + timedelta(days=policy.card_expiry_warning_days))
            .annotate(left=Coalesce(Sum("entries__delta"), 0)).filter(left__gt=0))
    left = {card.pk: card.left for card in soon}
    connection = get_connection()
    with transaction.atomic():
        batch = list(ClassCard.objects.filter(pk__in=list(left)).select_for_update(skip_locked=True, of=("self",)).select_related("client", "card_type"))
        if batch:
            connection.send_messages([emails.card_expiring_message(card, classes_left=left[card.pk]) for card in batch])
            ClassCard.objects.filter(pk__in=[c.pk for c in batch]).update(expiry_warning_sent_at=now)
            warned = len(batch)
    return {"warned": warned, "expired": cards.cards_expire(now=now)}

