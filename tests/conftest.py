"""Fixtures shared by every test: fast hashing, a clean cache, factories, a browser."""

import datetime as dt
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.utils import timezone, translation

from bookings.models import BookingPolicy
from studio.celery import app as celery_app

from . import factories, realservices
from .stripe_contract import held_to_stripe_contract

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# The live test server listens with a backlog of 10; the concurrency tests open 50 and more
# connections at once, which a real deployment (gunicorn: 2048) takes in its stride.
WSGIServer.request_queue_size = 256


# PostgreSQL and Redis start with the first test that needs them (tests/realservices.py): a run of pure
# tests (slot maths, parsers) starts neither. Tests using Redis or a Celery worker without the database
# ask for `real_services`.


@pytest.fixture(scope="session")
def real_services():
    realservices.start_services()


@pytest.fixture(scope="session")
def django_db_setup(real_services, django_db_setup):
    """pytest-django's own, once the servers run."""
    return django_db_setup


@pytest.fixture(autouse=True)
def _fast_and_clean(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if realservices.services_running():  # else Redis has not run yet: nothing cached to clear
        cache.clear()
    celery_app.conf.task_always_eager = True
    translation.activate(settings.LANGUAGE_CODE)  # Dutch first, whatever an earlier test left active
    yield
    if realservices.services_running():
        cache.clear()
    translation.deactivate()


@pytest.fixture(autouse=True)
def _quiet_hours_off_unless_set(monkeypatch):
    """The studio's quiet hours (22:00-08:00 by default) keep a message the client did not ask for until
    morning. Tests of other rules must not depend on the hour they run at, so the test studio's booking
    rules start without quiet hours; the tests of quiet hours set them (tests/bookings/test_quiet_hours.py
    and the waitlist tests)."""
    for name in ("quiet_from", "quiet_until"):
        field = BookingPolicy._meta.get_field(name)
        monkeypatch.setattr(field, "default", dt.time(0, 0))
        monkeypatch.delitem(field.__dict__, "_get_default", raising=False)  # Django keeps the default's getter


@pytest.fixture
def frozen(request):
    """The clock stands still at the test module's NOW (the database's own clock does not move, and
    the application never asks it)."""
    with time_machine.travel(request.module.NOW, tick=False):
        yield request.module.NOW


@pytest.fixture
def media(tmp_path, settings):
    """Uploads and their copies go to a folder of this test only (MEDIA_ROOT), which it may look into."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (emails, releases, refunds) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def client_user(db):
    return factories.UserFactory(first_name="Sanne", last_name="de Vries", email="sanne@example.nl")


@pytest.fixture
def other_client(db):
    return factories.UserFactory(first_name="Pieter", last_name="Jansen", email="pieter@example.nl")


@pytest.fixture
def logged_in(client, client_user):
    client.force_login(client_user)
    return client


@pytest.fixture
def admin_person(db):
    """The studio's admin: staff in the Admin group (not a superuser)."""
    user = factories.UserFactory(email="beheer@example.nl", first_name="Anna", last_name="Beheer", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Admin")[0])
    return user


@pytest.fixture
def teacher(db):
    """The studio's teacher, with the Teacher role (folders that need her free hours override this)."""
    return factories.teacher_with_role()


@pytest.fixture
def teacher_user(teacher):
    return teacher.user


@pytest.fixture
def session(db):
    """A group class in two days, an hour long, with four places."""
    start = timezone.now() + timedelta(days=2)
    return factories.SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=4)


def mail_code(message) -> str:
    """The short code allauth sends for verification or login."""
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


# Browser journeys -----------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


# Stripe: the local stand-in from devtools/, driven through the official SDK -----


@pytest.fixture(scope="session")
def fake_stripe_server():
    import os

    from django.conf import settings as django_settings

    from devtools.fakestripe import FakeStripeServer

    server = FakeStripeServer(port=int(os.environ["STUDIO_FAKESTRIPE_PORT"]), webhook_secret=django_settings.STRIPE_WEBHOOK_SECRET,
                              webhooks_enabled=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stripe_contract():
    """Stripe's own schemas (../shared/stripe/spec3-subset.json), read once per run."""
    from devtools.fakestripe.contract import StripeContract

    return StripeContract()


@pytest.fixture
def fake_stripe(fake_stripe_server, stripe_contract):
    """A clean stand-in per test, held to Stripe's schemas; webhooks off unless a test points them at a live server."""
    fake_stripe_server.reset()
    fake_stripe_server.configure_webhooks(url=None, enabled=False)
    with held_to_stripe_contract(fake_stripe_server, stripe_contract):
        yield fake_stripe_server
    fake_stripe_server.configure_webhooks(url=None, enabled=False)


@pytest.fixture
def stripe_webhooks_to(fake_stripe, live_server):
    """Let the stand-in deliver signed webhooks to the live test server."""
    fake_stripe.configure_webhooks(url=f"{live_server.url}/stripe/webhook/", enabled=True)
    return fake_stripe
