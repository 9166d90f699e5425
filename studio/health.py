"""What `/healthz` checks, one part at a time, for a load balancer or a monitor.

Each check answers "ok" or "error" and never raises: the database answers a query, the
cache stores and returns a value, the Celery broker accepts a connection (the demo's
folder broker counts as up when its queue folder is writable).
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from studio.celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 2


def database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return False


def shared_cache() -> bool:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        stored = cache.get(key)
        cache.delete(key)
    except Exception:  # noqa: BLE001 - a cache that cannot be reached is down
        return False
    return stored == value


def _folder_is_writable(folder: str) -> bool:
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def broker() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folders = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).values()
        return all(_folder_is_writable(folder) for folder in folders if isinstance(folder, str))
    try:
        with celery_app.connection_for_write(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:  # noqa: BLE001 - any failure to connect means the broker is down
        return False
    return True


CHECKS = {"database": database, "cache": shared_cache, "broker": broker}


def report() -> tuple[bool, dict]:
    """(all up, the JSON body): every part as "ok" or "error"."""
    parts = {name: "ok" if check() else "error" for name, check in CHECKS.items()}
    healthy = all(state == "ok" for state in parts.values())
    return healthy, {"status": "ok" if healthy else "unavailable", **parts}
