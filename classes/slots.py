"""Free-slot finder for one-to-one appointments (pure Python, no Django).

Everything is passed in (including ``now``); nothing reads the clock or the DB.

Semantics
---------
* Working hours are wall-clock times in ``tz`` (default Europe/Amsterdam), so a
  09:00 start stays 09:00 local on both sides of a DST change.
* Per date: weekly hours for that weekday; ``replace`` rows (all of them for
  that date, combined) take the place of the weekly hours; ``extra`` rows are
  added; any ``off`` row wins over everything and leaves no hours that date.
  Overlapping or touching intervals are merged into one working interval.
* Wall times are resolved like RFC 5545 / Python's ``fold=0``: a time that does
  not exist (02:30 on the spring-forward night) is pushed forward by the gap
  (-> 03:30 summer time); an ambiguous one (02:30 on the fall-back night)
  means its first occurrence. An interval that collapses to nothing (e.g.
  02:30-03:00 on the spring-forward night) is dropped.
* Durations, steps and buffers are real elapsed time. Candidate starts are
  ``interval_start + k * step``; a slot ``[start, start + duration)`` must fit
  inside one working interval.
* ``busy`` intervals (sessions, appointments) are widened by ``buffer`` on both
  sides; ``closures`` are not. Intervals are half-open, so a slot may start
  exactly ``buffer`` after a busy end and end exactly ``buffer`` before a busy
  start.
* A slot must lie entirely within ``[now + minimum_notice, now + horizon]``.
* Results are aware datetimes in **UTC**, sorted and unique. (UTC avoids the
  stdlib quirk that two same-tzinfo datetimes in the repeated autumn hour
  compare and subtract by wall clock.) Use ``slots_by_day`` for display.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

__all__ = ["WorkingHours", "DateException", "days_off", "free_slots",
           "is_slot_free", "slots_by_day", "STUDIO_TZ"]

STUDIO_TZ = ZoneInfo("Europe/Amsterdam")
Kind = Literal["off", "extra", "replace"]
KINDS = ("off", "extra", "replace")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_DAY = timedelta(days=1)


def _check_times(owner: str, start: time, end: time) -> None:
    if not isinstance(start, time) or not isinstance(end, time):
        raise ValueError(f"{owner}: start and end must be datetime.time values")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError(f"{owner}: start/end are wall-clock times and must be naive")
    if end <= start:
        raise ValueError(f"{owner}: end {end} must be after start {start}")


@dataclass(frozen=True)
class WorkingHours:
    """A weekly working interval; weekday 0=Monday .. 6=Sunday."""
    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise ValueError(f"WorkingHours: weekday must be 0 (Monday)..6, got {self.weekday!r}")
        _check_times("WorkingHours", self.start, self.end)


@dataclass(frozen=True)
class DateException:
    """``off``: no hours that date; ``extra``: add an interval; ``replace``:
    only the given interval(s) that date (several rows for one date combine)."""
    date: date
    start: time | None = None
    end: time | None = None
    kind: Kind = "off"

    def __post_init__(self) -> None:
        if not isinstance(self.date, date) or isinstance(self.date, datetime):
            raise ValueError("DateException: date must be a datetime.date")
        if self.kind not in KINDS:
            raise ValueError(f"DateException: kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind == "off":
            if self.start is not None or self.end is not None:
                raise ValueError("DateException: an 'off' exception takes no start/end")
        else:
            _check_times(f"DateException({self.kind})", self.start, self.end)


def days_off(first: date, last: date) -> list[DateException]:
    """A holiday range: one ``off`` exception for every date first..last inclusive."""
    if last < first:
        raise ValueError(f"days_off: last {last} is before first {first}")
    return [DateException(first + timedelta(days=i)) for i in range((last - first).days + 1)]


def _us(dt: datetime, what: str) -> int:
    if not isinstance(dt, datetime) or dt.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {dt!r}")
    return (dt - _EPOCH) // _US


def _span(value: timedelta, what: str, *, positive: bool) -> int:
    if not isinstance(value, timedelta):
        raise ValueError(f"{what} must be a timedelta, got {value!r}")
    if value < timedelta(0) or (positive and not value):
        raise ValueError(f"{what} must be {'positive' if positive else 'non-negative'}, got {value}")
    return value // _US


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


class _Plan(NamedTuple):
    weekly: dict[int, list[tuple[time, time]]]
    exceptions: dict[date, list[DateException]]
    busy_starts: list[int]
    busy_ends: list[int]
    duration: int
    step: int
    lo: int  # earliest allowed slot start
    hi: int  # latest allowed slot end
    tz: tzinfo


def _prepare(weekly_hours, exceptions, busy, closures, duration, buffer, now,
             minimum_notice, horizon, step, tz) -> _Plan:
    if not isinstance(tz, tzinfo):
        raise ValueError(f"tz must be a tzinfo (e.g. ZoneInfo), got {tz!r}")
    weekly: dict[int, list[tuple[time, time]]] = {}
    for wh in weekly_hours:
        if not isinstance(wh, WorkingHours):
            raise ValueError(f"weekly_hours items must be WorkingHours, got {wh!r}")
        weekly.setdefault(wh.weekday, []).append((wh.start, wh.end))
    by_date: dict[date, list[DateException]] = {}
    for ex in exceptions:
        if not isinstance(ex, DateException):
            raise ValueError(f"exceptions items must be DateException, got {ex!r}")
        by_date.setdefault(ex.date, []).append(ex)
    buf = _span(buffer, "buffer", positive=False)
    blocked = []
    for pad, rows, what in ((buf, busy, "busy"), (0, closures, "closures")):
        for row in rows:
            s, e = (_us(x, f"{what} interval bound") for x in row)
            if e <= s:
                raise ValueError(f"{what} interval {row[0]} .. {row[1]}: end must be after start")
            blocked.append((s - pad, e + pad))
    merged = _merge(blocked)
    now_us = _us(now, "now")
    return _Plan(weekly, by_date, [s for s, _ in merged], [e for _, e in merged],
                 _span(duration, "duration", positive=True), _span(step, "step", positive=True),
                 now_us + _span(minimum_notice, "minimum_notice", positive=False),
                 now_us + _span(horizon, "horizon", positive=False), tz)


def _wall_intervals(plan: _Plan, day: date) -> list[tuple[time, time]]:
    rows = plan.exceptions.get(day, ())
    if any(ex.kind == "off" for ex in rows):
        return []
    replace = [(ex.start, ex.end) for ex in rows if ex.kind == "replace"]
    base = replace if replace else plan.weekly.get(day.weekday(), [])
    return base + [(ex.start, ex.end) for ex in rows if ex.kind == "extra"]


def _working(plan: _Plan, first: date, last: date) -> list[tuple[int, int]]:
    """Merged working intervals (UTC microseconds) for local dates first..last."""
    out = []
    day = first
    while day <= last:
        for start, end in _wall_intervals(plan, day):
            s = (datetime.combine(day, start, tzinfo=plan.tz) - _EPOCH) // _US
            e = (datetime.combine(day, end, tzinfo=plan.tz) - _EPOCH) // _US
            if s < e:
                out.append((s, e))
        day += _DAY
    return _merge(out)


def _first_k(ws: int, at_least: int, step: int) -> int:
    return max(0, -((ws - at_least) // step))  # ceil((at_least - ws) / step)


def _local_date(us: int, tz: tzinfo) -> date:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(tz).date()


def free_slots(*, weekly_hours: Iterable[WorkingHours], exceptions: Iterable[DateException],
               busy: Iterable[tuple[datetime, datetime]], duration: timedelta,
               buffer: timedelta, now: datetime, minimum_notice: timedelta,
               horizon: timedelta, step: timedelta = timedelta(minutes=15),
               tz: tzinfo = STUDIO_TZ,
               closures: Iterable[tuple[datetime, datetime]] = ()) -> list[datetime]:
    """All bookable slot starts as sorted, unique, aware UTC datetimes."""
    plan = _prepare(weekly_hours, exceptions, busy, closures, duration, buffer, now,
                    minimum_notice, horizon, step, tz)
    if plan.lo + plan.duration > plan.hi:
        return []
    first = _local_date(plan.lo, tz) - _DAY
    last = _local_date(plan.hi, tz) + _DAY
    starts, ends, dur, stp = plan.busy_starts, plan.busy_ends, plan.duration, plan.step
    out: list[datetime] = []
    for ws, we in _working(plan, first, last):
        limit = min(we, plan.hi) - dur  # latest start
        s = ws + _first_k(ws, plan.lo, stp) * stp
        i = bisect_right(ends, s)
        while s <= limit:
            while i < len(ends) and ends[i] <= s:
                i += 1
            if i < len(ends) and starts[i] < s + dur:
                s = ws + _first_k(ws, ends[i], stp) * stp  # jump past the busy block
                continue
            out.append(_EPOCH + timedelta(microseconds=s))
            s += stp
    return out


def is_slot_free(start: datetime, *, weekly_hours: Iterable[WorkingHours],
                 exceptions: Iterable[DateException], busy: Iterable[tuple[datetime, datetime]],
                 duration: timedelta, buffer: timedelta, now: datetime,
                 minimum_notice: timedelta, horizon: timedelta,
                 step: timedelta = timedelta(minutes=15), tz: tzinfo = STUDIO_TZ,
                 closures: Iterable[tuple[datetime, datetime]] = ()) -> bool:
    """True iff ``start`` is in ``free_slots(**same_kwargs)`` (any aware tz).

    Meant for re-checking a chosen slot inside a locked transaction: pass the
    same keyword arguments, with ``busy`` freshly read under the lock."""
    plan = _prepare(weekly_hours, exceptions, busy, closures, duration, buffer, now,
                    minimum_notice, horizon, step, tz)
    s = _us(start, "start")
    e = s + plan.duration
    if s < plan.lo or e > plan.hi:
        return False
    day = _local_date(s, plan.tz)
    for ws, we in _working(plan, day - _DAY, day + _DAY):
        if ws <= s and e <= we and (s - ws) % plan.step == 0:
            i = bisect_right(plan.busy_ends, s)
            return i == len(plan.busy_ends) or plan.busy_starts[i] >= e
    return False


def slots_by_day(slots: Iterable[datetime], tz: tzinfo = STUDIO_TZ) -> dict[date, list[datetime]]:
    """Group slots by local date in ``tz`` (dates ascending); values are the
    slots converted to ``tz`` for display, in chronological order."""
    days: dict[date, list[datetime]] = {}
    for slot in sorted(slots, key=lambda d: _us(d, "slot")):
        local = slot.astimezone(tz)
        days.setdefault(local.date(), []).append(local)
    return days
