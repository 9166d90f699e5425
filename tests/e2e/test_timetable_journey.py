"""A visitor browses the timetable in Chromium: home, timetable, next week, filter
by Yin (a chip), a session, its offering; in Dutch and in English."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from classes import services
from tests.factories import OfferingFactory, StyleFactory, WeeklySlotFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def timetable():
    yin = OfferingFactory(style=StyleFactory(slug="yin"))
    hatha = OfferingFactory(style=StyleFactory(slug="hatha"))
    today = timezone.localdate()
    first = WeeklySlotFactory(offering=yin, weekday=1, valid_from=today - timedelta(days=14))
    WeeklySlotFactory(offering=hatha, weekday=3, teacher=first.teacher, room=first.room, valid_from=today - timedelta(days=14))
    services.timetable_generate(today=today - timedelta(days=today.weekday()))
    return {"yin": yin, "hatha": hatha}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_browse_the_timetable(page, timetable, language):
    words = {
        "nl": {"prefix": "", "timetable": "Rooster", "next": "Volgende week", "style": "Stijl", "expect": "Wat je kunt verwachten", "more": "Meer over Yin yoga"},
        "en": {"prefix": "/en", "timetable": "Timetable", "next": "Next week", "style": "Style", "expect": "What to expect", "more": "More about Yin yoga"},
    }[language]
    page.goto(f"{words['prefix']}/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".session-row").count() >= 1  # the home page shows the next classes

    page.get_by_role("navigation", name=re.compile("Hoofdmenu|Main menu")).get_by_role("link", name=words["timetable"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["timetable"]
    assert page.locator(".day.is-today").count() == 1

    page.get_by_role("link", name=re.compile(words["next"])).click()
    page.wait_for_url(re.compile(r"/\d{4}-W\d{2}/$"))
    assert page.locator(".session-row").count() == 2
    assert page.locator(".day.is-today").count() == 0

    page.get_by_role("group", name=words["style"]).get_by_role("link", name="Yin yoga").click()
    page.wait_for_url(re.compile(r"style=yin"))
    rows = page.locator(".session-row")
    assert rows.count() == 1

    rows.first.get_by_role("link", name="Yin yoga", exact=True).click()
    page.wait_for_url(re.compile(r"/(les|session)/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Yin yoga"
    assert page.get_by_role("heading", name=words["expect"]).is_visible()

    page.get_by_role("link", name=words["more"]).click()
    page.wait_for_url(re.compile(r"/(lessen|classes)/yin-yoga/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Yin yoga"
