"""The suite does not depend on the hour it runs at, and pure tests start no servers. Both are checked
by running a few tests in a fresh pytest process; and the demo studio the accessibility walk opens
(built relative to now, once on a Monday at 09:55 it broke the walk) is built at awkward hours here.

`--clock` (tests/clock.py) runs tests as if it were another moment; the whole suite passes at each of
the instants below (`make test ARGS="--clock=2026-12-06T23:30:00+01:00"`). Here, a handful of the tests
that read the real clock run again at all of them in one process, to keep it so at a small cost."""

import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from tests.e2e.demo_studio import the_demo_studio

ROOT = Path(__file__).resolve().parent.parent

INSTANTS = [
    "2026-12-07T09:55:00+01:00",  # a Monday morning in Breda: this week has only just begun
    "2026-12-06T23:30:00+01:00",  # Sunday night: a class in two days ends after midnight, the week turns in half an hour
    "2027-03-28T00:55:00+00:00",  # 01:55 in Breda, five minutes before the clocks jump from 02:00 to 03:00
    "2026-10-25T00:55:00+00:00",  # 02:55 summer time, five minutes before the hour from 02:00 to 03:00 comes again
]

# Tests that read the real clock (timezone.now(), localdate(), the factories' "in two days") and whose
# subject turns on the day or the hour: a class that may end tomorrow, one starting in ten minutes,
# free moments counted from now, this week's timetable, the client's coming classes.
CLOCK_READERS = [
    "tests/classes/test_places_taken.py::test_the_admin_saving_a_session_while_someone_books_keeps_the_count",
    "tests/bookings/test_appointment_slots.py::test_real_clock_default",
    "tests/bookings/test_teacher_day.py::test_add_a_walk_in_after_booking_closed",
    "tests/bookings/test_personal_pages.py::test_the_slot_page_shows_free_moments_day_by_day",
    "tests/bookings/test_personal_pages.py::test_moving_on_the_page",
    "tests/blog/test_pages.py::test_calls_to_action_show_next_sessions_with_places_left_and_a_booking_link",
]

PURE = ["tests/classes/test_slots.py", "tests/test_suite_hygiene.py"]


def pytest_in_a_fresh_process(*args: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def passed(result: subprocess.CompletedProcess) -> int:
    found = re.search(r"(\d+) passed", result.stdout)
    return int(found.group(1)) if found else 0


def test_the_tests_that_read_the_clock_pass_at_the_awkward_hours():
    result = pytest_in_a_fresh_process(*CLOCK_READERS, *(f"--clock={instant}" for instant in INSTANTS))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert passed(result) == len(CLOCK_READERS) * len(INSTANTS), result.stdout[-2000:]


def test_pure_tests_start_no_database_and_no_redis():
    result = pytest_in_a_fresh_process(*PURE)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert passed(result) > 300
    assert "PostgreSQL: not started" in result.stdout and "Redis: not started" in result.stdout, result.stdout[-2000:]


@pytest.mark.django_db
@pytest.mark.parametrize("instant", [
    *INSTANTS,
    "2026-12-07T00:15:00+01:00",  # Monday just after midnight
    "2026-12-07T19:25:00+01:00",  # five minutes before Monday's evening class
    "2026-12-13T10:25:00+01:00",  # five minutes before Sunday's morning class
    "2026-12-31T23:30:00+01:00",  # New Year's Eve
])
def test_the_demo_studio_of_the_accessibility_walk_builds_at_any_hour(instant):
    with time_machine.travel(datetime.fromisoformat(instant), tick=True):
        now = timezone.now()
        studio = the_demo_studio(now)
    assert studio["booking"].session.starts_at >= now and studio["free"].starts_at >= now
    assert studio["free"].bookings.filter(client=studio["client"]).count() == 0  # a class the client can still book
