"""Run the suite as if it were another moment (a pytest plugin, loaded with `-p tests.clock`).

    python -m pytest tests/classes --clock=2027-03-28T00:55:00+00:00
    python -m pytest tests/bookings --clock=2026-12-07T09:55+01:00 --clock=2026-12-06T23:30+01:00

Every test starts at the instant (time-machine, ticking on from there); a test that fixes its own time
with `time_machine.travel(...)` still does (travels nest, the innermost wins). Given more than once,
every test runs once per instant. Session- and module-wide fixtures are built at the first instant.
What does not move: the database's own clock (the application asks Python for the time, never SQL's
now()), Chromium's (no page script reads the date) and other processes'.
"""

import datetime as dt

import pytest
import time_machine

INSTANTS = pytest.StashKey[list]()


def parse_instant(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise pytest.UsageError(f"--clock wants an ISO 8601 instant with its offset, e.g. 2027-03-28T00:55:00+00:00; got {text!r}")
    return instant


def pytest_addoption(parser):
    parser.getgroup("studio").addoption(
        "--clock", action="append", default=[], metavar="INSTANT",
        help="run each test as if it were INSTANT (ISO 8601 with offset); given more than once, each test runs at each instant",
    )


def pytest_configure(config):
    instants = [parse_instant(text) for text in config.getoption("clock", default=[]) or []]
    config.stash[INSTANTS] = instants
    if instants:
        # Whatever runs outside a test (session and module fixtures) sees the first instant too.
        session_travel = time_machine.travel(instants[0], tick=True)
        session_travel.start()
        config.add_cleanup(session_travel.stop)


def pytest_report_header(config):
    instants = config.stash.get(INSTANTS, [])
    if instants:
        return [f"clock: every test starts at {', '.join(instant.isoformat() for instant in instants)}"]
    return []


def pytest_generate_tests(metafunc):
    instants = metafunc.config.stash.get(INSTANTS, [])
    if len(instants) > 1 and "clock_instant" in metafunc.fixturenames:
        metafunc.parametrize("clock_instant", instants, indirect=True, ids=[f"clock={instant.isoformat()}" for instant in instants])


@pytest.fixture
def clock_instant(request):
    """The instant this test starts at under --clock (None without it)."""
    instants = request.config.stash.get(INSTANTS, [])
    return getattr(request, "param", instants[0] if instants else None)


@pytest.fixture(autouse=True)
def _on_the_clock(clock_instant):
    if clock_instant is None:
        yield
        return
    with time_machine.travel(clock_instant, tick=True):
        yield
