"""Free moments for one-to-ones, through the database glue (classes/availability.py and
bookings/availability.py): hours, exceptions, buffers, notice, horizon, group sessions, closures,
appointments, summer time. The pure slot maths has its own tests in tests/classes/test_slots.py."""

import random
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from bookings.errors import BookingError
from bookings.models import Appointment
from bookings.personal import appointments, availability
from classes.models import STUDIO_TZ, DateException
from tests.factories import (
    AppointmentTypeFactory,
    ClosureFactory,
    DateExceptionFactory,
    SessionFactory,
    TeacherFactory,
    UserFactory,
    WorkingHoursFactory,
    intake_for,
    local,
    teacher_at_work,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 6, 8)
NOW = local(2026, 6, 1, 8, 0)  # the Monday before, 08:00


@pytest.fixture
def teacher(db):
    return teacher_at_work(weekdays=[0], start=time(10), end=time(16), role=False,
                           buffer_minutes=15, minimum_notice_hours=24, horizon_days=60, step_minutes=15)


@pytest.fixture
def hour_type(teacher):
    return AppointmentTypeFactory(teacher=teacher, duration_minutes=60)


def on(slots, day) -> list[str]:
    return [s.astimezone(STUDIO_TZ).strftime("%H:%M") for s in slots if s.astimezone(STUDIO_TZ).date() == day]


def every_quarter(first: str, last: str) -> list[str]:
    h, m = map(int, first.split(":"))
    out = []
    while f"{h:02d}:{m:02d}" <= last:
        out.append(f"{h:02d}:{m:02d}")
        h, m = (h + 1, 0) if m == 45 else (h, m + 15)
    return out


def test_working_hours_give_the_free_moments(hour_type):
    slots = availability.free_slots(hour_type, now=NOW)
    assert on(slots, MONDAY) == every_quarter("10:00", "15:00")
    assert on(slots, MONDAY + timedelta(days=1)) == []
    assert {s.astimezone(STUDIO_TZ).weekday() for s in slots} == {0}
    assert all(availability.is_free(hour_type, s, now=NOW) for s in slots)


def test_a_day_off_and_a_holiday_range_remove_those_days(teacher, hour_type):
    DateExceptionFactory(teacher=teacher, first_day=MONDAY)
    DateExceptionFactory(teacher=teacher, first_day=MONDAY + timedelta(days=7), last_day=MONDAY + timedelta(days=15))
    slots = availability.free_slots(hour_type, now=NOW)
    for week in (0, 1, 2):
        assert on(slots, MONDAY + timedelta(days=7 * week)) == []
    assert on(slots, MONDAY + timedelta(days=21))[0] == "10:00"


def test_extra_hours_and_other_hours_instead(teacher, hour_type):
    saturday = MONDAY + timedelta(days=5)
    DateExceptionFactory(teacher=teacher, kind=DateException.Kind.EXTRA, first_day=saturday, start_time=time(10), end_time=time(12))
    DateExceptionFactory(teacher=teacher, kind=DateException.Kind.REPLACE, first_day=MONDAY, start_time=time(13), end_time=time(15))
    slots = availability.free_slots(hour_type, now=NOW)
    assert on(slots, saturday) == every_quarter("10:00", "11:00")
    assert on(slots, MONDAY) == every_quarter("13:00", "14:00")
    assert on(slots, MONDAY + timedelta(days=7)) == every_quarter("10:00", "15:00")


