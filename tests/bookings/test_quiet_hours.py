"""Quiet hours: nothing she did not ask for is sent at night, offers do not run out while people
sleep, and reminders due at night go the evening before. Time is passed in or frozen; the
studio's quiet hours are set explicitly (22:00-08:00, Breda wall-clock)."""

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from bookings.group import jobs, roster, services, waitlist, waitlist_offers
from bookings.models import BookingPolicy, QueuedMessage
from bookings.personal import jobs as personal_jobs
from bookings.quiet_hours import QuietHours, queued_messages_send
from classes.services import session_cancel, session_change
from tests.bookings.full_classes import full_class, give_back
from tests.factories import AppointmentFactory, BookingFactory, SessionFactory, UserFactory, class_card

BREDA = ZoneInfo("Europe/Amsterdam")
NIGHTS = QuietHours(dt.time(22, 0), dt.time(8, 0), BREDA)


def at(year, month, day, hour, minute=0, fold=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=BREDA, fold=fold)


# The clock arithmetic, without a database ---------------------------------------------------------


@pytest.mark.parametrize(("moment", "quiet"), [
    (at(2026, 12, 7, 21, 59), False), (at(2026, 12, 7, 22, 0), True), (at(2026, 12, 7, 23, 30), True),
    (at(2026, 12, 8, 3, 0), True), (at(2026, 12, 8, 7, 59), True), (at(2026, 12, 8, 8, 0), False), (at(2026, 12, 8, 12, 0), False),
])
def test_which_moments_are_quiet(moment, quiet):
    assert NIGHTS.contains(moment) is quiet


@pytest.mark.parametrize(("start", "minutes", "until"), [
    (at(2026, 12, 7, 23, 30), 120, at(2026, 12, 8, 10, 0)),   # the example: 23:30 + 120 min holds until 10:00
    (at(2026, 12, 8, 7, 0), 120, at(2026, 12, 8, 10, 0)),     # counted from 08:00
    (at(2026, 12, 7, 21, 0), 120, at(2026, 12, 8, 9, 0)),     # 60 minutes before the night, 60 after it
    (at(2026, 12, 8, 12, 0), 120, at(2026, 12, 8, 14, 0)),    # daytime: plain time
    (at(2026, 12, 7, 21, 0), 60 * 30, at(2026, 12, 10, 9, 0)),  # 30 hours of daytime: 1 + 14 + 14 + 1, over three nights
])
def test_awake_time_skips_the_night(start, minutes, until):
    assert NIGHTS.awake_after(start, timedelta(minutes=minutes)) == until


@pytest.mark.parametrize("night", [(2026, 10, 25), (2027, 3, 28)], ids=["clocks go back", "clocks go forward"])
def test_the_night_the_clocks_change_is_counted_in_wall_clock_time(night):
    freed = at(*night, 3, 0)
    assert NIGHTS.contains(freed)
    assert NIGHTS.send_at(freed) == at(*night, 8, 0)
    assert NIGHTS.awake_after(freed, timedelta(minutes=120)) == at(*night, 10, 0)
    evening_before = at(*night, 21, 0) - timedelta(days=1)
    assert NIGHTS.awake_after(evening_before, timedelta(minutes=120)) == at(*night, 9, 0)


def test_a_message_about_something_before_the_morning_goes_at_once():
    night = at(2026, 12, 7, 23, 30)
    assert NIGHTS.send_at(night, about=at(2026, 12, 8, 7, 0)) == night
    assert NIGHTS.send_at(night, about=at(2026, 12, 8, 9, 0)) == at(2026, 12, 8, 8, 0)
    assert NIGHTS.send_at(at(2026, 12, 8, 12, 0), about=at(2026, 12, 9, 9, 0)) == at(2026, 12, 8, 12, 0)


def test_custom_quiet_hours_over_the_clock_change_count_real_hours():
    """23:00-01:00 on the night the clocks go back (03:00 CEST becomes 02:00 CET): five awake hours from
    22:00 CEST are one before the night and four after 01:00 CEST, whatever zone the start is given in."""
    late = QuietHours(dt.time(23, 0), dt.time(1, 0), BREDA)
    start = at(2026, 10, 24, 22, 0)
    expected = dt.datetime(2026, 10, 25, 3, 0, tzinfo=dt.UTC)  # 04:00 CET
    assert late.awake_after(start, timedelta(hours=5)) == expected
    assert late.awake_after(start.astimezone(dt.UTC), timedelta(hours=5)) == expected


