"""Benchmark classes/slots.py: 60 days of free slots with 200 busy intervals.

Run from anywhere: ``python bench/bench_slots.py [runs]`` (standard library only).
Prints median and p95 in milliseconds, then one JSON line.
"""
from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classes.slots import DateException, WorkingHours, days_off, free_slots, is_slot_free  # noqa: E402

AMS = ZoneInfo("Europe/Amsterdam")


def build_case(seed: int = 2026, n_busy: int = 200) -> dict:
    rng = random.Random(seed)
    now = datetime(2026, 3, 2, 8, 17, tzinfo=AMS)  # window crosses the March DST change
    weekly = [WorkingHours(d, time(9), time(12)) for d in range(5)]
    weekly += [WorkingHours(d, time(13), time(17, 30)) for d in range(4)]
    weekly += [WorkingHours(5, time(10), time(14))]
    exceptions = days_off(date(2026, 4, 6), date(2026, 4, 10))
    exceptions += [DateException(date(2026, 3, 15), time(10), time(13), kind="extra"),
                   DateException(date(2026, 3, 18), time(18), time(21), kind="replace")]
    busy = []
    for _ in range(n_busy):
        day = now.date() + timedelta(days=rng.randrange(0, 62))
        start = datetime.combine(day, time(rng.randrange(8, 19), rng.choice([0, 15, 30, 45])),
                                 tzinfo=AMS)
        busy.append((start, start + timedelta(minutes=rng.choice([45, 60, 60, 75, 90]))))
    closures = [(datetime(2026, 4, 20, tzinfo=AMS), datetime(2026, 4, 22, tzinfo=AMS))]
    return dict(weekly_hours=weekly, exceptions=exceptions, busy=busy, closures=closures,
                duration=timedelta(minutes=60), buffer=timedelta(minutes=15), now=now,
                minimum_notice=timedelta(hours=24), horizon=timedelta(days=60),
                step=timedelta(minutes=15), tz=AMS)


def timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = clock.perf_counter()
        fn()
        samples.append((clock.perf_counter() - t0) * 1000.0)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    case = build_case()
    result = free_slots(**case)
    free_slots(**case)  # warm-up
    samples = timed(lambda: free_slots(**case), runs)
    check = timed(lambda: is_slot_free(result[len(result) // 2], **case), runs)
    report = {
        "bench": "free_slots", "days": 60, "busy_intervals": len(case["busy"]),
        "slots": len(result), "runs": runs,
        "median_ms": round(statistics.median(samples), 3), "p95_ms": round(p95(samples), 3),
        "is_slot_free_median_ms": round(statistics.median(check), 3),
        "python": platform.python_version(),
    }
    print(f"free_slots: 60 days, {len(case['busy'])} busy intervals, {len(result)} slots, "
          f"{runs} runs")
    print(f"  median {report['median_ms']:.3f} ms   p95 {report['p95_ms']:.3f} ms")
    print(f"is_slot_free: median {report['is_slot_free_median_ms']:.3f} ms")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
