"""`make bench`: serve the site with gunicorn on PostgreSQL (127.0.0.1) and measure it, in one run.

Every page figure is a ratio to a trivial Django view served by the same gunicorn in the
same run (trivial, page, trivial again), so a busy machine slows both sides alike; p50 and
p95 latency at 8 and 32 connections; then timed jobs. Prints a table and writes
bench/results/<timestamp>.json.

    python bench/run.py                 # everything
    python bench/run.py --seconds 2     # shorter rounds
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scenarios  # noqa: E402
from bench.load import Load, fixed  # noqa: E402
from tests.realservices import ThrowawayPostgres, free_port, wait_for_port  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TRIVIAL = fixed("GET", "/bench/trivial/")


def server_env(database_url: str, var_dir: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ROOT_URLCONF": "bench.urls",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "STUDIO_VAR_DIR": var_dir,
        "STRIPE_API_BASE": "",
        "INTAKE_ENCRYPTION_KEY": "q1T3o5gV1pJ0iY8kZxR2b6nW4cE7fH9aL0sD3mN5uK8=",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def against_trivial(port, name, request_for, *, concurrency, seconds):
    """Trivial view, the page, the trivial view again: the page's throughput over their mean."""
    Load(port, request_for, concurrency=concurrency, seconds=0.5).run()  # warm up
    before = Load(port, TRIVIAL, concurrency=concurrency, seconds=seconds).run()
    page = Load(port, request_for, concurrency=concurrency, seconds=seconds).run()
    after = Load(port, TRIVIAL, concurrency=concurrency, seconds=seconds).run()
    trivial_rps = (before["rps"] + after["rps"]) / 2
    return {
        "name": name, "concurrency": concurrency, "rps": round(page["rps"], 1), "trivial_rps": round(trivial_rps, 1),
        "ratio": round(page["rps"] / trivial_rps, 3) if trivial_rps else None,
        "p50_ms": round(page["p50_ms"] or 0, 2), "p95_ms": round(page["p95_ms"] or 0, 2),
        "errors": page["errors"], "statuses": page["statuses"],
    }


def print_table(rows):
    header = f"{'page':<26} {'conn':>4} {'req/s':>8} {'trivial':>8} {'ratio':>6} {'p50 ms':>8} {'p95 ms':>8} {'err':>4}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['name']:<26} {row['concurrency']:>4} {row['rps']:>8.1f} {row['trivial_rps']:>8.1f} "
              f"{row['ratio']:>6.2f} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['errors']:>4}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measuring round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    postgres = ThrowawayPostgres()
    var_dir = tempfile.mkdtemp(prefix="studio-bench-")
    gunicorn = None
    try:
        env = server_env(postgres.start(), var_dir)
        print("Preparing: migrate, demo data, bench data, static files...", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "demo")
        manage(env, "collectstatic", "--noinput")
        data = scenarios.prepare(env)

        port = free_port()
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "studio.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--log-level", "warning", "--keep-alive", "30", "--backlog", "2048"],
            cwd=ROOT, env=env,
        )
        wait_for_port(port, gunicorn, "gunicorn")
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}, {postgres.version}\n", flush=True)

        rows = []
        for concurrency in (8, 32):
            for name, request_for in scenarios.pages(env, data):
                rows.append(against_trivial(port, name, request_for, concurrency=concurrency, seconds=args.seconds))
        print_table(rows)
        print()
        jobs = [scenarios.race(port, data), *scenarios.jobs(env)]
        for job in jobs:
            print(f"{job['name']}: {job['summary']}")

        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        result = {"when": stamp, "workers": args.workers, "seconds_per_round": args.seconds, "pages": rows, "jobs": jobs}
        (RESULTS / f"{stamp}.json").write_text(json.dumps(result, indent=2))
        print(f"\nSaved bench/results/{stamp}.json")
        low = [row for row in rows if "POST" not in row["name"] and "signed in" not in row["name"] and row["ratio"] < 0.30]
        if low:
            print("Read pages below the 30% aim: " + ", ".join(f"{r['name']} at {r['concurrency']} ({r['ratio']:.0%})" for r in low))
    finally:
        if gunicorn and gunicorn.poll() is None:
            gunicorn.terminate()
            gunicorn.wait(timeout=10)
        postgres.stop()


if __name__ == "__main__":
    main()
