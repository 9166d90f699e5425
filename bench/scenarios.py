"""What `make bench` measures: pages against the trivial view, and timed jobs."""

import json
import subprocess
import sys
from pathlib import Path

from bench.load import all_at_once, fixed

ROOT = Path(__file__).resolve().parent.parent


def shell(env, script, *args):
    """Run a script of bench/ inside Django (the bench's settings and database); its last line is JSON."""
    code = f"import sys; sys.argv = ['{script}', *{list(args)!r}]; exec(open('bench/{script}').read())"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"bench/{script} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare(env):
    return shell(env, "setup_data.py", "32")


def demo_paths(env):
    code = (
        "from classes.models import Session; from blog.models import Post; from django.utils import timezone; import json; "
        "s = Session.objects.shown().scheduled().upcoming(timezone.now()).order_by('starts_at').first(); "
        "p = Post.objects.filter(slug__startswith='de-spier').first() or Post.objects.first(); "
        "print(json.dumps({'session': s.get_absolute_url(), 'post': p.get_absolute_url() if p else None}))"
    )
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def pages(env, data):
    """(name, request_for) for every page measured against the trivial view."""
    paths = demo_paths(env)
    clients = data["clients"]

    def signed_in(method, path, body=None):
        def request(index, counter):
            client = clients[index % len(clients)]
            headers = {"Cookie": client["cookie"], "X-CSRFToken": client["csrf"]}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            return method, path, body, headers
        return request

    def book_with_card(index, counter):
        # Each client walks through its own run of sessions: every POST is a real, new booking.
        client = clients[index % len(clients)]
        session = data["sessions"][(counter * len(clients) + index) % len(data["sessions"])]
        return ("POST", f"/boeken/{session}/", "pay_with=card",
                {"Cookie": client["cookie"], "X-CSRFToken": client["csrf"], "Content-Type": "application/x-www-form-urlencoded"})

    scenarios = [
        ("home", fixed("GET", "/")),
        ("timetable", fixed("GET", "/rooster/")),
        ("session page", fixed("GET", paths["session"])),
        ("offering page", fixed("GET", "/lessen/yin-yoga/")),
        ("my bookings (signed in)", signed_in("GET", "/mijn-boekingen/")),
        ("credit booking POST", book_with_card),
    ]
    if paths["post"]:
        scenarios.insert(4, ("blog post", fixed("GET", paths["post"])))
    return scenarios


def race(port, data):
    """500 clients at once for a session of 12 places."""
    path = f"/boeken/{data['race_session']}/"
    requests = [("POST", path, "pay_with=card", {"Cookie": r["cookie"], "X-CSRFToken": r["csrf"],
                                                 "Content-Type": "application/x-www-form-urlencoded"}) for r in data["racers"]]
    seconds, statuses = all_at_once(port, requests)
    booked = sum(1 for status, location in statuses if status == 302 and "mijn-boekingen" in location)
    refused = sum(1 for status, location in statuses if status == 302 and location.endswith(path))
    failed = sum(1 for status, _ in statuses if status not in (302,))
    return {"name": "500 booking attempts for 12 places", "attempts": len(requests), "booked": booked, "refused_full": refused,
            "errors": failed, "seconds": round(seconds, 2),
            "summary": f"{booked} booked, {refused} told 'full', {failed} errors, in {seconds:.2f} s"}


def jobs(env):
    results = []
    slots = subprocess.run([sys.executable, "bench/bench_slots.py", "30"], cwd=ROOT, capture_output=True, text=True, check=True)
    figure = json.loads(slots.stdout.strip().splitlines()[-1])
    results.append({"name": "slot finder (60 days, 200 busy)", "summary": f"median {figure['median_ms']} ms, p95 {figure['p95_ms']} ms", **figure})
    reminders = shell(env, "jobs.py")["reminders"]
    results.append({"name": "reminder job (10,000 bookings)",
                    "summary": f"{reminders['sent']} sent in {reminders['seconds']} s ({reminders['per_booking_ms']} ms each); "
                               f"second run sent {reminders['second_run_sent']} in {reminders['second_run_seconds']} s", **reminders})
    finder = shell(env, "slots_db.py")["slots_db"]
    results.append({"name": "slot finder over the database (60 days, 200 appointments and sessions)",
                    "summary": f"median {finder['median_ms']} ms, p95 {finder['p95_ms']} ms for {finder['slots']} free moments "
                               f"({finder['appointments']} appointments, {finder['sessions']} sessions); "
                               f"re-check of one moment {finder['is_free_median_ms']} ms", **finder})
    return results

