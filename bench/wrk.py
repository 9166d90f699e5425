"""Load from wrk (a compiled tool, so the load does not compete with gunicorn as Python threads
would), driven by bench/wrk.lua, whose done() prints the figures as one JSON line."""

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
THREADS = 2
INSTALL = "apt-get install -y --no-install-recommends wrk"


def require_wrk():
    if not shutil.which("wrk"):
        raise SystemExit(f"wrk was not found: install the Debian package 'wrk' ({INSTALL}), or run `make bench`, which installs it.")


def wrk(port, *script_args, connections, seconds) -> dict:
    """One round of wrk; returns the JSON of bench/wrk.lua with `ok`, `errors` and `rps` added.

    A request is a success only when it got the answer the row expects (`ok`); everything else,
    a socket error, a timeout, a refusal or an unexpected status, is not."""
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", str(SCRIPT), f"http://127.0.0.1:{port}", "--", str(THREADS), *map(str, script_args)]
    result = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH-JSON ")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({' '.join(command)}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    figures = json.loads(lines[-1].removeprefix("BENCH-JSON "))
    figures["socket_errors_total"] = sum(figures["socket_errors"].values())
    return figures


def page_figures(figures, expected_status=200) -> dict:
    """A page round: only the expected status counts as served."""
    ok = figures["statuses"].get(str(expected_status), 0)
    figures["ok"] = ok
    figures["errors"] = figures["socket_errors_total"] + sum(count for status, count in figures["statuses"].items() if status != str(expected_status))
    figures["rps"] = ok / figures["duration_s"]
    return figures


def get(port, path, *, connections, seconds, fresh=False) -> dict:
    return page_figures(wrk(port, "get", path, *(["fresh"] if fresh else []), connections=connections, seconds=seconds))


def get_signed_in(port, path, clients_file, *, connections, seconds, fresh=False) -> dict:
    return page_figures(wrk(port, "signed-in", path, clients_file, *(["fresh"] if fresh else []), connections=connections, seconds=seconds))


def book(port, path, bookers_file, *, connections, seconds, pay_with="card") -> dict:
    """Bookings (with a class card, or a membership), each client of the file at most once: successes
    (`booked`), refusals, errors."""
    figures = wrk(port, "book", path, bookers_file, pay_with, connections=connections, seconds=seconds)
    figures["ok"] = figures["booked"]
    answered = sum(figures["statuses"].values())
    figures["errors"] = figures["socket_errors_total"] + answered - figures["booked"] - figures["refused"]
    figures["rps"] = figures["booked"] / figures["duration_s"]
    return figures
