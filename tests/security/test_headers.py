"""Production settings: security headers, cookies and the admin's login, checked in a
separate process that loads the settings exactly as production would."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.production import production_env

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/robots.txt", headers={"host": "studio.example"})
secure = client.get("/robots.txt", secure=True, headers={"host": "studio.example"})
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location", "")],
    "headers": dict(secure.headers),
    "cookies": {name: getattr(settings, name) for name in (
        "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SECURE", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE")},
}))
"""


@pytest.fixture(scope="module")
def production():
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "studio.settings"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_sent_to_https(production):
    status, location = production["redirect"]
    assert status == 301 and location.startswith("https://")


def test_security_headers_in_production(production):
    headers = production["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "127.0.0.1" not in csp  # no local stand-in in production's form-action
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_secure_and_http_only(production):
    cookies = production["cookies"]
    assert cookies["SESSION_COOKIE_SECURE"] and cookies["SESSION_COOKIE_HTTPONLY"]
    assert cookies["CSRF_COOKIE_SECURE"] and cookies["CSRF_COOKIE_HTTPONLY"]
    assert cookies["LANGUAGE_COOKIE_SECURE"]
    assert cookies["SESSION_COOKIE_SAMESITE"] == "Lax" and cookies["CSRF_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.django_db
def test_the_admin_login_goes_through_the_rate_limited_site_login(client, client_user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    for _ in range(5):
        client.post("/account/login/", {"login": "sanne@example.nl", "password": "fout"})
    blocked = client.post("/account/login/", {"login": "sanne@example.nl", "password": "rustig-ademen-42"})
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_signed_in_client_cannot_use_the_admin(client, client_user):
    client.force_login(client_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    refused = client.get(response["Location"], follow=True)
    assert "Dit account heeft geen toegang tot het beheer van de studio." in refused.content.decode()


@pytest.mark.django_db
def test_staff_come_back_to_the_admin_page_they_asked_for(client):
    from tests.factories import UserFactory

    UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True)
    first = client.get("/admin/login/?next=/admin/blog/comment/")
    assert first["Location"] == "/account/login/?next=/admin/blog/comment/"
    done = client.post(first["Location"], {"login": "beheer@example.nl", "password": "rustig-ademen-42"})
    assert done.status_code == 302 and done["Location"] == "/admin/blog/comment/"
    assert client.get("/admin/login/?next=https://evil.example/").headers["Location"] == "/admin/"
