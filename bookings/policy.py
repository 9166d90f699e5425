"""The studio's booking rules applied to one session or one-to-one: until when booking is open and
until when cancelling or moving is free. The rules themselves are the one `BookingPolicy` row."""

from datetime import datetime, timedelta

from .models import BookingPolicy


def booking_closes_at(session, policy: BookingPolicy) -> datetime:
    return session.starts_at - timedelta(minutes=policy.booking_closes_minutes)


def free_cancellation_until(session, policy: BookingPolicy) -> datetime:
    return session.starts_at - timedelta(hours=policy.cancel_window_hours)


def free_change_until(appointment, policy: BookingPolicy) -> datetime:
    """A one-to-one can be moved or cancelled for free until the same window before it begins."""
    return appointment.starts_at - timedelta(hours=policy.cancel_window_hours)
