"""The demo studio the accessibility walk opens every page of: `manage.py demo`, built relative to now,
plus what the client pages need whatever the hour (two classes to come, a receipt, a waitlist offer, a
cancelled class). Kept apart so tests/test_any_hour.py can build it at awkward hours without a browser."""

import io
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from bookings.group import roster, services, waitlist, waitlist_offers
from bookings.models import Booking, Payment, WaitlistEntry
from classes.models import Session
from studio import roles
from tests.factories import BookingFactory, PaymentFactory, UserFactory


def the_demo_studio(now):
    """The demo (`manage.py demo`), plus what the client pages need: a receipt and a waitlist offer."""
    roles.sync_roles(apps)  # the groups the migrations made; an earlier transactional test flushed them
    call_command("demo", stdout=io.StringIO())
    people = get_user_model().objects
    client, teacher = people.get(email="client@treeoflife.example"), people.get(email="manoek@treeoflife.example")
    upcoming = (Session.objects.scheduled().upcoming(now).filter(starts_at__gte=now + timedelta(days=1), programme_run__isnull=True)
                .order_by("starts_at"))
    mine = Booking.objects.filter(client=client, status=Booking.Status.CONFIRMED, session__in=upcoming)
    for session in list(upcoming.exclude(bookings__client=client)[:max(0, 2 - mine.count())]):  # whatever the hour, two to come
        services.booking_create(client=client, session=session, pay_with="studio", now=now, by_staff=True)
    booking = mine.earliest("session__starts_at")
    free = upcoming.exclude(bookings__client=client).first()
    payment = PaymentFactory(client=client, purpose="drop_in", description=str(free.offering), status=Payment.Status.PAID,
                             method=Payment.Method.IDEAL, paid_at=now, receipt_number="2026-0001")

    full = upcoming.exclude(bookings__client=client).exclude(pk=free.pk)[2]
    BookingFactory(client=UserFactory(email="eerder@example.nl", first_name="Eva"), session=full)
    Session.objects.filter(pk=full.pk).update(capacity=F("places_taken"))
    entry = waitlist.waitlist_join(client=client, session=full, now=now)
    Session.objects.filter(pk=full.pk).update(capacity=F("capacity") + 1)
    waitlist_offers.offer_freed_places(session_id=full.pk, now=now)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.OFFERED

    later = Booking.objects.filter(client=client, status=Booking.Status.CONFIRMED, session__in=upcoming).exclude(pk=booking.pk).latest("session__starts_at")
    roster.session_cancel_by_teacher(session=later.session, reason="Manoek is ziek", actor=teacher)  # a cancelled class on the pages

    return {"client": client, "teacher": teacher, "booking": booking, "free": free, "payment": payment, "entry": entry}
