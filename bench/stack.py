"""The servers `make bench` runs on, as in production: PostgreSQL, Redis (the cache and the Celery
broker) and gunicorn web servers with sync workers, all on 127.0.0.1 and thrown away afterwards."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.realservices import ThrowawayPostgres, ThrowawayRedis, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


class Stack:
    """One PostgreSQL and one Redis; `web()` starts a gunicorn on them with a var dir of its own."""

    def __init__(self, *, workers: int):
        self.workers = workers
        self.postgres, self.redis = ThrowawayPostgres(), ThrowawayRedis()
        self.servers, self.directories = [], []
        self.env = None

    def start(self):
        database_url, redis_url = self.postgres.start(), self.redis.start()
        self.env = server_env(database_url, redis_url, self.directory())
        return self

    def directory(self) -> str:
        """A temporary directory, removed by `stop()`."""
        self.directories.append(tempfile.mkdtemp(prefix="studio-bench-"))
        return self.directories[-1]

    def describe(self) -> str:
        return f"{self.postgres.version}; {self.redis.version.split(' sha=')[0]}"

    def manage(self, *args, env=None):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env or self.env, check=True, stdout=subprocess.DEVNULL)

    def shell(self, script, *args, env=None):
        """Run a script of bench/ inside Django (the bench's settings and database); its last line is JSON."""
        code = f"import sys; sys.argv = ['{script}', *{[str(arg) for arg in args]!r}]; exec(open('bench/{script}').read())"
        result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env or self.env, capture_output=True,
                                text=True)
        if result.returncode != 0:
            raise RuntimeError(f"bench/{script} failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def web(self, *, own_var_dir=False, env=None) -> int:
        """Start gunicorn (its static files collected first); return its port. `env`: a whole
        environment of its own instead (static files not collected: for a server that runs as in the tests)."""
        env = env or self.env
        if own_var_dir:
            env = {**self.env, "STUDIO_VAR_DIR": self.directory()}
            self.manage("collectstatic", "--noinput", env=env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "studio.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(self.workers),
             "--worker-class", "sync", "--log-level", "warning", "--backlog", "2048"],
            cwd=ROOT, env=env,
        )
        self.servers.append(server)
        wait_for_port(port, server, "gunicorn")
        return port

    def stop(self):
        for server in self.servers:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=10)
        self.redis.stop()
        self.postgres.stop()
        for directory in self.directories:
            shutil.rmtree(directory, ignore_errors=True)


def server_env(database_url: str, redis_url: str, var_dir: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",  # production settings want one; nothing in the bench is emailed out
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ROOT_URLCONF": "bench.urls",  # adds the trivial view and the cache bypass (bench/fresh.py)
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": f"{redis_url}/2",
        # Tasks queued after commit (confirmation emails) wait in Redis: no worker runs in the bench.
        "CELERY_BROKER_URL": f"{redis_url}/0",
        "CELERY_RESULT_BACKEND": f"{redis_url}/1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "STUDIO_VAR_DIR": var_dir,
        "STRIPE_API_BASE": "",
        "INTAKE_ENCRYPTION_KEY": "q1T3o5gV1pJ0iY8kZxR2b6nW4cE7fH9aL0sD3mN5uK8=",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
