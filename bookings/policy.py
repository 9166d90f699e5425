"""The studio's booking rules applied to one session or one-to-one: until when booking is open and
until when cancelling or moving is free. The rules themselves are the one `BookingPolicy` row."""

from datetime import datetime, timedelta

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
