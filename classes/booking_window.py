"""Until when a class can be booked online, as the timetable's rows and pages show it.

The rule is the studio's booking policy, which lives with the bookings (BookingPolicy); classes never
imports bookings, so bookings tells it at start-up (`register`), as it tells payments its kinds. The
rows read it once per page they draw (`closes_minutes`). Without a reader (classes on its own)
online booking closes when a class starts."""

from collections.abc import Callable

_reader: Callable[[], int] | None = None


def register(reader: Callable[[], int]) -> None:
    """`reader()` gives the minutes before a class starts that online booking closes."""
    global _reader
    _reader = reader


def closes_minutes() -> int:
    return _reader() if _reader is not None else 0
