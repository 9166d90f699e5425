"""Throwaway PostgreSQL and Redis servers for the test run (a pytest plugin).

Loaded early with `-p tests.realservices` (see pyproject.toml), before Django reads its settings:
it picks free ports of 127.0.0.1 for a private PostgreSQL cluster and a Redis server and exports
DATABASE_URL, CELERY_BROKER_URL and REDIS_URL for the settings, but starts the servers only when a
test first needs them (`start_services()`, called by the `django_db_setup` and `real_services`
fixtures of tests/conftest.py), so a run of pure tests starts neither. Both stop when pytest ends.
Set TEST_DATABASE_URL / TEST_REDIS_URL to use servers of your own.
"""

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

DEBIAN_PACKAGES = {
    "initdb": "postgresql",
    "redis-server": "redis-server",
    "chromium": "chromium",
    "xgettext": "gettext",
}


class MissingTool(pytest.UsageError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PortReservation:
    """A free port held until its server binds it, so no other process is handed it in the meantime.

    The placeholder socket is bound (never listening) with SO_REUSEADDR, as PostgreSQL and Redis bind
    theirs: Linux lets them bind the same port, while a bind to port 0 elsewhere skips it."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]

    def release(self):
        self._socket.close()


def find_postgres_bin() -> Path:
    for pattern in ("/usr/lib/postgresql/*/bin/initdb", "/usr/local/pgsql/bin/initdb"):
        found = sorted(glob.glob(pattern), reverse=True)
        if found:
            return Path(found[0]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise MissingTool("PostgreSQL's initdb was not found: install the Debian package 'postgresql' (apt-get install postgresql).")


def require_tools():
    for tool, package in DEBIAN_PACKAGES.items():
        if tool == "initdb":
            find_postgres_bin()
        elif tool == "chromium":
            if not Path("/usr/bin/chromium").exists():
                raise MissingTool(f"/usr/bin/chromium was not found: install the Debian package '{package}' (apt-get install {package}).")
        elif not shutil.which(tool):
            raise MissingTool(f"'{tool}' was not found: install the Debian package '{package}' (apt-get install {package}).")


def wait_for_port(port: int, process: subprocess.Popen, name: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped while starting (exit code {process.returncode}).")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not start listening on port {port} within {timeout:.0f} s.")


class ThrowawayPostgres:
    def __init__(self):
        self.bin = find_postgres_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="studio-pg-"))
        self._reservation = PortReservation()
        self.port = self._reservation.port
        self.process = None
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        """Known before the server starts: the settings read it first."""
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _cmd(self, *args):
        # PostgreSQL refuses to run as root; CI is root, so run it as the postgres user.
        return ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)

    def start(self):
        data = self.dir / "data"
        if self.as_root:
            shutil.chown(self.dir, user="postgres")
        subprocess.run(
            self._cmd(str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        self.process = subprocess.Popen(
            self._cmd(
                str(self.bin / "postgres"), "-D", str(data), "-p", str(self.port), "-h", "127.0.0.1", "-k", str(self.dir),
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=300", "-c", "shared_buffers=128MB",
            ),
            stdout=subprocess.DEVNULL, stderr=open(self.dir / "postgres.log", "wb"),
        )
        wait_for_port(self.port, self.process, "PostgreSQL")
        self._reservation.release()
        # The port answers a little before the server accepts logins.
        for _ in range(100):
            ready = subprocess.run([str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)], capture_output=True)
            if ready.returncode == 0:
                break
            time.sleep(0.1)
        self.version = subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True, text=True).stdout.strip()
        return self.url

    def stop(self):
        self._reservation.release()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise MissingTool("'redis-server' was not found: install the Debian package 'redis-server' (apt-get install redis-server).")
        self.dir = Path(tempfile.mkdtemp(prefix="studio-redis-"))
        self._reservation = PortReservation()
        self.port = self._reservation.port
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.dir), "--daemonize", "no"],
            stdout=open(self.dir / "redis.log", "wb"), stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, "Redis")
        self._reservation.release()
        self.version = subprocess.run([self.binary, "--version"], capture_output=True, text=True).stdout.strip()
        return self.url

    def stop(self):
        self._reservation.release()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


_planned = []  # servers whose addresses the settings have, not started yet
_started = []
_report = []
_given = []  # servers of your own (TEST_DATABASE_URL, TEST_REDIS_URL)


def _stop_all():
    while _planned:  # never started: their folders and port reservations go
        _planned.pop().stop()
    while _started:
        _started.pop().stop()


def _plan_services():
    """Choose the servers' addresses and export them for the settings; start nothing yet."""
    if os.environ.get("DATABASE_URL", "").startswith("sqlite"):
        raise pytest.UsageError("The tests run on PostgreSQL; unset DATABASE_URL (or set TEST_DATABASE_URL).")
    require_tools()
    atexit.register(_stop_all)

    database_url = os.environ.get("TEST_DATABASE_URL")
    if database_url:
        _given.append("PostgreSQL: given by TEST_DATABASE_URL")
    else:
        postgres = ThrowawayPostgres()
        _planned.append(postgres)
        database_url = postgres.url

    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url:
        _given.append("Redis: given by TEST_REDIS_URL")
    else:
        redis = ThrowawayRedis()
        _planned.append(redis)
        redis_url = redis.url

    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_BROKER_URL"] = f"{redis_url}/0"
    os.environ["CELERY_RESULT_BACKEND"] = f"{redis_url}/1"
    os.environ["REDIS_URL"] = f"{redis_url}/2"
    os.environ["STUDIO_FAKESTRIPE_PORT"] = str(free_port())
    os.environ["STRIPE_API_BASE"] = f"http://127.0.0.1:{os.environ['STUDIO_FAKESTRIPE_PORT']}"
    os.environ["DJANGO_TESTING"] = "true"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in the test thread
    os.environ.setdefault("STUDIO_VAR_DIR", tempfile.mkdtemp(prefix="studio-var-"))


def start_services():
    """Start the throwaway PostgreSQL and Redis, once per run: the first test that needs either calls this."""
    while _planned:
        server = _planned.pop(0)
        _started.append(server)  # stopped at the end even if starting fails half-way
        server.start()
        _report.append(f"{_name(server)}: throwaway {server.version.split(' sha=')[0]} on 127.0.0.1:{server.port}, started")


def services_running() -> bool:
    """Whether the database and Redis can be reached now (started here, or given)."""
    return not _planned


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Runs before pytest-django reads the settings, so they see our servers' addresses.
    if not any(arg in ("--help", "-h", "--version") for arg in args):
        _plan_services()
    return (yield)


def pytest_report_header(config):
    return _given + [f"{_name(server)}: throwaway on 127.0.0.1:{server.port}, started when a test first needs it" for server in _planned]


def _name(server) -> str:
    return "PostgreSQL" if isinstance(server, ThrowawayPostgres) else "Redis"


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_sep("-", "servers")
    for line in _given + _report:
        terminalreporter.write_line(line)
    for server in _planned:
        terminalreporter.write_line(f"{_name(server)}: not started (no test needed it)")


def pytest_unconfigure(config):
    _stop_all()
