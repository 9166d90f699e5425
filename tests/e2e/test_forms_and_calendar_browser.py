"""In Chromium on a 390 x 844 phone: a refused intake puts the focus on the error summary at the top
and its link jumps to the consent box; the one-to-one picker shows a day at a time with the pay
button in reach once a time is picked; "Mijn boekingen" has no sideways scroll (390 and 360 px),
offers "Zet in je agenda" per booking, and its copy button puts the private feed on the clipboard."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import CalendarFeed
from tests.e2e.demo_studio import the_demo_studio
from tests.e2e.pagecheck import watch_console
from tests.factories import AppointmentTypeFactory, UserFactory, intake_for, teacher_at_work
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

IN_VIEW_JS = """el => { const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0; }"""


def test_a_missing_consent_puts_the_focus_on_the_summary_and_its_link_on_the_box(page, live_server):
    client = UserFactory(email="intake-fout@example.nl")
    sign_in(page, live_server, client)
    page.set_viewport_size(PHONE)
    errors = watch_console(page, live_server)
    page.goto(reverse("intake:form"))
    page.get_by_label("wat hoop je hier te vinden?").fill("Rust")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Bewaar mijn antwoorden").click()

    summary = page.locator(".error-summary")
    assert "Er ging iets mis. Kijk dit na:" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')"), "the focus is on the summary"
    assert summary.evaluate(IN_VIEW_JS)
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * PHONE["height"], "a long page: the summary matters"

    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_consent"
    assert page.locator("#id_consent").evaluate(IN_VIEW_JS)
    assert page.get_by_label("wat hoop je hier te vinden?").input_value() == "Rust", "what she wrote is kept"
    page.locator("#id_consent").check()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Bewaar mijn antwoorden").click()
    assert "Je gaf toestemming op" in page.content() and 'name="consent"' not in page.content()
    assert errors == []


@pytest.fixture
def bookable_kind(db):
    teacher = teacher_at_work(weekdays=range(7), start=time(8), end=time(20))
    return AppointmentTypeFactory(teacher=teacher, slug="energetische-sessie-60", is_bookable_alone=True)


def test_the_picker_shows_one_day_and_keeps_the_pay_button_in_reach(page, live_server, bookable_kind):
    client = UserFactory(email="kiezer@example.nl")
    intake_for(client)
    sign_in(page, live_server, client)
    page.set_viewport_size(PHONE)
    errors = watch_console(page, live_server)
    whole_day = timezone.localdate() + timedelta(days=3)  # past the day's notice, whatever the hour: all its times are free
    page.goto(reverse("bookings:appointment_slots", kwargs={"slug": bookable_kind.slug}) + f"?day={whole_day:%Y-%m-%d}")

    legends = page.locator(".slot-day legend").all_inner_texts()
    assert len(legends) == 1 and legends[0].startswith("Vrij op "), "one day at a time"
    first_day = page.locator(".day-chip.is-chosen .visually-hidden").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.locator(".slot label").nth(5).click()
    pay = page.get_by_role("button", name=re.compile("Boek en betaal"))
    box = pay.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert page.locator(".slot input").nth(5).is_checked()

    page.locator("a.day-chip:not(.is-chosen)").first.click()
    page.wait_for_url(re.compile(r"\?from=\d{4}-\d\d-\d\d&day=\d{4}-\d\d-\d\d$"))
    assert page.locator(".day-chip.is-chosen .visually-hidden").inner_text() != first_day
    assert len(page.locator(".slot-day legend").all_inner_texts()) == 1
    page.locator(".slot label").last.click()
    box = pay.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    times = page.locator(".slot-day").bounding_box()
    assert times["height"] < PHONE["height"], "a whole day of times (08:00 to 20:00) fits on one screen"
    assert errors == []


def test_my_bookings_fits_a_phone_and_copies_the_feed(page, live_server):
    studio = the_demo_studio(timezone.now())
    client = studio["client"]
    sign_in(page, live_server, client)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    errors = watch_console(page, live_server)
    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(reverse("bookings:my_bookings"))
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width

    assert page.locator(".add-to-calendar").count() >= 1
    google = page.locator(".add-to-calendar a[href^='https://calendar.google.com/']").first.get_attribute("href")
    assert re.search(r"dates=\d{8}T\d{6}Z%2F\d{8}T\d{6}Z", google)
    ics = page.locator(".add-to-calendar a[download]").first.get_attribute("href")
    download = page.request.get(ics)
    assert download.ok and "BEGIN:VEVENT" in download.text()

    feed = CalendarFeed.objects.get(client=client)
    webcal = page.locator("a[href^='webcal://']").get_attribute("href")
    assert webcal.endswith(reverse("bookings:calendar_feed", kwargs={"token": feed.token}))
    copy = page.get_by_role("button", name="Kopieer de link")
    copy.click()
    page.get_by_role("button", name="Gekopieerd").wait_for()
    assert page.locator(".copy-status").inner_text() == "Gekopieerd"
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#feed-url").input_value()
    assert page.locator("#feed-url").input_value().startswith(live_server.url)
    assert errors == []


def test_without_script_the_feed_address_is_there_to_copy_by_hand(browser, live_server):
    client = UserFactory(email="zonder-script@example.nl")
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, client)
    page.goto(reverse("bookings:my_bookings"))
    assert page.locator("#feed-url").get_attribute("readonly") is not None
    assert not page.get_by_role("button", name="Kopieer de link").is_visible()
    assert page.locator("a[href^='webcal://']").is_visible()
    context.close()


def test_the_times_are_big_enough_to_tap(page, live_server, bookable_kind):
    page.set_viewport_size(PHONE)
    page.goto(reverse("bookings:appointment_slots", kwargs={"slug": bookable_kind.slug}) + "?day="
              + (timezone.localdate() + timedelta(days=3)).isoformat())
    sizes = page.locator(".slot label").evaluate_all("els => els.map(el => el.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 44
    chips = page.locator(".day-chip").evaluate_all("els => els.map(el => el.getBoundingClientRect().height)")
    assert len(chips) == 7 and min(chips) >= 44
