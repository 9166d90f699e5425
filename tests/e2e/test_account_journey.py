"""A new client signs up through the real pages in Chromium, verifies with the
code from the email, changes language and logs out."""

import re

import pytest
from django.core import mail

from tests.conftest import mail_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_signup_verify_switch_language_and_log_out(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("link", name="Inloggen").first.click()
    page.get_by_role("link", name="Maak een account aan").click()

    page.get_by_label("Voornaam").fill("Lotte")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("E-mailadres").fill("lotte@example.nl")
    page.get_by_label("Wachtwoord:", exact=True).fill("zachte-ochtend-91")
    page.get_by_label("Herhaal je wachtwoord").fill("zachte-ochtend-91")
    page.get_by_role("button", name="Account aanmaken").click()

    page.wait_for_url(re.compile(r"/account/confirm-email/"))
    assert len(mail.outbox) == 1
    page.get_by_label("Code").fill(mail_code(mail.outbox[0]))
    page.get_by_role("button", name="Bevestigen").click()

    page.wait_for_url(re.compile(r"/profiel/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn account"
    assert page.get_by_label("Voornaam").input_value() == "Lotte"

    page.get_by_role("button", name="EN English").click()
    page.wait_for_url(re.compile(r"/en/profile/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "My account"

    page.goto("/")  # the choice is remembered
    page.wait_for_url(re.compile(r"/en/$"))

    page.goto("/en/profile/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.get_by_role("link", name="Log in").first.is_visible()
