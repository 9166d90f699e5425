"""The test run really uses PostgreSQL and Redis, and Celery really runs tasks."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from studio.celery import app as celery_app
from studio.tasks import ping


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_cache_is_redis(real_services):
    from django.core.cache import caches

    cache = caches["default"]
    cache.set("studio-probe", "here", 5)
    assert type(cache).__name__ == "RedisCache"
    assert cache.get("studio-probe") == "here"


def test_a_task_runs_in_a_real_worker_through_redis(real_services):
    assert celery_app.conf.broker_url.startswith("redis://127.0.0.1:")
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            result = ping.delay("namaste")
            assert result.get(timeout=30) == "namaste"
    finally:
        celery_app.conf.task_always_eager = True
