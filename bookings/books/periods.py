"""Stretches of days the books look at: a period (first and last day, both counted), the period it is
compared with, the presets the reports page offers, and the quarters VAT is declared over.
All days are Breda days: a period runs from midnight at its first day to midnight after its last."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from classes.models import STUDIO_TZ


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=STUDIO_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=STUDIO_TZ)

    @classmethod
    def day(cls, day: date) -> "Period":
        return cls(day, day)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """From midnight at the first day to midnight after the last, Breda time (a 23- or 25-hour day
        on a clock change)."""
        return self.start, self.end

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        """The period just before, of equal length. A period that starts on the first of a month is
        moved back by the number of calendar months it spans, so October is compared with September,
        a quarter with the quarter before and 1-15 November with 1-15 October (a last day beyond the
        shorter month becomes that month's last day). Any other period is compared with the same number
        of days just before it. (For this year so far against last year's, choose the comparison.)"""
        if self.first.day != 1:
            return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))
        months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        first = add_months(self.first, -months)
        last_month = add_months(self.last.replace(day=1), -months)
        month_end = end_of_month(last_month)
        last = month_end if self.last == end_of_month(self.last) else last_month.replace(day=min(self.last.day, month_end.day))
        return Period(first, last)


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first of the month `months` away from `day`'s month (`day` must be a first)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def presets(today: date) -> list[tuple[str, Period]]:
    """The periods the reports page offers as links: this month (so far), last month, this quarter
    (so far) and this year (so far)."""
    month = today.replace(day=1)
    last_month = add_months(month, -1)
    quarter = quarter_of(today)
    return [
        (_("This month"), Period(month, today)),
        (_("Last month"), Period(last_month, end_of_month(last_month))),
        (_("This quarter"), Period(quarter.first, today)),
        (_("This year"), Period(today.replace(month=1, day=1), today)),
    ]


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @property
    def first(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> date:
        return end_of_month(date(self.year, 3 * self.number, 1))

    @property
    def period(self) -> Period:
        return Period(self.first, self.last)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self):
        return _("Q%(number)d %(year)d") % {"number": self.number, "year": self.year}


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def quarters_in(period: Period) -> list[Quarter]:
    """Every quarter the period touches, whole: VAT is declared per quarter."""
    quarter, last = quarter_of(period.first), quarter_of(period.last)
    found = [quarter]
    while found[-1] != last:
        found.append(found[-1].next())
    return found


def percent(part, whole) -> Decimal:
    """part of whole in percent, to one decimal, half rounded up; 0 of nothing is 0."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