def test_her_group_sessions_are_busy_with_the_buffer_others_are_not(teacher, hour_type):
    SessionFactory(teacher=teacher, starts_at=local(2026, 6, 8, 12, 0), ends_at=local(2026, 6, 8, 13, 0))
    SessionFactory(teacher=teacher, starts_at=local(2026, 6, 15, 12, 0), ends_at=local(2026, 6, 15, 13, 0),
                   status="cancelled", cancel_reason="ziek")
    other = TeacherFactory(slug="anna", user=UserFactory(email="anna@example.nl"))
    SessionFactory(teacher=other, starts_at=local(2026, 6, 22, 12, 0), ends_at=local(2026, 6, 22, 13, 0))
    slots = availability.free_slots(hour_type, now=NOW)
    assert on(slots, MONDAY) == every_quarter("10:00", "10:45") + every_quarter("13:15", "15:00")
    assert on(slots, MONDAY + timedelta(days=7)) == every_quarter("10:00", "15:00")  # cancelled: free again
    assert on(slots, MONDAY + timedelta(days=14)) == every_quarter("10:00", "15:00")  # another teacher's class


def test_closures_remove_whole_days(hour_type):
    ClosureFactory(starts_on=MONDAY, ends_on=MONDAY, reason_nl="Pinksteren")
    slots = availability.free_slots(hour_type, now=NOW)
    assert on(slots, MONDAY) == []
    assert on(slots, MONDAY + timedelta(days=7))


def test_appointments_held_or_booked_are_busy_and_expired_holds_are_not(teacher, hour_type):
    client = UserFactory()
    base = {"client": client, "appointment_type": hour_type, "teacher": teacher, "paid_with": "stripe"}
    Appointment.objects.create(**base, starts_at=local(2026, 6, 8, 11, 0), ends_at=local(2026, 6, 8, 12, 0), status="confirmed")
    Appointment.objects.create(**base, starts_at=local(2026, 6, 15, 11, 0), ends_at=local(2026, 6, 15, 12, 0), status="pending_payment",
                               hold_expires_at=NOW + timedelta(minutes=10))
    Appointment.objects.create(**base, starts_at=local(2026, 6, 22, 11, 0), ends_at=local(2026, 6, 22, 12, 0), status="pending_payment",
                               hold_expires_at=NOW - timedelta(minutes=1))
    Appointment.objects.create(**base, starts_at=local(2026, 6, 29, 11, 0), ends_at=local(2026, 6, 29, 12, 0), status="cancelled")
    slots = availability.free_slots(hour_type, now=NOW)
    busy_day = every_quarter("10:00", "15:00")
    busy_day = [t for t in busy_day if not ("09:45" < t < "12:15")]
    assert on(slots, MONDAY) == busy_day == on(slots, MONDAY + timedelta(days=7))
    assert on(slots, MONDAY + timedelta(days=14)) == every_quarter("10:00", "15:00")
    assert on(slots, MONDAY + timedelta(days=21)) == every_quarter("10:00", "15:00")


def test_minimum_notice_and_horizon(teacher, hour_type):
    slots = availability.free_slots(hour_type, now=local(2026, 6, 7, 11, 5))  # Sunday 11:05, 24 hours notice
    assert on(slots, MONDAY)[0] == "11:15"
    teacher.availability.horizon_days = 10
    teacher.availability.save()
    slots = availability.free_slots(hour_type, now=NOW)
    assert max(slots).astimezone(STUDIO_TZ).date() == MONDAY
    assert on(slots, MONDAY + timedelta(days=7)) == []


@pytest.mark.parametrize("now,friday,monday,offsets", [
    (local(2026, 3, 25, 9, 0), date(2026, 3, 27), date(2026, 3, 30), (1, 2)),
    (local(2026, 10, 21, 9, 0), date(2026, 10, 23), date(2026, 10, 26), (2, 1)),
])
def test_the_weeks_of_the_clock_change_keep_wall_clock_times(teacher, hour_type, now, friday, monday, offsets):
    WorkingHoursFactory(teacher=teacher, weekday=4, start_time=time(10), end_time=time(12))
    days = availability.slot_week(hour_type, now=now, first_day=friday)["days"]
    first = {day["date"]: day["slots"][0] for day in days}
    for day, offset in zip((friday, monday), offsets, strict=True):
        assert first[day].strftime("%H:%M") == "10:00"
        assert first[day].utcoffset() == timedelta(hours=offset)
    assert [s.strftime("%H:%M") for s in next(d for d in days if d["date"] == friday)["slots"]] == every_quarter("10:00", "11:00")


