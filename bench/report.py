"""What `make bench` prints and keeps: the table of rows, the job lines, one check line per aim,
and bench/results/<stamp>.json."""

import json
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def print_table(rows):
    header = (f"{'page':<30} {'conn':>4} {'req/s':>8} {'trivial':>8} {'ratio':>6} {'p50 ms':>8} {'p95 ms':>8} "
              f" {'queries':>7} {'cached':>6} {'errors':>6}")
    print(header)
    print("-" * len(header))
    for row in rows:
        queries = "?" if row["queries"] is None else row["queries"]
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.3f}"  # no trivial request was answered
        print(f"{row['name']:<30} {row['concurrency']:>4} {row['rps']:>8.1f} {row['trivial_rps']:>8.1f} "
              f"{ratio:>6}{'*' if row['noisy'] else ' '}"
              f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f}  {queries:>7} {row['from_cache']:>6.0%} {row['errors']:>6}")
        if row["errors"]:
            print(f"{'':<30} statuses {row['statuses']}, socket errors {row['socket_errors']}")
    if any(row["noisy"] for row in rows):
        print("* the trivial rounds before and after differ by more than 30%: the machine's load changed; read with care")


def print_jobs(jobs):
    for job in jobs:
        print(f"{job['name']}: {job['summary']}")


def checks(rows, booking, jobs_by_name) -> list:
    """(passed, text) for each aim of issue 15."""
    found = []
    ratios = {(row["name"], row["concurrency"]): row["ratio"] for row in rows}
    for name in ("timetable (signed in)", "my bookings (signed in)"):
        for row in (row for row in rows if row["name"] == name):
            fresh = ratios.get((name.replace(")", ", fresh)"), row["concurrency"]))
            found.append((row["ratio"] >= 0.15 and not row["errors"],
                          f"{name} at {row['concurrency']} connections >= 0.15 of trivial: {row['ratio']:.3f} "
                          f"({row['from_cache']:.0%} from the cache{'' if fresh is None else f'; rendered afresh {fresh:.3f}'})"))
    lower_bound = " (ran out of bookers: a lower bound)" if booking["ran_out_of_bookers"] else ""
    found.append((booking["booked_per_second"] >= 100 and not booking["errors"],
                  f"credit bookings on one session >= 100/s: {booking['booked_per_second']:.1f}/s "
                  f"({booking['successes']} booked, {booking['refusals']} refused, {booking['errors']} errors){lower_bound}"))
    race = jobs_by_name["race"]
    found.append((race["exact"] and race["seconds"] < 5,
                  f"{race['attempts']} concurrent attempts for {race['places']} places exact in < 5 s: "
                  f"{race['booked']} booked in {race['seconds']:.2f} s"))
    reminders = jobs_by_name["reminders"]
    found.append((reminders["sent"] >= 10_000 and reminders["seconds"] < 10,
                  f"reminders for 10,000 bookings in < 10 s: {reminders['sent']} in {reminders['seconds']} s"))
    oversell, shown = jobs_by_name["oversell"], jobs_by_name["shown"]
    found.append((oversell["oversold"] == 0 and oversell["consistent"],
                  f"two servers, 0 oversell: {oversell['oversold']} oversold, places_taken {oversell['places_taken']}, "
                  f"{oversell['confirmed']} confirmed, capacity {oversell['capacity']}"))
    found.append((shown["shown_at_once"], "two servers, a change on one shows at once on the other's cached page"))
    member = jobs_by_name["membership_booking"]
    found.append((not member["errors"] and member["successes"] > 0,
                  f"membership bookings on one session: {member['booked_per_second']:.1f}/s, ratio {member['ratio']} of trivial "
                  f"({member['successes']} booked, {member['refusals']} refused, {member['errors']} errors)"))
    renewed = jobs_by_name["renewals"]
    found.append((renewed["exact"], f"{renewed['memberships']:,} memberships renewed through the webhook, each once: "
                                    f"{renewed['seconds']} s"))
    return found


def print_checks(found):
    for passed, text in found:
        print(f"[{'PASS' if passed else 'FAIL'}] {text}")


def save(result) -> str:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}.json").write_text(json.dumps({"when": stamp, **result}, indent=2))
    return f"bench/results/{stamp}.json"