def test_daytime_quiet_hours_and_none_at_all():
    lunch = QuietHours(dt.time(13, 0), dt.time(14, 0), BREDA)
    assert lunch.contains(at(2026, 12, 8, 13, 30)) and not lunch.contains(at(2026, 12, 8, 23, 30))
    assert lunch.awake_after(at(2026, 12, 8, 12, 30), timedelta(hours=1)) == at(2026, 12, 8, 14, 30)
    never = QuietHours(dt.time(0, 0), dt.time(0, 0), BREDA)
    assert not never.contains(at(2026, 12, 8, 3, 0))
    assert never.awake_after(at(2026, 12, 7, 23, 30), timedelta(minutes=120)) == at(2026, 12, 8, 1, 30)


def test_a_reminder_due_in_the_night_goes_the_evening_before():
    class_at = at(2026, 12, 8, 7, 30)
    assert NIGHTS.before(class_at - timedelta(hours=2)) == at(2026, 12, 7, 21, 30)
    assert not NIGHTS.reminder_due(class_at, now=at(2026, 12, 7, 21, 29), hours=2)
    assert NIGHTS.reminder_due(class_at, now=at(2026, 12, 7, 21, 30), hours=2)
    # A class at 10:00 whose reminder was missed in the evening waits for the morning, not for 03:00.
    assert not NIGHTS.reminder_due(at(2026, 12, 8, 10, 0), now=at(2026, 12, 8, 3, 0), hours=12)
    assert NIGHTS.reminder_due(at(2026, 12, 8, 10, 0), now=at(2026, 12, 8, 8, 0), hours=12)
    # Due at 21:55, after the job's last run before the night could be too late: it goes at 21:30 as well.
    assert NIGHTS.before(at(2026, 12, 7, 21, 55)) == at(2026, 12, 7, 21, 30)
    assert NIGHTS.before(at(2026, 12, 7, 21, 45)) == at(2026, 12, 7, 21, 45)


# With the database: what is sent when -------------------------------------------------------------


@pytest.fixture
def nights(db):
    """The studio's rules with quiet hours 22:00-08:00 (the test studio has none unless set)."""
    policy = BookingPolicy.current()
    policy.quiet_from, policy.quiet_until = dt.time(22, 0), dt.time(8, 0)
    policy.save()
    cache.clear()
    return policy


def morning_sends(now):
    with time_machine.travel(now, tick=False):
        return queued_messages_send(now=now)


@pytest.mark.parametrize("freed", [at(2026, 12, 7, 23, 30), at(2026, 10, 25, 3, 0), at(2027, 3, 28, 3, 0)],
                         ids=["23:30", "03:00 clocks back", "03:00 clocks forward"])
def test_a_place_freed_at_night_is_offered_at_eight_and_held_until_ten(nights, freed, django_capture_on_commit_callbacks):
    day = (freed + timedelta(hours=6)).date()
    session, booked = full_class(at(day.year, day.month, day.day, 19, 30))
    sanne = UserFactory(email="sanne@example.nl")
    entry = waitlist.waitlist_join(client=sanne, session=session, now=freed - timedelta(days=1))
    give_back(booked[0])
    with time_machine.travel(freed, tick=False), django_capture_on_commit_callbacks(execute=True):
        waitlist_offers.offer_freed_places(session_id=session.pk, now=freed)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert entry.offer_expires_at == at(day.year, day.month, day.day, 10, 0)
    assert mail.outbox == []
    [kept] = QueuedMessage.objects.all()
    assert kept.send_after == at(day.year, day.month, day.day, 8, 0)

    with django_capture_on_commit_callbacks(execute=True):
        assert morning_sends(at(day.year, day.month, day.day, 7, 59)) == 0
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert morning_sends(at(day.year, day.month, day.day, 8, 0)) == 1
    [offer] = mail.outbox
    assert offer.to == ["sanne@example.nl"]
    assert "10:00" in offer.body
    with django_capture_on_commit_callbacks(execute=True):
        assert morning_sends(at(day.year, day.month, day.day, 8, 1)) == 0  # sent once
    assert len(mail.outbox) == 1


def test_an_offer_made_at_night_never_holds_past_booking_close(nights, django_capture_on_commit_callbacks):
    session, booked = full_class(at(2026, 12, 8, 9, 0))  # booking closes at 08:30
    entry = waitlist.waitlist_join(client=UserFactory(), session=session, now=at(2026, 12, 7, 12, 0))
    give_back(booked[0])
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_offers.offer_freed_places(session_id=session.pk, now=at(2026, 12, 7, 23, 30))
    entry.refresh_from_db()
    assert entry.offer_expires_at == at(2026, 12, 8, 8, 30)
    assert mail.outbox == [] and QueuedMessage.objects.get().send_after == at(2026, 12, 8, 8, 0)


def test_an_offer_for_a_class_before_the_morning_goes_at_once(nights, django_capture_on_commit_callbacks):
    session, booked = full_class(at(2026, 12, 8, 7, 0))
    waitlist.waitlist_join(client=UserFactory(email="early@example.nl"), session=session, now=at(2026, 12, 7, 12, 0))
    give_back(booked[0])
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_offers.offer_freed_places(session_id=session.pk, now=at(2026, 12, 7, 23, 30))
    assert [m.to for m in mail.outbox] == [["early@example.nl"]]
    assert not QueuedMessage.objects.exists()


