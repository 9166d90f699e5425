"""The studio's booking rules applied to one session or one-to-one: until when booking is open and
until when cancelling or moving is free. The rules themselves are the one `BookingPolicy` row."""

from datetime import datetime, timedelta

from django.db.models.signals import post_save

from classes import booking_window
from core.pagecache import content_changed

from .models import BookingPolicy


def booking_closes_at(session, policy: BookingPolicy) -> datetime:
    return session.starts_at - timedelta(minutes=policy.booking_closes_minutes)


def free_cancellation_until(session, policy: BookingPolicy) -> datetime:
    return session.starts_at - timedelta(hours=policy.cancel_window_hours)


def booking_free_until(booking, policy: BookingPolicy) -> datetime:
    """Until when this booking can be cancelled free of charge: the studio's window, or later when she
    was booked automatically from the waitlist (`Booking.free_cancel_until`), never past the start."""
    until = free_cancellation_until(booking.session, policy)
    if booking.free_cancel_until and booking.free_cancel_until > until:
        return min(booking.free_cancel_until, booking.session.starts_at)
    return until


def free_change_until(appointment, policy: BookingPolicy) -> datetime:
    """A one-to-one can be moved or cancelled for free until the same window before it begins."""
    return appointment.starts_at - timedelta(hours=policy.cancel_window_hours)


def rules_for_clients(policy: BookingPolicy) -> dict:
    """The rules as a client reads them (terms, booking page): the numbers and choices
    templates/bookings/_rules_text.html turns into sentences, the one place rules become text."""
    offer = policy.waitlist_offer_minutes
    quiet_set = policy.quiet_from != policy.quiet_until  # the same moment twice: no quiet hours
    return {
        "closes_minutes": policy.booking_closes_minutes,
        "hold_minutes": policy.hold_minutes,
        "cancel_hours": policy.cancel_window_hours,
        "drop_in_credit": policy.drop_in_cancellation == BookingPolicy.DropInCancellation.CREDIT,
        "credit_months": policy.studio_credit_months,
        "offer_hours": offer // 60 if offer and offer % 60 == 0 else None,
        "offer_minutes": offer,
        "last_minute_hours": policy.last_minute_hours,
        "auto_cancel_hours": policy.auto_booked_cancel_hours,
        "quiet_from": policy.quiet_from if quiet_set else None,
        "quiet_until": policy.quiet_until if quiet_set else None,
        "intake": policy.intake_before_first_group_class,
    }


def _closes_minutes() -> int:
    return BookingPolicy.current().booking_closes_minutes


def _rules_changed(sender, created=False, **kwargs):
    """The shared timetable pages show when booking closes: they are drawn again with the new rule. The
    row's creation is the defaults `BookingPolicy.current()` makes when first asked, which the pages
    already read: no change."""
    if not created:
        content_changed()


def tell_the_timetable() -> None:
    """The timetable's rows and pages (classes) offer "Book" only while online booking is open: they
    read the rule through `classes.booking_window`, and are drawn again when it changes."""
    booking_window.register(_closes_minutes)
    post_save.connect(_rules_changed, sender=BookingPolicy, dispatch_uid="bookings-policy-timetable")
