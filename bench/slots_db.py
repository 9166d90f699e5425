"""The slot finder over the database, timed inside the bench's database (run through `manage.py shell`):
60 days of free moments for a teacher with 200 existing appointments and sessions. Each run reads
everything afresh (her hours, exceptions, settings, sessions, closures, appointments) and does the
slot maths, as the booking page does. The teacher and her calendar are made inside a transaction
that is rolled back, so the bench's database is left as it was. Prints one JSON line."""

import json
import random
import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bookings.models import Appointment
from bookings.personal import availability
from classes.models import (
    STUDIO_TZ,
    AppointmentType,
    DateException,
    Offering,
    Room,
    Session,
    Teacher,
    TeacherAvailability,
    WorkingHours,
)

APPOINTMENTS, SESSIONS = 150, 50
RUNS = 30


def bench_teacher(now, rng):
    """A teacher like the studio's: weekday hours, a holiday, 15 minutes between appointments, 24 hours
    notice, 60 days ahead; and her coming 60 days filled with 150 one-to-ones and 50 group sessions."""
    User = get_user_model()
    teacher = Teacher.objects.create(user=User.objects.create(email="bench-docent@example.nl", first_name="Bench", password="!"),
                                     slug="bench-docent")
    TeacherAvailability.objects.create(teacher=teacher, buffer_minutes=15, minimum_notice_hours=24, horizon_days=60, step_minutes=15)
    WorkingHours.objects.bulk_create([WorkingHours(teacher=teacher, weekday=d, start_time=clock(9), end_time=clock(17)) for d in range(5)]
                                     + [WorkingHours(teacher=teacher, weekday=5, start_time=clock(10), end_time=clock(14))])
    holiday = (now + timedelta(days=30)).astimezone(STUDIO_TZ).date()
    DateException.objects.create(teacher=teacher, first_day=holiday, last_day=holiday + timedelta(days=4))
    kind = AppointmentType.objects.create(slug="bench-sessie", name_nl="Bench", name_en="Bench", description_nl="-", duration_minutes=60,
                                          price_cents=7500, teacher=teacher)
    client = User.objects.create(email="bench-client@example.nl", first_name="Bench", password="!")
    offering, room = Offering.objects.get(slug="yin-yoga"), Room.objects.first()
    taken, appointments, sessions = set(), [], []
    while len(taken) < APPOINTMENTS + SESSIONS:
        day = (now + timedelta(days=rng.randrange(1, 60))).astimezone(STUDIO_TZ).date()
        start = datetime.combine(day, clock(rng.randrange(8, 18), rng.choice([0, 15, 30, 45])), tzinfo=STUDIO_TZ)
        if start in taken:
            continue
        taken.add(start)
        if len(appointments) < APPOINTMENTS:
            appointments.append(Appointment(client=client, appointment_type=kind, teacher=teacher, starts_at=start, status="confirmed",
                                            ends_at=start + timedelta(minutes=rng.choice([60, 90])), paid_with="stripe", created_at=now))
        else:
            sessions.append(Session(offering=offering, teacher=teacher, room=room, starts_at=start, ends_at=start + timedelta(minutes=75),
                                    capacity=12, is_customised=True))
    Appointment.objects.bulk_create(appointments)
    Session.objects.bulk_create(sessions)
    return kind


def measure():
    rng = random.Random(2026)
    now = timezone.now()
    with transaction.atomic():
        kind = bench_teacher(now, rng)
        found = availability.free_slots(kind, now=now)  # warm up
        samples = []
        for _ in range(RUNS):
            began = time.perf_counter()
            found = availability.free_slots(kind, now=now)
            samples.append(1000 * (time.perf_counter() - began))
        check = []
        for start in found[:: max(len(found) // RUNS, 1)][:RUNS]:
            began = time.perf_counter()
            assert availability.is_free(kind, start, now=now)
            check.append(1000 * (time.perf_counter() - began))
        transaction.set_rollback(True)
    ordered = sorted(samples)
    return {"days": 60, "appointments": APPOINTMENTS, "sessions": SESSIONS, "slots": len(found), "runs": RUNS,
            "median_ms": round(statistics.median(samples), 2), "p95_ms": round(ordered[round(0.95 * (len(ordered) - 1))], 2),
            "is_free_median_ms": round(statistics.median(check), 2)}


print(json.dumps({"slots_db": measure()}))
