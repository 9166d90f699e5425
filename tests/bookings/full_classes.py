"""Full classes for the waitlist tests, and places given back without anything being sent."""

from datetime import timedelta

from bookings import places
from bookings.models import Booking
from tests.factories import BookingFactory, OfferingFactory, SessionFactory, UserFactory


def full_class(starts_at, capacity=1, **offering):
    """A 75-minute class starting at `starts_at`, every place booked (paid at the studio)."""
    session = SessionFactory(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=75), capacity=capacity,
                             offering=OfferingFactory(**offering))
    booked = [BookingFactory(session=session, client=UserFactory()) for _ in range(capacity)]
    session.refresh_from_db()
    return session, booked


def give_back(booking):
    """Her place goes back, nothing sent and nothing offered yet (cancelling itself is tested elsewhere)."""
    Booking.objects.filter(pk=booking.pk).update(status="cancelled")
    places.free_place(booking.session)
