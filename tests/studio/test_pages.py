import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PageFactory
from tests.production import production_env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_home_is_dutch_without_prefix(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Welkom bij Studio Tree of Life" in html
    assert 'hreflang="en" href="http://127.0.0.1:8000/en/"' in html


def test_home_is_english_under_en(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Welcome to Studio Tree of Life" in html


@pytest.mark.parametrize("key,nl_path,en_path,nl_title,en_title", [
    ("about", "/over/", "/en/about/", "Over Studio Tree of Life", "About Studio Tree of Life"),
    ("privacy", "/privacy/", "/en/privacy/", "Privacyverklaring", "Privacy statement"),
    ("terms", "/voorwaarden/", "/en/terms/", "Algemene voorwaarden", "Terms and conditions"),
])
def test_editable_pages_in_both_languages(client, key, nl_path, en_path, nl_title, en_title):
    PageFactory(key=key, title_nl=nl_title, title_en=en_title, body_nl="## Kop\n\nTekst <script>alert(1)</script>", body_en="## Heading\n\nText")
    dutch = client.get(nl_path).content.decode()
    english = client.get(en_path).content.decode()
    assert f"<h1>{nl_title}</h1>" in dutch and "<h2>Kop</h2>" in dutch
    assert f"<h1>{en_title}</h1>" in english and "<h2>Heading</h2>" in english
    assert "<script>alert(1)</script>" not in dutch


def test_a_missing_editable_page_is_a_404(client):
    assert client.get("/voorwaarden/").status_code == 404


def test_contact_page_shows_the_studio(client):
    html = client.get("/contact/").content.decode()
    assert "Breda" in html and "mailto:hallo@studiotreeoflife.nl" in html and "openstreetmap.org" in html


def test_unknown_page_gets_the_styled_404(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet (meer)" in html and "skip-link" in html
    english = client.get("/en/does-not-exist/")
    assert english.status_code == 404 and "This page could not be found" in english.content.decode()


def test_server_error_gets_the_styled_500_without_traceback(client, settings):
    settings.ROOT_URLCONF = "tests.studio.boom_urls"
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html and "Something went wrong" in html
    assert "secret traceback detail" not in html and "Traceback" not in html


def test_sitemap_lists_pages_in_both_languages(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/over/</loc>" in xml or "/over/</loc>" in xml
    assert "/en/about/</loc>" in xml
    assert 'hreflang="en"' in xml
    assert "/abonnementen/</loc>" in xml and "/cadeaubon/</loc>" in xml  # what the studio sells beyond classes


def test_language_choice_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/contact/"})
    assert response.status_code == 302 and response["Location"] == "/en/contact/"
    again = client.get("/contact/")
    assert again.status_code == 302 and again["Location"] == "/en/contact/"
    client.post(reverse("set_language"), {"language": "nl", "next": "/en/contact/"})
    assert client.get("/contact/").status_code == 200


def test_machine_endpoints_are_never_redirected_by_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/healthz").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200


def test_security_headers_are_sent(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=production_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_local_stripe_stand_in():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            env=production_env(STRIPE_API_BASE="http://127.0.0.1:12111"), capture_output=True, text=True)
    assert result.returncode != 0
    assert "STRIPE_API_BASE points at a local stand-in" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("site_url", [None, ""])
def test_production_refuses_to_start_without_its_public_address(site_url):
    """Emails link to SITE_URL: production never falls back to the demo's http://127.0.0.1:8000."""
    env = production_env()
    if site_url is None:
        del env["SITE_URL"]
    else:
        env["SITE_URL"] = site_url
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "Set SITE_URL" in result.stderr


def test_the_demo_needs_no_public_address():
    env = production_env(DJANGO_DEBUG="true")
    del env["SITE_URL"]
    probe = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "studio.settings"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "http://127.0.0.1:8000"