def test_the_week_pages_forward_and_back(hour_type):
    week = availability.slot_week(hour_type, now=NOW)
    assert week["first_day"] == MONDAY and [d["date"] for d in week["days"]] == [MONDAY]
    assert week["next_day"] == MONDAY + timedelta(days=7) and week["previous_day"] is None
    later = availability.slot_week(hour_type, now=NOW, first_day=week["next_day"])
    assert later["previous_day"] == MONDAY


@pytest.mark.parametrize("seed", range(6))
def test_no_free_moment_ever_overlaps_a_booking(teacher, seed):
    """Book random free moments of two lengths one after the other: every remaining free moment keeps
    the buffer from every appointment and class, and the bookings never overlap each other."""
    rng = random.Random(seed)
    WorkingHoursFactory(teacher=teacher, weekday=1, start_time=time(9), end_time=time(17, 30))
    short = AppointmentTypeFactory(teacher=teacher, slug="kort", duration_minutes=60)
    long = AppointmentTypeFactory(teacher=teacher, slug="lang", duration_minutes=90)
    SessionFactory(teacher=teacher, starts_at=local(2026, 6, 9, 12, 30), ends_at=local(2026, 6, 9, 13, 45))
    buffer = timedelta(minutes=15)
    for index in range(12):
        kind = rng.choice([short, long])
        free = availability.free_slots(kind, now=NOW)
        assert free, "sixty days of working hours always have room"
        client = UserFactory(email=f"slot{seed}-{index}@example.nl")
        intake_for(client)
        appointments.appointment_book(client=client, appointment_type=kind, starts_at=rng.choice(free[:40]), pay_with="stripe", now=NOW)
    held = list(Appointment.objects.holding_time(NOW).values_list("starts_at", "ends_at"))
    assert len(held) == 12  # every booking holds its time: the checks below are never over an empty list
    assert {end - start for start, end in held} == {short.duration, long.duration}
    classes = [(local(2026, 6, 9, 12, 30), local(2026, 6, 9, 13, 45))]
    for a, (s1, e1) in enumerate(held):
        for s2, e2 in held[a + 1:]:
            assert e1 + buffer <= s2 or e2 + buffer <= s1
    days_with_bookings = {start.astimezone(STUDIO_TZ).date() for start, _ in held + classes}
    checked_beside_a_booking = 0
    for kind in (short, long):
        for start in availability.free_slots(kind, now=NOW):
            end = start + kind.duration
            assert all(end + buffer <= s or start >= e + buffer for s, e in held + classes)
            checked_beside_a_booking += start.astimezone(STUDIO_TZ).date() in days_with_bookings
    assert checked_beside_a_booking >= 10  # free moments on the very days of the bookings were among those checked


def test_booking_checks_the_moment_again_under_the_lock(teacher, hour_type):
    first, second = UserFactory(email="een@example.nl"), UserFactory(email="twee@example.nl")
    intake_for(first), intake_for(second)
    start = local(2026, 6, 8, 10, 0)
    appointments.appointment_book(client=first, appointment_type=hour_type, starts_at=start, pay_with="stripe", now=NOW)
    with pytest.raises(BookingError, match="niet .*vrij"):
        appointments.appointment_book(client=second, appointment_type=hour_type, starts_at=start + timedelta(minutes=30),
                                      pay_with="stripe", now=NOW)
    assert Appointment.objects.count() == 1


def test_real_clock_default(hour_type):
    """Read from the real clock, the free moments are all in the future: at least the 24 hours of notice ahead."""
    now = timezone.now()
    slots = availability.free_slots(hour_type, now=now)
    assert slots  # Mondays 10:00 to 16:00 within sixty days: never none
    assert min(slots) >= now + timedelta(hours=24)