def test_what_she_asked_for_goes_at_once_at_night(nights, django_capture_on_commit_callbacks):
    session = SessionFactory(starts_at=at(2026, 12, 9, 19, 30), ends_at=at(2026, 12, 9, 20, 45))
    sanne = UserFactory(email="sanne@example.nl")
    class_card(sanne, now=at(2026, 12, 1, 12, 0))
    with time_machine.travel(at(2026, 12, 7, 23, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.booking_create(client=sanne, session=session, pay_with="card")
    assert len(mail.outbox) == 1 and not QueuedMessage.objects.exists()


def test_the_teachers_note_at_night_waits_for_the_morning_and_she_is_told_when(nights, client, teacher_user, django_capture_on_commit_callbacks):
    session = SessionFactory(teacher=teacher_user.teacher_profile, starts_at=at(2026, 12, 8, 19, 30), ends_at=at(2026, 12, 8, 20, 45))
    BookingFactory(session=session, client=UserFactory(email="a@example.nl"))
    client.force_login(teacher_user)
    with time_machine.travel(at(2026, 12, 7, 23, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:message_session", args=[session.pk]), {"subject": "Dekentje", "body": "Neem een dekentje mee"}, follow=True)
    assert "08:00" in response.content.decode()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        morning_sends(at(2026, 12, 8, 8, 0))
    assert [m.to for m in mail.outbox] == [["a@example.nl"]] and "dekentje" in mail.outbox[0].body


def test_the_teachers_note_by_day_goes_at_once(nights, teacher_user, django_capture_on_commit_callbacks):
    session = SessionFactory(teacher=teacher_user.teacher_profile, starts_at=at(2026, 12, 8, 19, 30), ends_at=at(2026, 12, 8, 20, 45))
    BookingFactory(session=session, client=UserFactory(email="a@example.nl"))
    with time_machine.travel(at(2026, 12, 8, 12, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        roster.message_everyone(session=session, subject="Dekentje", body="Neem een dekentje mee", actor=teacher_user)
    assert len(mail.outbox) == 1 and not QueuedMessage.objects.exists()


def test_a_class_cancelled_at_night_tells_at_once_only_when_it_was_early(nights, django_capture_on_commit_callbacks):
    early = SessionFactory(starts_at=at(2026, 12, 8, 7, 0), ends_at=at(2026, 12, 8, 8, 0))
    evening = SessionFactory(starts_at=at(2026, 12, 8, 19, 30), ends_at=at(2026, 12, 8, 20, 45))
    BookingFactory(session=early, client=UserFactory(email="early@example.nl"))
    BookingFactory(session=evening, client=UserFactory(email="evening@example.nl"))
    with time_machine.travel(at(2026, 12, 7, 23, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        session_cancel(early, reason="De docent is ziek")
        session_cancel(evening, reason="De docent is ziek")
    assert [m.to for m in mail.outbox] == [["early@example.nl"]]
    with django_capture_on_commit_callbacks(execute=True):
        morning_sends(at(2026, 12, 8, 8, 0))
    assert [m.to for m in mail.outbox] == [["early@example.nl"], ["evening@example.nl"]]


def test_a_class_moved_at_night_from_the_early_morning_tells_at_once(nights, django_capture_on_commit_callbacks):
    session = SessionFactory(starts_at=at(2026, 12, 8, 7, 0), ends_at=at(2026, 12, 8, 8, 0))
    BookingFactory(session=session, client=UserFactory(email="early@example.nl"))
    with time_machine.travel(at(2026, 12, 7, 23, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        session_change(session, starts_at=at(2026, 12, 8, 10, 0), ends_at=at(2026, 12, 8, 11, 0), now=at(2026, 12, 7, 23, 0))
    assert [m.to for m in mail.outbox] == [["early@example.nl"]]


def test_kept_messages_go_out_in_the_order_they_were_due(nights, django_capture_on_commit_callbacks):
    first = SessionFactory(starts_at=at(2026, 12, 8, 18, 0), ends_at=at(2026, 12, 8, 19, 0))
    second = SessionFactory(starts_at=at(2026, 12, 8, 19, 30), ends_at=at(2026, 12, 8, 20, 45))
    BookingFactory(session=second, client=UserFactory(email="second@example.nl"))
    BookingFactory(session=first, client=UserFactory(email="first@example.nl"))
    with time_machine.travel(at(2026, 12, 7, 22, 30), tick=False):
        session_cancel(first, reason="Ziek")
    with time_machine.travel(at(2026, 12, 8, 1, 0), tick=False):
        session_cancel(second, reason="Ziek")
    with django_capture_on_commit_callbacks(execute=True):
        assert morning_sends(at(2026, 12, 8, 9, 0)) == 2
    assert [m.to for m in mail.outbox] == [["first@example.nl"], ["second@example.nl"]]


def test_reminders_due_in_the_night_go_the_evening_before(nights):
    policy = nights
    policy.reminder_hours = 2
    policy.save()
    cache.clear()
    early = SessionFactory(starts_at=at(2026, 12, 8, 7, 30), ends_at=at(2026, 12, 8, 8, 30))
    BookingFactory(session=early, client=UserFactory(email="early@example.nl"))
    AppointmentFactory(starts_at=at(2026, 12, 8, 9, 0), ends_at=at(2026, 12, 8, 10, 0), client=UserFactory(email="one@example.nl"))
    assert jobs.reminders_send(now=at(2026, 12, 7, 21, 25)) == 0
    assert jobs.reminders_send(now=at(2026, 12, 7, 21, 30)) == 1
    assert personal_jobs.reminders_send(now=at(2026, 12, 7, 21, 30)) == 1  # due at 07:00, so the evening before too
    for moment in (at(2026, 12, 8, 5, 30), at(2026, 12, 8, 7, 0)):
        assert jobs.reminders_send(now=moment) == 0
        assert personal_jobs.reminders_send(now=moment) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["early@example.nl", "one@example.nl"]


def test_a_daytime_reminder_is_unchanged(nights):
    session = SessionFactory(starts_at=at(2026, 12, 9, 19, 30), ends_at=at(2026, 12, 9, 20, 45))
    BookingFactory(session=session)
    assert jobs.reminders_send(now=at(2026, 12, 8, 19, 29)) == 0
    assert jobs.reminders_send(now=at(2026, 12, 8, 19, 30)) == 1


def test_card_expiry_notices_wait_for_the_morning(nights):
    sanne = UserFactory(email="sanne@example.nl")
    class_card(sanne, validity_months=1, now=at(2026, 11, 15, 12, 0))  # runs out mid-December, classes left
    assert jobs.cards_daily(now=at(2026, 12, 7, 23, 5))["warned"] == 0
    assert mail.outbox == []
    assert jobs.cards_daily(now=at(2026, 12, 8, 8, 5))["warned"] == 1
    assert [m.to for m in mail.outbox] == [["sanne@example.nl"]]


def test_the_waitlist_pages_show_the_quiet_hours(nights, client, client_user):
    session, _booked = full_class(at(2030, 1, 8, 19, 30))
    entry = waitlist.waitlist_join(client=client_user, session=session)
    client.force_login(client_user)
    for url in (reverse("bookings:book", args=[session.pk]), reverse("bookings:waitlist_claim", args=[entry.pk])):
        assert "tussen 22:00 en 08:00" in client.get(url).content.decode()


def test_an_offer_that_runs_out_before_the_morning_goes_at_once(nights, django_capture_on_commit_callbacks):
    session, booked = full_class(at(2026, 12, 8, 8, 15))  # booking closes at 07:45, before quiet hours end
    waitlist.waitlist_join(client=UserFactory(email="early@example.nl"), session=session, now=at(2026, 12, 7, 12, 0))
    give_back(booked[0])
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_offers.offer_freed_places(session_id=session.pk, now=at(2026, 12, 7, 23, 30))
    assert [m.to for m in mail.outbox] == [["early@example.nl"]] and "07:45" in mail.outbox[0].body


def test_a_last_minute_place_gone_before_anyone_was_told_is_never_mentioned(nights, django_capture_on_commit_callbacks):
    session, booked = full_class(at(2026, 12, 8, 9, 0))
    entry = waitlist.waitlist_join(client=UserFactory(email="wacht@example.nl"), session=session, now=at(2026, 12, 7, 12, 0))
    give_back(booked[0])
    with time_machine.travel(at(2026, 12, 8, 6, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        waitlist_offers.offer_freed_places(session_id=session.pk, now=at(2026, 12, 8, 6, 30))
    assert mail.outbox == [] and QueuedMessage.objects.count() == 1  # "a place is free", kept until 08:00
    passer_by = UserFactory(email="passer@example.nl")
    class_card(passer_by, now=at(2026, 12, 1, 12, 0))
    with time_machine.travel(at(2026, 12, 8, 7, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.booking_create(client=passer_by, session=session, pay_with="card")
    with django_capture_on_commit_callbacks(execute=True):
        morning_sends(at(2026, 12, 8, 8, 0))
    assert [m.to for m in mail.outbox] == [["passer@example.nl"]]  # her confirmation; nothing to the waiting client
    entry.refresh_from_db()
    assert entry.status == "waiting" and entry.last_minute_offer_at is None
