"""No English month or weekday names on Dutch pages or in Dutch emails.

Django's "M" date format title-cases the month ("30 Nov 2026", "di 1 Dec" on a Dutch page); the templates use
"N" ("30 nov", "di 1 dec"; "30 Nov." in English). Every public page of the sitemap, the account pages and every
page of a signed-in client are opened in Dutch with the demo studio (time frozen), and the emails of a booking
(confirmation, reminder) are read in Dutch."""

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from bookings.group import jobs as group_jobs
from tests.e2e.demo_studio import the_demo_studio
from tests.e2e.walked_pages import anonymous_pages, client_pages, her_other_things

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]  # at NOW

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))  # a Tuesday; the month ends within the week

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTHS_SHORT = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun"
ENGLISH_DATE_WORDS = re.compile(rf"\b(?:{MONTHS}|{MONTHS_SHORT}|{WEEKDAYS})\b")


def visible_text(html: str) -> str:
    """What a reader sees: no scripts, styles, comments, tags (so no <time datetime>) or addresses."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    text = re.sub(r"(?:https?|webcal)://\S+", " ", text)
    return re.sub(r"\s+", " ", text)


def english_date_words(text: str) -> list[str]:
    return [f"{m.group(0)!r} in …{text[max(0, m.start() - 40):m.end() + 40]}…" for m in ENGLISH_DATE_WORDS.finditer(text)]


def dutch(urls):
    return [url for url in urls if not url.startswith("/en/")]


@pytest.fixture
def studio(django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False), translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        built = the_demo_studio(NOW)
        built.update(her_other_things(built, NOW))
    cache.clear()
    return built


def test_the_date_formats_are_dutch_in_dutch_and_english_in_english():
    day = datetime(2026, 12, 1, 19, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with translation.override("nl"):
        assert formats.date_format(day, "D j N") == "di 1 dec"
        assert formats.date_format(day, "j N Y") == "1 dec 2026"
    with translation.override("en"):
        assert formats.date_format(day, "D j N") == "Tue 1 Dec."


def test_no_public_or_account_page_in_dutch_names_an_english_month_or_weekday(studio):
    visitor = Client()
    sitemap = visitor.get("/sitemap.xml").content.decode()
    paths = dutch(dict.fromkeys(urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)))
    week_after = reverse("classes:timetable_week", kwargs={"monday": (NOW + timedelta(days=6)).date()})
    paths += [week_after, *dutch(anonymous_pages())]
    assert len(paths) > 20 and "/rooster/" in paths
    found = {}
    for path in paths:
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert '<html lang="nl"' in response.content.decode(), path
        if words := english_date_words(visible_text(response.content.decode())):
            found[path] = words
    assert not found


def test_no_page_of_a_signed_in_client_in_dutch_names_an_english_month_or_weekday(studio):
    client = Client()
    client.force_login(studio["client"])
    paths = dutch(client_pages(studio))
    assert len(paths) >= 15
    found, texts = {}, []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        texts.append(visible_text(response.content.decode()))
        if words := english_date_words(texts[-1]):
            found[path] = words
    assert not found
    assert re.search(r"\b\d{1,2} (?:nov|dec) 2026\b", " ".join(texts))  # the short dates are there, in Dutch


def test_the_dutch_emails_of_a_booking_name_no_english_month_or_weekday(studio):
    booking = studio["booking"]
    sent = [message for message in mail.outbox if message.to == [studio["client"].email]]
    assert any("geboekt" in message.subject.lower() or "plek" in message.subject.lower() for message in sent), [m.subject for m in sent]
    mail.outbox.clear()
    with time_machine.travel(booking.session.starts_at - timedelta(hours=3), tick=False):
        assert group_jobs.reminders_send(now=booking.session.starts_at - timedelta(hours=3)) >= 1
    sent += [message for message in mail.outbox if message.to == [studio["client"].email]]
    found = {}
    for message in sent:
        html = next((content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"), "")
        words = english_date_words(visible_text(f"{message.subject}\n{message.body}")) + english_date_words(visible_text(html))
        if words:
            found[message.subject] = words
    assert not found
