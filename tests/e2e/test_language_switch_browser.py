"""The language switch in Chromium: NL -> EN -> NL, as a visitor and signed in, with the real buttons;
she lands on the same page in the other language each time and is never sent back."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.pagecheck import watch_console
from tests.factories import SessionFactory, UserFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def press(page, language):
    with page.expect_navigation(wait_until="load"):
        page.locator(f'form.language-switch button[name="language"][value="{language}"]').click()


def lang(page):
    return page.locator("html").get_attribute("lang")


def test_a_visitor_switches_to_english_and_back_to_dutch(page, live_server):
    errors = watch_console(page, live_server)
    start = timezone.now() + timedelta(days=3)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))

    page.goto("/rooster/?style=" + session.offering.style.slug)
    press(page, "en")
    assert page.url.endswith("/en/timetable/?style=" + session.offering.style.slug) and lang(page) == "en"

    page.goto(f"/en/timetable/session/{session.pk}/")
    press(page, "nl")
    assert re.search(rf"/rooster/les/{session.pk}/$", page.url), page.url
    assert lang(page) == "nl"
    page.goto("/")  # no bounce back to English
    assert page.url == live_server.url + "/" and lang(page) == "nl"

    press(page, "en")
    assert page.url.endswith("/en/") and lang(page) == "en"
    press(page, "nl")
    assert page.url == live_server.url + "/" and lang(page) == "nl"
    assert errors == []


def test_a_signed_in_client_switches_both_ways_and_her_profile_follows(page, live_server):
    errors = watch_console(page, live_server)
    client = UserFactory(email="lotte@example.nl", language="nl")
    sign_in(page, live_server, client)

    page.goto("/mijn-boekingen/")
    press(page, "en")
    assert page.url.endswith("/en/my-bookings/") and lang(page) == "en"
    client.refresh_from_db()
    assert client.language == "en"

    press(page, "nl")
    assert page.url.endswith("/mijn-boekingen/") and lang(page) == "nl"
    client.refresh_from_db()
    assert client.language == "nl"
    page.goto("/profiel/")
    assert page.url.endswith("/profiel/") and lang(page) == "nl"
    assert errors == []
