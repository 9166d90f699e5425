"""Fixtures shared by the timetable's tests."""

import pytest

from bookings.models import BookingPolicy


@pytest.fixture
def rules(db):
    """The studio's booking rules, online booking closing 30 minutes before a class."""
    policy, _created = BookingPolicy.objects.update_or_create(pk=1, defaults={"booking_closes_minutes": 30})
    return policy
