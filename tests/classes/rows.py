"""Reading the timetable's booking rows in a test: shared by the row tests."""

import re

from django.test import Client


def rows(html: str) -> dict[int, str]:
    """{session id: the row's HTML} of the booking rows on a page."""
    found = re.findall(r'<li class="session-row[^"]*">(.*?)</li>', html, re.S)
    return {int(re.search(r'href="/(?:rooster/les|en/timetable/session)/(\d+)/"', row).group(1)): re.sub(r"[ \t\n]+", " ", row)
            for row in found}


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser
