"""What `make bench` measures: pages (against the trivial view) and background jobs."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pages(env):
    """(name, method, path, extra) for every page measured against the trivial view."""
    return [
        ("timetable", "GET", "/rooster/", {}),
    ]


def jobs(env):
    """Timed jobs, each measured in this run."""
    results = []
    slots = subprocess.run([sys.executable, "bench/bench_slots.py", "30"], cwd=ROOT, capture_output=True, text=True, check=True)
    figure = json.loads(slots.stdout.strip().splitlines()[-1])
    results.append({"name": "slot finder (60 days, 200 busy)", "summary": f"median {figure['median_ms']} ms, p95 {figure['p95_ms']} ms", **figure})
    return results
