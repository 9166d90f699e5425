"""A booking's history: who did what, when (booked, paid, checked in, cancelled...). One line per
change, written in the same transaction as the change."""

from django.utils import timezone

from .models import Booking


def record(booking: Booking, action: str, *, actor=None, note="", now=None) -> None:
    booking.events.create(action=action, actor=actor, note=note, created_at=now or timezone.now())
