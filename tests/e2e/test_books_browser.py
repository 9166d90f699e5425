"""The reports page in Chromium: the date pickers show the period (an ISO value, or the browser shows
nothing), presets and a chosen comparison work by links and the form, the charts pass axe-core, the
page does not scroll sideways on a phone, and nothing logs a console error (the CSP allows no inline
style, so the SVG charts use presentation attributes and classes)."""

import pytest
import time_machine

from tests.bookings import books_data
from tests.e2e import pagecheck
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reports_page_in_the_browser(page, live_server):
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    with time_machine.travel(books_data.NOW, tick=True):
        books_data.money()
        books_data.classes()
        sign_in(page, live_server, books_data.admin())
        page.goto("/boekhouding/overzichten/?first=2026-10-01&last=2026-10-31", wait_until="load")
        assert page.input_value("input[name=first]") == "2026-10-01"
        assert page.input_value("input[name=last]") == "2026-10-31"
        assert page.locator("svg.chart[role=img]").count() == 3

        page.fill("input[name=compare_first]", "2026-08-01")
        page.fill("input[name=compare_last]", "2026-08-31")
        with page.expect_navigation(wait_until="load"):
            page.locator("form.books-period button[type=submit]").click()
        assert "compare_first=2026-08-01" in page.url
        caption = page.locator("#comparison caption").inner_text()
        assert caption == "1 oktober 2026 – 31 oktober 2026 tegenover 1 augustus 2026 – 31 augustus 2026"
        assert page.locator("#comparison tbody tr").first.inner_text().split("\t") == [
            "Omzet na terugbetalingen", "€\xa062,50", "€\xa00,00", "+€\xa062,50", "–"]

        with page.expect_navigation(wait_until="load"):
            page.get_by_role("link", name="Vorige maand").click()
        assert page.input_value("input[name=first]") == "2026-11-01" and page.input_value("input[name=compare_first]") == ""

        pagecheck.inject_axe(page)
        violations = [v for v in page.evaluate(pagecheck.AXE_RUN_JS) if v["impact"] in pagecheck.BLOCKING_IMPACTS]
        assert not violations, violations

        page.set_viewport_size({"width": 360, "height": 800})
        page.goto("/boekhouding/overzichten/?first=2026-10-01&last=2026-10-31", wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto("/boekhouding/btw/?year=2026", wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.locator("#vat-q4 tfoot").inner_text().split("\t")[-2:] == ["€\xa09,26", "€\xa053,24"]
    assert not errors, "\n".join(errors)
