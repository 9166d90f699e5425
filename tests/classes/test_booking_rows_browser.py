"""The booking rows in Chromium on a 360 px phone: no sideways scroll, tap targets of 44 px, the date
strip and the chips work, a row's button leads to booking, and a signed-in client sees "Geboekt"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.group import waitlist
from classes.models import Session
from tests.e2e.pagecheck import AXE_RUN_JS, BLOCKING_IMPACTS, inject_axe, require_tools, watch_console
from tests.factories import BookingFactory, OfferingFactory, SessionFactory, StyleFactory, local
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A row's button: its word, then (for a screen reader) the class and its time.
BOOK_NL, BOOK_EN, WAITLIST_NL = re.compile(r"^Boek\b"), re.compile(r"^Book\b"), re.compile(r"^Wachtlijst\b")

# Everything a thumb presses on the timetable.
TARGETS = ".strip-step, .strip-now, .date-chip, .filter-chip, .row-book, .mine-chip"
SIZES_JS = f"""() => [...document.querySelectorAll({TARGETS!r})].map(el => {{
  const box = el.getBoundingClientRect();
  return {{what: el.className + ' ' + el.textContent.trim().slice(0, 20), width: box.width, height: box.height}};
}})"""


@pytest.fixture
def next_week():
    """Next week (whatever today is): a Yin class with room on Tuesday, a full Hatha class on Thursday,
    a Yin class on Saturday; returns the week's timetable path and the sessions."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    yin = OfferingFactory(style=StyleFactory(slug="yin"))
    hatha = OfferingFactory(style=StyleFactory(slug="hatha"))
    tuesday = SessionFactory(offering=yin, starts_at=local(monday.year, monday.month, monday.day, 19, 30) + timedelta(days=1))
    thursday = SessionFactory(offering=hatha, starts_at=local(monday.year, monday.month, monday.day, 9, 30) + timedelta(days=3), capacity=6)
    saturday = SessionFactory(offering=yin, starts_at=local(monday.year, monday.month, monday.day, 10, 0) + timedelta(days=5))
    Session.objects.filter(pk=thursday.pk).update(places_taken=6)
    year, week, _ = monday.isocalendar()
    return {"path": f"/rooster/{year}-W{week:02d}/", "tuesday": tuesday, "thursday": thursday, "saturday": saturday}


def check_phone_page(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "sideways scroll at 360 px"
    small = [size for size in page.evaluate(SIZES_JS) if size["width"] < 44 or size["height"] < 44]
    assert small == [], small
    inject_axe(page)
    findings = [v for v in page.evaluate(AXE_RUN_JS) if v["impact"] in BLOCKING_IMPACTS]
    assert findings == [], findings


def test_the_rows_on_a_phone(page, live_server, next_week, client_user, other_client):
    require_tools()
    errors = watch_console(page, live_server)
    page.set_viewport_size({"width": 360, "height": 800})

    page.goto(next_week["path"])
    rows = page.locator(".session-row")
    assert rows.count() == 3
    check_phone_page(page)
    assert rows.nth(1).locator(".places").inner_text() == "vol"
    assert rows.nth(1).get_by_role("link", name=WAITLIST_NL).is_visible()
    assert rows.nth(0).locator(".row-price").inner_text() == "€\u00a017,50"

    page.locator(".date-chip").nth(5).click()  # Saturday
    page.wait_for_url(re.compile("#day-6$"))
    assert page.get_by_role("heading", name=re.compile("^zaterdag")).is_visible()

    page.get_by_role("group", name="Stijl").get_by_role("link", name="Yin yoga").click()
    page.wait_for_url(re.compile(r"\?style=yin$"))
    assert page.locator(".session-row").count() == 2
    assert page.get_by_role("group", name="Stijl").get_by_role("link", name="Yin yoga").get_attribute("aria-current") == "true"

    page.locator(".session-row").first.get_by_role("link", name=BOOK_NL).click()
    page.wait_for_url(re.compile(r"/account/login/\?next=/boeken/\d+/"))  # a visitor logs in first, then books

    BookingFactory(client=client_user, session=next_week["tuesday"])
    waitlist.waitlist_join(client=other_client, session=next_week["thursday"])
    sign_in(page, live_server, client_user)
    page.goto(next_week["path"])
    mine = page.locator(".session-row").first.get_by_role("link", name="Geboekt")
    assert mine.is_visible()
    check_phone_page(page)
    mine.click()
    page.wait_for_url(re.compile("/mijn-boekingen/$"))

    sign_in(page, live_server, other_client)  # the next client, the same cached page: her own rows only
    page.goto(next_week["path"])
    assert page.locator(".mine-chip").all_inner_texts() == ["Op de wachtlijst"]
    assert page.locator(".session-row").first.get_by_role("link", name=BOOK_NL).is_visible()

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/en" + next_week["path"].replace("/rooster/", "/timetable/"))
    assert page.locator(".mine-chip").all_inner_texts() == ["On the waitlist"]
    assert page.locator(".session-row").first.get_by_role("link", name=BOOK_EN).is_visible()
    assert errors == []


def test_a_phone_in_english_with_dates_on_the_home_page(page, live_server, next_week):
    require_tools()
    errors = watch_console(page, live_server)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/en/")
    row = page.locator(".session-row").first
    assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}", row.locator(".row-date").inner_text())
    assert row.get_by_role("link", name=BOOK_EN).is_visible()
    check_phone_page(page)
    assert errors == []
