"""Dates that come from outside (an address, a form): parsed strictly and kept within the years the
studio can sensibly show, so a far-off date gets a clear message instead of an overflow."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class DateOutOfRange(ValueError):
    pass


def within_range(day: date, *, earliest: date = EARLIEST, latest: date = LATEST) -> bool:
    return earliest <= day <= latest


def parse_day(text: str | None, *, earliest: date = EARLIEST, latest: date = LATEST) -> date | None:
    """`2026-12-01` as a date; None for an empty or malformed value; DateOutOfRange outside the range."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    if not within_range(day, earliest=earliest, latest=latest):
        raise DateOutOfRange(text)
    return day


def parse_moment(text: str | None) -> datetime | None:
    """An ISO 8601 moment with its UTC offset, within the years above; None otherwise."""
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    if moment.utcoffset() is None or not within_range(moment.date()):
        return None
    return moment


def validate_day_in_range(day: date) -> None:
    """A form field validator: a clear message for a date outside the years the studio works with."""
    if day is not None and not within_range(day):
        raise ValidationError(_("Please choose a date between %(first)s and %(last)s.") % {
            "first": EARLIEST.year, "last": LATEST.year}, code="out_of_range")
