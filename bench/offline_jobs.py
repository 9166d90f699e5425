"""Jobs timed outside the web servers: the slot finder (pure and over the database) and the
reminder job for 10,000 bookings."""

import json
import subprocess
import sys

from bench.stack import ROOT


def slot_finder():
    slots = subprocess.run([sys.executable, "bench/bench_slots.py", "30"], cwd=ROOT, capture_output=True, text=True, check=True)
    figure = json.loads(slots.stdout.strip().splitlines()[-1])
    return {"name": "slot finder (60 days, 200 busy)", "summary": f"median {figure['median_ms']} ms, p95 {figure['p95_ms']} ms", **figure}


def reminders(stack):
    figure = stack.shell("jobs.py")["reminders"]
    return {"name": "reminder job (10,000 bookings)",
            "summary": f"{figure['sent']} sent in {figure['seconds']} s ({figure['per_booking_ms']} ms each); "
                       f"second run sent {figure['second_run_sent']} in {figure['second_run_seconds']} s", **figure}


def slot_finder_db(stack):
    figure = stack.shell("slots_db.py")["slots_db"]
    return {"name": "slot finder over the database (60 days, 200 appointments and sessions)",
            "summary": f"median {figure['median_ms']} ms, p95 {figure['p95_ms']} ms for {figure['slots']} free moments "
                       f"({figure['appointments']} appointments, {figure['sessions']} sessions); "
                       f"re-check of one moment {figure['is_free_median_ms']} ms", **figure}


def run(stack) -> list:
    return [slot_finder(), reminders(stack), slot_finder_db(stack)]
