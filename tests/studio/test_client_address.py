"""Behind the README's nginx every request comes from the proxy: the rate limits (allauth's logins
and the site's own forms) count the client from X-Forwarded-For, so one stranger's failed logins
never lock everyone out; and without a trusted proxy the header is ignored, as anyone can send it."""

import pytest
from django.core import mail
from django.test import RequestFactory

from core.ratelimit import client_ip

pytestmark = pytest.mark.django_db

PROXY = {"REMOTE_ADDR": "127.0.0.1"}  # nginx on the same machine


def failed_logins(client, *, address, count):
    for attempt in range(count):
        client.post("/account/login/", {"login": f"raden{attempt}@example.nl", "password": "fout"},
                    HTTP_X_FORWARDED_FOR=address, **PROXY)


def test_a_strangers_failed_logins_behind_the_proxy_do_not_block_another_visitor(client, client_user, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    failed_logins(client, address="203.0.113.5", count=12)
    blocked = client.post("/account/login/", {"login": "sanne@example.nl", "password": "rustig-ademen-42"},
                          HTTP_X_FORWARDED_FOR="203.0.113.5", **PROXY)
    assert blocked.status_code in (200, 429) and "_auth_user_id" not in client.session  # the stranger's address is stopped
    welcome = client.post("/account/login/", {"login": "sanne@example.nl", "password": "rustig-ademen-42"},
                          HTTP_X_FORWARDED_FOR="198.51.100.7", **PROXY)
    assert welcome.status_code == 302 and "_auth_user_id" in client.session


def test_the_contact_form_limit_counts_the_client_behind_the_proxy(client, settings, django_capture_on_commit_callbacks):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    form = {"name": "Eva", "email": "eva@example.nl", "message": "Hoi, is er plek in de yogales?", "website": ""}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            client.post("/contact/", form, HTTP_X_FORWARDED_FOR="203.0.113.5", **PROXY)
    assert len(mail.outbox) == 5  # the sixth from the same address waits
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", form, HTTP_X_FORWARDED_FOR="198.51.100.7", **PROXY)
    assert len(mail.outbox) == 6


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="203.0.113.5")
    assert client_ip(request) == "203.0.113.5"


def test_only_the_entries_our_proxies_add_are_trusted(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    spoofed = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(spoofed) == "198.51.100.7"  # what the visitor wrote in front is not believed
    garbage = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="127.0.0.1")
    assert client_ip(garbage) == "127.0.0.1"


def test_a_header_the_proxy_sets_is_read_when_configured(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", HTTP_X_REAL_IP="198.51.100.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "198.51.100.7"
