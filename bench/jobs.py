"""Background jobs timed inside the bench's database (run through `manage.py shell`):
the reminder job for 10,000 bookings. Prints one JSON line."""

import json
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import F
from django.utils import timezone

from bookings.group import jobs
from bookings.models import Booking
from classes.models import Offering, Room, Session, Teacher

BOOKINGS = 10_000
PER_SESSION = 100


def reminders():
    offering, teacher, room = Offering.objects.get(slug="hatha-yoga"), Teacher.objects.first(), Room.objects.first()
    start = timezone.now() + timedelta(hours=3)
    sessions = Session.objects.bulk_create([
        Session(offering=offering, teacher=teacher, room=room, starts_at=start + timedelta(minutes=i), ends_at=start + timedelta(minutes=i + 60),
                capacity=PER_SESSION)
        for i in range(BOOKINGS // PER_SESSION)
    ])
    users = get_user_model().objects.bulk_create([
        get_user_model()(email=f"herinnering{i}@example.nl", first_name="Herinnering", last_name=str(i), password="!")
        for i in range(BOOKINGS)
    ])
    Booking.objects.bulk_create([
        Booking(client=user, session=sessions[i // PER_SESSION], status="confirmed", paid_with="studio", price_cents=1750, confirmed_at=timezone.now())
        for i, user in enumerate(users)
    ])
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(places_taken=F("capacity"))
    mail.outbox = []
    began = time.perf_counter()
    sent = jobs.reminders_send(now=timezone.now())
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = jobs.reminders_send(now=timezone.now())
    second = time.perf_counter() - began
    return {"bookings": BOOKINGS, "sent": sent, "seconds": round(first, 2), "second_run_sent": again, "second_run_seconds": round(second, 3),
            "per_booking_ms": round(1000 * first / max(sent, 1), 3)}


print(json.dumps({"reminders": reminders()}))
