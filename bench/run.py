"""`make bench`: serve the site with gunicorn on PostgreSQL (127.0.0.1) and measure
pages against a trivial Django view on the same server, in one run.

Every figure is a ratio or a time measured in this run, so a busy machine slows
both sides alike. Prints a table and writes bench/results/<timestamp>.json.

    python bench/run.py                 # everything
    python bench/run.py --seconds 3     # shorter rounds
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realservices import ThrowawayPostgres, free_port, wait_for_port  # noqa: E402

RESULTS = ROOT / "bench" / "results"


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
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


class Load:
    """Keep `concurrency` keep-alive connections busy on one request for `seconds`."""

    def __init__(self, port, method, path, *, concurrency, seconds, headers=None, body_for=None):
        self.port, self.method, self.path = port, method, path
        self.concurrency, self.seconds = concurrency, seconds
        self.headers = headers or {}
        self.body_for = body_for
        self.latencies, self.errors = [], 0
        self.lock = threading.Lock()

    def _worker(self, deadline, index):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        local, errors, counter = [], 0, 0
        while time.perf_counter() < deadline:
            body = self.body_for(index, counter) if self.body_for else None
            counter += 1
            started = time.perf_counter()
            try:
                connection.request(self.method, self.path, body=body, headers=self.headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 500:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            local.append(time.perf_counter() - started)
        connection.close()
        with self.lock:
            self.latencies.extend(local)
            self.errors += errors

    def run(self):
        deadline = time.perf_counter() + self.seconds
        threads = [threading.Thread(target=self._worker, args=(deadline, i)) for i in range(self.concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        latencies = sorted(self.latencies)
        return {
            "requests": len(latencies),
            "errors": self.errors,
            "rps": len(latencies) / elapsed,
            "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
            "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else None,
        }


def measure_against_trivial(port, name, method, path, *, concurrency, seconds, **kwargs):
    """Trivial view, the page, the trivial view again: the page's throughput over their mean."""
    Load(port, "GET", path, concurrency=concurrency, seconds=0.5, **kwargs).run()  # warm up
    before = Load(port, "GET", "/bench/trivial/", concurrency=concurrency, seconds=seconds).run()
    page = Load(port, method, path, concurrency=concurrency, seconds=seconds, **kwargs).run()
    after = Load(port, "GET", "/bench/trivial/", concurrency=concurrency, seconds=seconds).run()
    trivial_rps = (before["rps"] + after["rps"]) / 2
    return {
        "name": name, "path": path, "method": method, "concurrency": concurrency,
        "rps": round(page["rps"], 1), "trivial_rps": round(trivial_rps, 1),
        "ratio": round(page["rps"] / trivial_rps, 3) if trivial_rps else None,
        "p50_ms": page["p50_ms"] and round(page["p50_ms"], 2), "p95_ms": page["p95_ms"] and round(page["p95_ms"], 2),
        "errors": page["errors"],
    }


def print_table(rows):
    header = f"{'page':<26} {'conc':>4} {'req/s':>8} {'trivial':>8} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'err':>4}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['name']:<26} {row['concurrency']:>4} {row['rps']:>8.1f} {row['trivial_rps']:>8.1f} "
              f"{row['ratio']:>6.2f} {row['p50_ms']:>7.2f} {row['p95_ms']:>7.2f} {row['errors']:>4}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each measuring round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    postgres = ThrowawayPostgres()
    var_dir = tempfile.mkdtemp(prefix="studio-bench-")
    gunicorn = None
    try:
        env = server_env(postgres.start(), var_dir)
        print("Preparing: migrate, demo data, static files...", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "demo")
        manage(env, "collectstatic", "--noinput")
        from bench import scenarios

        port = free_port()
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "studio.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--log-level", "warning", "--keep-alive", "30"],
            cwd=ROOT, env=env,
        )
        wait_for_port(port, gunicorn, "gunicorn")
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}, PostgreSQL {postgres.version}\n", flush=True)

        pages = scenarios.pages(env)
        rows = []
        for concurrency in (8, 32):
            for name, method, path, extra in pages:
                rows.append(measure_against_trivial(port, name, method, path, concurrency=concurrency, seconds=args.seconds, **extra))
        print_table(rows)
        jobs = scenarios.jobs(env)
        for job in jobs:
            print(f"{job['name']}: {job['summary']}")

        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        result = {"when": stamp, "workers": args.workers, "seconds_per_round": args.seconds, "pages": rows, "jobs": jobs}
        (RESULTS / f"{stamp}.json").write_text(json.dumps(result, indent=2))
        print(f"\nSaved bench/results/{stamp}.json")
        low = [row for row in rows if row["method"] == "GET" and row["ratio"] is not None and row["ratio"] < 0.30]
        if low:
            print("Below the 30% aim: " + ", ".join(f"{r['name']} at {r['concurrency']} ({r['ratio']:.0%})" for r in low))
    finally:
        if gunicorn and gunicorn.poll() is None:
            gunicorn.terminate()
            gunicorn.wait(timeout=10)
        postgres.stop()


if __name__ == "__main__":
    main()
