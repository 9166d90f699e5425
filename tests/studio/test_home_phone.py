"""On a 390 × 844 phone, in Dutch and English: "Boek een les" is in view without scrolling and leads to
the timetable; the prices page and the one-to-ones are one tap from the home page; no console error."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command

from studio import roles
from tests.e2e.pagecheck import watch_console

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "nl": {"prefix": "", "book": "Boek een les", "timetable": "Rooster", "prices": "Prijzen", "one_to_one": "Individuele sessies",
           "quick": "Direct naar", "offers": "Wat we aanbieden"},
    "en": {"prefix": "/en", "book": "Book a class now", "timetable": "Timetable", "prices": "Prices", "one_to_one": "One-to-one sessions",
           "quick": "Straight to", "offers": "What we offer"},
}


@pytest.fixture
def phone(browser, live_server):
    roles.sync_roles(apps)  # the groups the migrations made; an earlier transactional test flushed them
    call_command("demo", stdout=io.StringIO())
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_on_a_phone_book_a_class_is_in_view_and_prices_and_one_to_ones_are_one_tap_away(phone, live_server, language):
    words = WORDS[language]
    errors = watch_console(phone, live_server)
    phone.goto(f"{words['prefix']}/")
    book = phone.get_by_role("link", name=words["book"], exact=True)
    box = book.bounding_box()
    assert box["y"] + box["height"] <= 844, f"'{words['book']}' is below the fold at y={box['y']}"
    assert box["height"] >= 44  # a thumb's size
    book.click()
    phone.wait_for_url(re.compile(r"/(rooster|timetable)/$"))
    assert phone.get_by_role("heading", level=1).inner_text() == words["timetable"]

    quick = lambda: phone.get_by_role("navigation", name=words["quick"])  # noqa: E731
    phone.goto(f"{words['prefix']}/")
    quick().get_by_role("link", name=words["prices"], exact=True).click()
    phone.wait_for_url(re.compile(r"/(prijzen|prices)/$"))
    assert phone.get_by_role("heading", level=1).inner_text() == words["prices"]

    phone.goto(f"{words['prefix']}/")
    quick().get_by_role("link", name=words["one_to_one"]).click()
    phone.wait_for_url(re.compile(r"/(individueel|one-to-one)/$"))

    phone.goto(f"{words['prefix']}/")
    offers = phone.get_by_role("region", name=words["offers"]).locator(".offer-card")
    assert offers.count() == 6
    offers.nth(4).click(position={"x": 20, "y": 60})  # anywhere on the card, not only its title
    phone.wait_for_url(re.compile(r"/(lessen|classes)/tre-traject/$"))
    assert errors == []
