"""`make bench`: serve the site as in production (gunicorn sync workers, PostgreSQL, Redis on
127.0.0.1), load it with wrk and measure it, in one run.

Every page figure is a ratio to a trivial Django view served by the same gunicorn in the same
run (trivial, page, trivial again), so a busy machine slows both sides alike. Pages are measured
cached, rendered fresh and signed in, at 8 and 32 connections, with the SQL queries of one
request; then credit bookings per second on one session, the race for 12 places, two web servers
on one database, and timed jobs; then membership bookings on one session and the renewal of 1,000
memberships through the webhook (the bench's own Stripe stand-in sending the month's events). Prints a table and a check line per aim, and writes
bench/results/<timestamp>.json.

    python bench/run.py                 # everything
    python bench/run.py --seconds 2     # shorter rounds
"""

import argparse
import json
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import booking, offline_jobs, pages, race, renewals, report, two_servers, wrk  # noqa: E402
from bench.stack import Stack  # noqa: E402

CONNECTIONS = (8, 32)


def prepare(stack, work, bookers) -> dict:
    print("Preparing: migrate, demo data, static files, bench data...", flush=True)
    stack.manage("migrate", "--noinput")
    stack.manage("demo")
    stack.manage("collectstatic", "--noinput")
    return stack.shell("setup_data.py", work, bookers)


def count_queries(stack, work, rows, data) -> dict:
    """{row name: queries of one request}; an answer other than the row's expected one is reported."""
    specs = [row.query_spec(data["signed_in_email"]) for row in rows]
    specs.append({"name": "credit booking POST", "method": "POST", "path": data["paths"]["book"]["count"], "fresh": False,
                  "email": data["booker_email"], "data": {"pay_with": "card"}})
    specs.append({"name": "membership booking POST", "method": "POST", "path": data["paths"]["book"]["member_count"], "fresh": False,
                  "email": data["member_email"], "data": {"pay_with": "membership"}})
    spec_file = Path(work) / "queries.json"
    spec_file.write_text(json.dumps(specs))
    counted = stack.shell("queries.py", spec_file)
    for name, figure in counted.items():
        expected = 302 if name.endswith("booking POST") else 200
        if figure["status"] != expected:
            print(f"  note: counting queries, {name} answered {figure['status']} (expected {expected})")
    return {name: figure["queries"] for name, figure in counted.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measuring round (whole seconds, at least 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--bookers", type=int, default=2500, help="clients made for the credit-booking row (each books once)")
    parser.add_argument("--renewals", type=int, default=1000, help="memberships renewed through the webhook")
    args = parser.parse_args()
    wrk.require_wrk()
    # A stopped bench (Ctrl-C or SIGTERM) still stops its servers and removes their folders.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    stack = Stack(workers=args.workers)
    try:
        stack.start()
        work = stack.directory()
        data = prepare(stack, work, args.bookers)
        paths, files = data["paths"], {name: str(Path(work) / f"{name}.tsv") for name in ("clients", "bookers", "members", "racers", "pair")}
        rows = pages.rows_for(paths)
        queries = count_queries(stack, work, rows, data)

        port = stack.web()
        print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; {stack.describe()}; load from wrk\n", flush=True)
        measured = []
        for connections in CONNECTIONS:
            measured += pages.measure(port, rows, files["clients"], queries, connections=connections, seconds=args.seconds)
        booked = booking.measure(port, paths["book"], files["bookers"], bookers=args.bookers, seconds=args.seconds,
                                 queries=queries.get("credit booking POST"))
        member_booked = booking.measure(port, paths["member_book"], files["members"], bookers=args.bookers, seconds=args.seconds,
                                        queries=queries.get("membership booking POST"), pay_with="membership",
                                        name="membership booking POST")

        print("Jobs: the race, two web servers, timed jobs...", flush=True)
        raced = race.race(port, paths["book"]["race"], files["racers"], places=12)
        second_port = stack.web(own_var_dir=True)
        paired = two_servers.check((port, second_port), paths, files["pair"],
                                   lambda name: stack.shell("db_places.py", data["sessions"][name]))
        timed = offline_jobs.run(stack)
        print("Jobs: renewing memberships through the webhook...", flush=True)
        renewed = renewals.run(stack, count=args.renewals)
        jobs = [raced, *paired, *timed, renewed]

        print()
        report.print_table([*measured, booked, member_booked])
        print()
        report.print_jobs(jobs)
        found = report.checks(measured, booked, {"race": raced, "shown": paired[0], "oversell": paired[1], "reminders": timed[1],
                                                    "renewals": renewed, "membership_booking": member_booked})
        saved = report.save({"workers": args.workers, "seconds_per_round": args.seconds, "servers": stack.describe(),
                             "pages": measured, "booking": booked, "membership_booking": member_booked, "jobs": jobs,
                             "checks": [{"passed": passed, "aim": text} for passed, text in found]})
        print(f"\nSaved {saved}\n")
        report.print_checks(found)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
