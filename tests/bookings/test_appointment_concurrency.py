"""Real parallel requests against the live server on PostgreSQL: twenty clients asking for the same
one-to-one moment at once leave exactly one appointment, and everyone else a clear message."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, Payment, ProgrammeCreditEntry, ProgrammeEnrolment
from bookings.personal import availability
from tests.bookings.parallel import fire_all_at_once, signed_in_cookie
from tests.factories import UserFactory, intake_for, teacher_at_work

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def teacher(db):
    return teacher_at_work(weekdays=range(7), role=False)


def with_credits(client, kind):
    intake_for(client)
    enrolment = ProgrammeEnrolment.objects.create(client=client, offering=kind.offering, appointment_type=kind, status="active",
                                                  sessions_total=3, price_cents=22500)
    ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=3, kind="purchase")


def test_twenty_clients_at_once_for_one_moment(live_server, tre):
    clients = [UserFactory(email=f"moment{i}@example.nl") for i in range(20)]
    for client in clients:
        with_credits(client, tre)
    start = availability.free_slots(tre, now=timezone.now())[0]
    path = reverse("bookings:appointment_book", kwargs={"slug": tre.slug})
    body = f"starts_at={start.isoformat().replace('+', '%2B')}&pay_with=programme"
    results = fire_all_at_once(live_server, [(path, body, signed_in_cookie(c)) for c in clients])

    assert all(status in (200, 302) for status, _ in results), results
    [appointment] = Appointment.objects.all()
    assert appointment.starts_at == start and appointment.status == "confirmed"
    assert sum(1 for _, location in results if "/mijn-sessies/" in location) == 1
    assert sum(1 for status, _ in results if status == 200) == 19  # the page again, saying the moment is taken
    assert ProgrammeCreditEntry.objects.filter(kind="use").count() == 1


def test_twenty_clients_paying_online_for_overlapping_moments(live_server, tre, fake_stripe):
    """Different starts that overlap (with the buffer) race too: still one held appointment."""
    tre.is_bookable_alone = True
    tre.save()
    clients = [UserFactory(email=f"overlap{i}@example.nl") for i in range(20)]
    for client in clients:
        intake_for(client)
    free = availability.free_slots(tre, now=timezone.now())
    starts = [s for s in free if s < free[0] + timedelta(minutes=60)]  # 09:00, 09:15, 09:30, 09:45: all overlapping
    path = reverse("bookings:appointment_book", kwargs={"slug": tre.slug})
    requests = [(path, f"starts_at={starts[i % len(starts)].isoformat().replace('+', '%2B')}&pay_with=stripe", signed_in_cookie(c))
                for i, c in enumerate(clients)]
    results = fire_all_at_once(live_server, requests)
    assert all(status in (200, 302) for status, _ in results), results
    assert Appointment.objects.count() == 1 == Payment.objects.count()
    assert sum(1 for _, location in results if "/c/pay/" in location) == 1
