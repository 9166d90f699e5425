"""Serve the demo: web server, Celery worker, celery beat and the local Stripe stand-in.

One Ctrl-C stops every process this command started.
"""

import os
import signal
import subprocess
import sys
import time
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand

from studio.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Run the site on 127.0.0.1:8000 with a Celery worker, beat and the local Stripe stand-in."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--stripe-port", type=int, default=12111)

    def handle(self, *args, port, stripe_port, **options):
        python = sys.executable
        site = f"http://127.0.0.1:{port}"
        commands = {
            "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}"],
            "worker": [python, "-m", "celery", "-A", "studio", "worker", "--loglevel", "INFO", "--concurrency", "2", "--hostname", "demo@%h"],
            "beat": [python, "-m", "celery", "-A", "studio", "beat", "--loglevel", "INFO",
                     "--schedule", str(settings.VAR_DIR / "celerybeat-schedule"), "--pidfile", ""],
        }
        if find_spec("devtools.fakestripe") is not None:
            commands["stripe"] = [
                python, "-m", "devtools.fakestripe", "--host", "127.0.0.1", "--port", str(stripe_port),
                "--webhook-url", f"{site}/stripe/webhook/", "--webhook-secret", settings.STRIPE_WEBHOOK_SECRET,
            ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "SITE_URL": site}
        processes = {}
        try:
            for name, command in commands.items():
                processes[name] = subprocess.Popen(command, env=env)
            time.sleep(2)
            self._banner(site)
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit code {process.returncode}); stopping the rest.")
                        return
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the demo...")
        finally:
            self._stop(processes)

    def _banner(self, site):
        lines = [
            "",
            "=" * 64,
            f"  Studio Tree of Life is running at {site}/",
            f"  English: {site}/en/     Admin: {site}/admin/",
            "  Demo logins (password for all: " + DEMO_LOGINS[0][2] + "):",
            *[f"    {role:<8} {email}" for role, email, _password in DEMO_LOGINS],
            "  Emails are printed in this terminal. Ctrl-C stops everything.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))

    @staticmethod
    def _stop(processes):
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
