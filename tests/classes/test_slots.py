"""Tests for classes/slots.py (pure Python; no Django needed)."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from classes.slots import DateException, WorkingHours, days_off, free_slots, is_slot_free, slots_by_day

AMS = ZoneInfo("Europe/Amsterdam")
MIN = timedelta(minutes=1)
MON = date(2026, 6, 1)  # a Monday, far from any DST change


def local(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=AMS)


def kwargs(**over):
    kw = dict(
        weekly_hours=[WorkingHours(MON.weekday(), time(9), time(12)),
                      WorkingHours(MON.weekday(), time(13), time(17))],
        exceptions=[], busy=[], duration=timedelta(hours=1), buffer=timedelta(minutes=15),
        now=local(MON - timedelta(days=1), 0), minimum_notice=timedelta(0),
        horizon=timedelta(days=14), step=timedelta(minutes=30),
    )
    kw.update(over)
    return kw


def run(**over):
    kw = kwargs(**over)
    result = free_slots(**kw)
    assert result == sorted(result) and len(set(result)) == len(result)
    assert all(s.tzinfo is UTC for s in result)
    assert all(is_slot_free(s, **kw) for s in result)
    return result


def hhmm(result, day: date) -> list[str]:
    return [s.astimezone(AMS).strftime("%H:%M") for s in result if s.astimezone(AMS).date() == day]


# --- working hours and exceptions -------------------------------------------

def test_working_hours_only():
    result = run()
    assert hhmm(result, MON) == ["09:00", "09:30", "10:00", "10:30", "11:00",
                                 "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00"]
    assert hhmm(result, MON + timedelta(days=1)) == []
    assert hhmm(result, MON + timedelta(days=7)) == hhmm(result, MON)
    assert {s.astimezone(AMS).weekday() for s in result} == {0}


def test_day_off():
    result = run(exceptions=[DateException(MON)])
    assert hhmm(result, MON) == []
    assert hhmm(result, MON + timedelta(days=7))[0] == "09:00"


def test_holiday_range():
    result = run(exceptions=days_off(MON, MON + timedelta(days=9)), horizon=timedelta(days=21))
    assert {s.astimezone(AMS).date() for s in result} == {MON + timedelta(days=14)}
    assert len(days_off(MON, MON)) == 1
    with pytest.raises(ValueError, match="before first"):
        days_off(MON, MON - timedelta(days=1))


def test_extra_hours_on_a_free_day_and_merged_with_weekly():
    sat = MON + timedelta(days=5)
    result = run(exceptions=[DateException(sat, time(10), time(14), kind="extra")])
    assert hhmm(result, sat) == ["10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00"]
    # An extra 11:30-13:00 bridges 09-12 and 13-17 into one interval (grid stays on 09:00).
    result = run(exceptions=[DateException(MON, time(11, 30), time(13), kind="extra")])
    assert hhmm(result, MON) == [f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 30)][:-1]


def test_replace_rows_combine_and_drop_weekly_hours():
    rows = [DateException(MON, time(14), time(15), kind="replace"),
            DateException(MON, time(18), time(19, 30), kind="replace"),
            DateException(MON, time(20), time(21), kind="extra")]
    result = run(exceptions=rows)
    assert hhmm(result, MON) == ["14:00", "18:00", "18:30", "20:00"]
    assert hhmm(result, MON + timedelta(days=7))[0] == "09:00"


def test_off_wins_over_extra_and_replace():
    rows = [DateException(MON), DateException(MON, time(18), time(20), kind="extra"),
            DateException(MON, time(6), time(8), kind="replace")]
    assert hhmm(run(exceptions=rows), MON) == []


# --- busy intervals and buffers ---------------------------------------------

def test_buffer_exact_boundaries():
    kw = dict(weekly_hours=[WorkingHours(0, time(9), time(17))], step=timedelta(minutes=15),
              busy=[(local(MON, 12), local(MON, 13))])
    got = hhmm(run(**kw), MON)
    assert got[got.index("10:30"):got.index("10:45") + 2] == ["10:30", "10:45", "13:15"]
    assert "11:00" not in got and "13:00" not in got  # would touch the 15 min buffer
    full = kwargs(**kw)
    assert is_slot_free(local(MON, 10, 45), **full)       # ends 11:45 = busy start - buffer
    assert not is_slot_free(local(MON, 10, 46), **full)   # off grid anyway
    assert not is_slot_free(local(MON, 11), **full)
    assert is_slot_free(local(MON, 13, 15), **full)       # starts at busy end + buffer
    assert not is_slot_free(local(MON, 13), **full)
    got = hhmm(run(buffer=timedelta(0), **kw), MON)
    assert "11:00" in got and "13:00" in got and "11:15" not in got


def test_busy_grid_jump_keeps_alignment():
    kw = dict(weekly_hours=[WorkingHours(0, time(9), time(17))], step=timedelta(minutes=30),
              busy=[(local(MON, 10, 5), local(MON, 10, 20))])
    # Padded busy 09:50-10:35: next grid start after it is 11:00, not 10:35.
    assert hhmm(run(**kw), MON)[:3] == ["11:00", "11:30", "12:00"]


def test_busy_closure_spanning_days():
    tue, wed, thu = (MON + timedelta(days=i) for i in (1, 2, 3))
    weekly = [WorkingHours(d, time(9), time(17)) for d in range(5)]
    span = (local(tue, 15), local(thu, 10))
    result = run(weekly_hours=weekly, busy=[span])
    assert hhmm(result, tue)[-1] == "13:30"  # ends 14:30; 14:00 would end inside the buffer
    assert hhmm(result, wed) == []
    assert hhmm(result, thu)[0] == "10:30"  # 10:15 is off the 30-min grid
    result = run(weekly_hours=weekly, closures=[span], step=timedelta(minutes=15))
    assert hhmm(result, tue)[-1] == "14:00" and hhmm(result, thu)[0] == "10:00"


# --- notice and horizon -------------------------------------------------------

def test_minimum_notice():
    result = run(now=local(MON, 8, 10), minimum_notice=timedelta(hours=2))
    assert hhmm(result, MON)[0] == "10:30"  # earliest 10:10, next grid point 10:30
    result = run(now=local(MON, 8), minimum_notice=timedelta(hours=2))
    assert hhmm(result, MON)[0] == "10:00"  # exactly now + notice is allowed
    result = run(now=local(MON, 8), minimum_notice=timedelta(hours=24))
    assert hhmm(result, MON) == [] and hhmm(result, MON + timedelta(days=7))[0] == "09:00"


def test_horizon():
    weekly = [WorkingHours(d, time(9), time(12)) for d in range(5)]
    wed = MON + timedelta(days=2)
    result = run(weekly_hours=weekly, now=local(MON, 0), horizon=timedelta(days=2, hours=11))
    assert hhmm(result, wed) == ["09:00", "09:30", "10:00"]  # must end by 11:00
    assert max(result) == local(wed, 10)
    assert run(weekly_hours=weekly, horizon=timedelta(minutes=30)) == []
    assert run(minimum_notice=timedelta(days=30), horizon=timedelta(days=14)) == []


# --- daylight saving time (2026: 29 March and 25 October) -------------------

@pytest.mark.parametrize("friday,monday,off_before,off_after", [
    (date(2026, 3, 27), date(2026, 3, 30), 1, 2),
    (date(2026, 10, 23), date(2026, 10, 26), 2, 1),
])
def test_dst_weeks_keep_wall_clock(friday, monday, off_before, off_after):
    weekly = [WorkingHours(d, time(9), time(12)) for d in range(5)]
    result = run(weekly_hours=weekly, now=local(friday - timedelta(days=2), 12),
                 minimum_notice=timedelta(hours=24), horizon=timedelta(days=7))
    by_day = slots_by_day(result, AMS)
    for day, offset in ((friday, off_before), (monday, off_after)):
        first = by_day[day][0]
        assert first.strftime("%H:%M") == "09:00"
        assert first.utcoffset() == timedelta(hours=offset)
        assert first.astimezone(UTC).hour == 9 - offset
        assert hhmm(result, day) == ["09:00", "09:30", "10:00", "10:30", "11:00"]


def test_nonexistent_wall_time_on_spring_forward_night():
    sun = date(2026, 3, 29)
    base = dict(weekly_hours=[], now=local(sun - timedelta(days=1), 0),
                duration=timedelta(minutes=30), horizon=timedelta(days=3))
    # 02:30 does not exist: it is pushed forward by the gap to 03:30 CEST.
    result = run(exceptions=[DateException(sun, time(2, 30), time(5), kind="extra")], **base)
    assert [s.astimezone(AMS).isoformat() for s in result] == [
        "2026-03-29T03:30:00+02:00", "2026-03-29T04:00:00+02:00", "2026-03-29T04:30:00+02:00"]
    # 01:00-03:00 is one real hour (00:00-01:00 UTC).
    result = run(exceptions=[DateException(sun, time(1), time(3), kind="extra")], **base)
    assert [s.isoformat() for s in result] == ["2026-03-29T00:00:00+00:00",
                                               "2026-03-29T00:30:00+00:00"]
    # 02:30-03:00 collapses to nothing: no slots and no error.
    assert run(exceptions=[DateException(sun, time(2, 30), time(3), kind="replace")],
               **base) == []


def test_repeated_hour_on_fall_back_night():
    sun = date(2026, 10, 25)
    result = run(weekly_hours=[], exceptions=[DateException(sun, time(1), time(4), kind="extra")],
                 now=local(sun - timedelta(days=1), 0), step=timedelta(hours=1),
                 horizon=timedelta(days=3))
    assert [s.strftime("%H:%M") for s in result] == ["23:00", "00:00", "01:00", "02:00"]
    grouped = slots_by_day(result, AMS)
    assert list(grouped) == [sun]
    assert [s.strftime("%H:%M%z") for s in grouped[sun]] == [
        "01:00+0200", "02:00+0200", "02:00+0100", "03:00+0100"]


# --- grouping and validation ------------------------------------------------

def test_slots_by_day_groups_local_dates_in_order():
    late = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 June in Amsterdam
    early = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    grouped = slots_by_day([late, early])
    assert list(grouped) == [date(2026, 6, 1), date(2026, 6, 2)]
    assert grouped[date(2026, 6, 2)][0].strftime("%H:%M") == "00:30"
    assert slots_by_day([], AMS) == {}


@pytest.mark.parametrize("make,message", [
    (lambda: WorkingHours(0, time(12), time(9)), "after start"),
    (lambda: WorkingHours(0, time(9), time(9)), "after start"),
    (lambda: WorkingHours(7, time(9), time(10)), "weekday"),
    (lambda: DateException(MON, kind="holiday"), "kind"),
    (lambda: DateException(MON, time(9), time(10)), "takes no start"),
    (lambda: DateException(MON, kind="extra"), "datetime.time"),
    (lambda: DateException(MON, time(11), time(10), kind="replace"), "after start"),
    (lambda: run(duration=timedelta(0)), "duration must be positive"),
    (lambda: run(duration=timedelta(minutes=-5)), "duration"),
    (lambda: run(step=timedelta(0)), "step"),
    (lambda: run(buffer=timedelta(minutes=-1)), "buffer"),
    (lambda: run(minimum_notice=timedelta(hours=-1)), "minimum_notice"),
    (lambda: run(now=datetime(2026, 6, 1, 9)), "timezone-aware"),
    (lambda: run(busy=[(local(MON, 11), local(MON, 10))]), "end must be after start"),
    (lambda: run(closures=[(local(MON, 10), local(MON, 10))]), "end must be after start"),
    (lambda: run(busy=[(datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10))]), "aware"),
    (lambda: is_slot_free(datetime(2026, 6, 1, 9), **kwargs()), "aware"),
])
def test_validation(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# --- randomized: agreement with is_slot_free and a naive reference -----------

def reference(kw):
    """Deliberately naive: every grid candidate, checked against every interval."""
    tz, dur, step = kw["tz"], kw["duration"], kw["step"]
    now = kw["now"].astimezone(UTC)  # aware local + timedelta would be wall-clock maths
    lo, hi = now + kw["minimum_notice"], now + kw["horizon"]
    day, last = lo.astimezone(tz).date() - timedelta(days=1), hi.astimezone(tz).date()
    spans = []
    while day <= last + timedelta(days=1):
        rows = [e for e in kw["exceptions"] if e.date == day]
        if not any(e.kind == "off" for e in rows):
            hours = [(e.start, e.end) for e in rows if e.kind == "replace"] or [
                (w.start, w.end) for w in kw["weekly_hours"] if w.weekday == day.weekday()]
            for a, b in hours + [(e.start, e.end) for e in rows if e.kind == "extra"]:
                a, b = (datetime.combine(day, t, tzinfo=tz).astimezone(UTC) for t in (a, b))
                if a < b:
                    spans.append([a, b])
        day += timedelta(days=1)
    merged = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    pad = kw["buffer"]
    blocked = [(s.astimezone(UTC) - pad, e.astimezone(UTC) + pad) for s, e in kw["busy"]]
    blocked += [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in kw["closures"]]
    candidates, free = [], []
    for a, b in merged:
        t = a
        while t + dur <= b:
            candidates.append(t)
            if lo <= t and t + dur <= hi and all(not (t < e and s < t + dur) for s, e in blocked):
                free.append(t)
            t += step
    return candidates, free


def random_case(rng: random.Random):
    if rng.random() < 0.4:
        anchor = rng.choice([datetime(2026, 3, 29, 12, tzinfo=UTC),
                             datetime(2026, 10, 25, 12, tzinfo=UTC)])
        now = anchor - timedelta(days=rng.uniform(0, 4))
    else:
        now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rng.uniform(0, 365))
    now = now.replace(microsecond=0).astimezone(AMS)

    def wall():
        a = rng.randrange(0, 23 * 12) * 5
        b = min(a + rng.randrange(1, 10 * 12) * 5, 24 * 60 - 1)
        return time(a // 60, a % 60), time(b // 60, b % 60)

    weekly = [WorkingHours(d, *wall()) for d in range(7) for _ in range(rng.randrange(0, 3))]
    today = now.date()
    exceptions = []
    for _ in range(rng.randrange(0, 5)):
        d = today + timedelta(days=rng.randrange(-1, 7))
        kind = rng.choice(["off", "extra", "replace", "replace"])
        exceptions.append(DateException(d, kind=kind) if kind == "off"
                          else DateException(d, *wall(), kind=kind))

    def interval():
        start = now + timedelta(minutes=rng.randrange(-24 * 60, 7 * 24 * 60))
        return start, start + timedelta(minutes=rng.randrange(5, rng.choice([180, 3000])))

    return dict(
        weekly_hours=weekly, exceptions=exceptions,
        busy=[interval() for _ in range(rng.randrange(0, 25))],
        closures=[interval() for _ in range(rng.randrange(0, 2))],
        duration=timedelta(minutes=rng.randrange(3, 25) * 5),
        buffer=timedelta(minutes=rng.choice([0, 5, 10, 15, 30])),
        now=now, minimum_notice=timedelta(minutes=rng.randrange(0, 30 * 60)),
        horizon=timedelta(hours=rng.randrange(30, 7 * 24)),
        step=timedelta(minutes=rng.choice([5, 10, 15, 20, 30, 60, 45])),
        tz=AMS,
    )


@pytest.mark.parametrize("seed", range(300))
def test_randomized_agreement(seed):
    rng = random.Random(seed)
    kw = random_case(rng)
    result = free_slots(**kw)
    candidates, expected = reference(kw)
    assert result == expected
    assert result == sorted(result) and len(set(result)) == len(result)
    chosen = set(result)
    probes = candidates + [c + d for c in rng.sample(candidates, min(20, len(candidates)))
                           for d in (MIN, -MIN, timedelta(seconds=1))]
    for probe in probes:
        assert is_slot_free(probe, **kw) == (probe in chosen), probe
        assert is_slot_free(probe.astimezone(AMS), **kw) == (probe in chosen)
    pad, now = kw["buffer"], kw["now"].astimezone(UTC)
    for s in result:
        e = s + kw["duration"]
        assert now + kw["minimum_notice"] <= s and e <= now + kw["horizon"]
        for bs, be in kw["busy"]:
            assert e <= bs.astimezone(UTC) - pad or s >= be.astimezone(UTC) + pad
        for bs, be in kw["closures"]:
            assert e <= bs or s >= be
