"""/healthz reports the database, the cache and the Celery broker apart, for a load balancer."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from tests.realservices import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_every_part_up_answers_200_with_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_cache_that_is_down_answers_503_and_names_it(client):
    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    with override_settings(CACHES=down):  # undone before the suite's own cache clean-up runs
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "error", "broker": "ok"}


def test_a_broker_that_is_down_answers_503_and_names_it(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "ok", "broker": "error"}


def test_the_demo_folder_broker_is_up_when_its_folder_is_writable(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "in"), "data_folder_out": str(tmp_path / "out")}
    assert client.get("/healthz").json()["broker"] == "ok"

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(blocker / "queue"), "data_folder_out": str(tmp_path / "out")}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db
def test_a_database_that_is_down_answers_503_and_names_it():
    """A real server process whose database address answers nobody (a closed port)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "studio.settings",
           "DATABASE_URL": f"postgres://nobody@127.0.0.1:{free_port()}/nothing",
           "REDIS_URL": django_settings.CACHES["default"].get("LOCATION", ""),
           "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL}
    code = ("import django, json; django.setup(); from django.test import Client; "
            "r = Client().get('/healthz'); print(r.status_code, json.dumps(r.json()))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "database": "error", "cache": "ok", "broker": "ok"}
