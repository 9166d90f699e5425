"""The weekly timetable turns into sessions: idempotent, in Breda wall-clock time,
respecting closures and single-session changes; bad input is refused clearly
(messages in Dutch, the default language)."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from classes import services
from classes.models import STUDIO_TZ, Session
from tests.factories import ClosureFactory, RoomFactory, SessionFactory, WeeklySlotFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)  # a Monday, four weeks before summer time starts


def local_times(sessions):
    return [s.starts_at.astimezone(STUDIO_TZ).strftime("%Y-%m-%d %H:%M") for s in sessions]


def test_generation_creates_the_horizon_and_is_idempotent():
    slot = WeeklySlotFactory(weekday=1, start_time=time(19, 30), valid_from=date(2026, 1, 1))
    first = services.timetable_generate(today=MONDAY, weeks=8)
    assert first.created == 8
    second = services.timetable_generate(today=MONDAY, weeks=8)
    assert (second.created, second.updated, second.removed) == (0, 0, 0)
    assert Session.objects.filter(slot=slot).count() == 8


def test_the_default_horizon_is_at_least_eight_weeks():
    WeeklySlotFactory(weekday=0, valid_from=date(2026, 1, 1))
    services.timetable_generate(today=MONDAY)
    last = Session.objects.order_by("-starts_at").first()
    assert last.local_date >= MONDAY + timedelta(weeks=8)


@pytest.mark.parametrize("change_day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_dst_weeks_keep_wall_clock_times(change_day):
    # A Tuesday 19:30 class in the weeks around the last Sunday of March and of October.
    WeeklySlotFactory(weekday=1, start_time=time(19, 30), duration_minutes=75, valid_from=date(2026, 1, 1))
    services.timetable_generate(today=change_day - timedelta(days=14), weeks=4)
    sessions = list(Session.objects.order_by("starts_at"))
    assert all(t.endswith("19:30") for t in local_times(sessions))
    offsets = {s.starts_at.astimezone(STUDIO_TZ).utcoffset() for s in sessions}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of the change
    assert all(s.ends_at - s.starts_at == timedelta(minutes=75) for s in sessions)


def test_a_class_on_the_night_of_the_change_lasts_its_real_duration():
    start, end = services.session_times(date(2026, 10, 25), time(1, 30), 90)
    assert end.timestamp() - start.timestamp() == 90 * 60
    assert end.astimezone(STUDIO_TZ).strftime("%H:%M") == "02:00"  # the clock went back an hour


def test_closures_skip_new_sessions_and_cancel_booked_ones():
    slot = WeeklySlotFactory(weekday=1, valid_from=date(2026, 1, 1))
    services.timetable_generate(today=MONDAY, weeks=4)
    booked = Session.objects.get(slot=slot, slot_date=date(2026, 3, 10))
    Session.objects.filter(pk=booked.pk).update(places_taken=2)
    closure = ClosureFactory(starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 22), reason_nl="Voorjaarsvakantie", reason_en="Spring break")

    touched = services.closure_apply(closure, now=MONDAY_NOON())
    assert touched == 2
    booked.refresh_from_db()
    assert booked.is_cancelled and booked.cancel_reason_shown == "Voorjaarsvakantie"
    assert not Session.objects.filter(slot=slot, slot_date=date(2026, 3, 17)).exists()

    services.timetable_generate(today=MONDAY, weeks=4)  # regeneration does not bring them back
    assert not Session.objects.filter(slot=slot, slot_date=date(2026, 3, 17)).exists()
    assert Session.objects.get(pk=booked.pk).is_cancelled


def MONDAY_NOON():
    from datetime import datetime

    return datetime(2026, 3, 2, 12, 0, tzinfo=STUDIO_TZ)


def test_cancelling_sends_the_signal_once_and_twice_changes_nothing():
    received = []
    session = SessionFactory()

    def receiver(sender, session, reason, **kwargs):
        received.append((session.pk, reason))

    services.session_cancelled.connect(receiver)
    try:
        services.session_cancel(session, reason="Docent ziek")
        services.session_cancel(session, reason="Nog eens")
    finally:
        services.session_cancelled.disconnect(receiver)
    session.refresh_from_db()
    assert received == [(session.pk, "Docent ziek")]
    assert session.cancel_reason == "Docent ziek" and session.is_customised


def test_a_single_session_change_survives_regeneration():
    slot = WeeklySlotFactory(weekday=1, start_time=time(19, 30), capacity=12, valid_from=date(2026, 1, 1))
    services.timetable_generate(today=MONDAY)
    session = Session.objects.get(slot=slot, slot_date=date(2026, 3, 10))
    original = Session.objects.get(pk=session.pk)
    session.capacity = 14
    session.note = "Neem een dekentje mee"
    session.starts_at = session.starts_at + timedelta(minutes=30)
    session.ends_at = session.ends_at + timedelta(minutes=30)
    services.session_mark_changed(session, original)
    session.save()

    slot.capacity = 10
    slot.start_time = time(19, 0)
    slot.save()
    result = services.slot_saved(slot, today=MONDAY)
    session.refresh_from_db()
    assert (session.capacity, session.note) == (14, "Neem een dekentje mee")
    assert session.starts_at.astimezone(STUDIO_TZ).strftime("%H:%M") == "20:00"
    others = Session.objects.filter(slot=slot).exclude(pk=session.pk)
    assert result.updated == others.count() == 9
    assert {s.capacity for s in others} == {10}
    assert {s.starts_at.astimezone(STUDIO_TZ).strftime("%H:%M") for s in others} == {"19:00"}


def test_moving_a_slot_to_another_weekday_moves_unbooked_sessions_only():
    slot = WeeklySlotFactory(weekday=1, valid_from=date(2026, 1, 1))
    services.timetable_generate(today=MONDAY)
    booked = Session.objects.filter(slot=slot).first()
    Session.objects.filter(pk=booked.pk).update(places_taken=1)
    slot.weekday = 3
    slot.save()
    services.slot_saved(slot, today=MONDAY)
    weekdays = [s.local_date.weekday() for s in Session.objects.filter(slot=slot).order_by("starts_at")]
    assert weekdays == [1] + [3] * 10  # the booked Tuesday stays; the unbooked ones move to Thursday


def test_slot_validity_limits_generation():
    WeeklySlotFactory(weekday=1, valid_from=date(2026, 3, 9), valid_until=date(2026, 3, 24))
    services.timetable_generate(today=MONDAY, weeks=8)
    assert [s.local_date for s in Session.objects.order_by("starts_at")] == [date(2026, 3, 10), date(2026, 3, 17), date(2026, 3, 24)]


# Validation: each bad input gets a clear message ------------------------------


def test_slot_ending_before_it_starts_is_refused():
    slot = WeeklySlotFactory.build(room=RoomFactory(), valid_from=date(2026, 5, 1), valid_until=date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        slot.full_clean()
    assert error.value.message_dict["valid_until"] == ["De einddatum ligt voor de begindatum."]


@pytest.mark.parametrize("capacity,message", [
    (0, "Een les heeft minstens 1 plek nodig."),
    (20, "In De Boomzaal passen 14 mensen; kies hoogstens zoveel plekken."),
])
def test_slot_capacity_outside_the_room_is_refused(capacity, message):
    slot = WeeklySlotFactory.build(room=RoomFactory(), capacity=capacity)
    with pytest.raises(ValidationError) as error:
        slot.full_clean(exclude=["offering", "teacher"])
    assert message in error.value.message_dict["capacity"]


def test_overlapping_slots_in_one_room_are_refused():
    existing = WeeklySlotFactory(weekday=1, start_time=time(19, 30), duration_minutes=75)
    clash = WeeklySlotFactory.build(offering=existing.offering, teacher=existing.teacher, room=existing.room,
                                    weekday=1, start_time=time(20, 0), duration_minutes=60)
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "Dit overlapt met dinsdag 19:30 Yin yoga" in error.value.message_dict["start_time"][0]
    after = WeeklySlotFactory.build(offering=existing.offering, teacher=existing.teacher, room=existing.room,
                                    weekday=1, start_time=time(20, 45), duration_minutes=60)
    after.full_clean()  # starting when the other ends is fine


def test_closure_ending_before_it_starts_is_refused():
    closure = ClosureFactory.build(starts_on=date(2026, 8, 1), ends_on=date(2026, 7, 1))
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert error.value.message_dict["ends_on"] == ["De laatste dag ligt voor de eerste dag."]


def test_session_capacity_below_places_taken_is_refused():
    session = SessionFactory(capacity=10)
    Session.objects.filter(pk=session.pk).update(places_taken=6)
    session.refresh_from_db()
    session.capacity = 5
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "Er zijn al 6 plekken geboekt" in error.value.message_dict["capacity"][0]


def test_the_database_refuses_overbooking():
    from django.db import IntegrityError, transaction

    session = SessionFactory(capacity=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(places_taken=4)
