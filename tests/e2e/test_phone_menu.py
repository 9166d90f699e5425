"""The header on a phone: the menu behind a "Menu" button, the language switch in reach, one line;
on a desktop the menu as it was; without script the menu simply open. And the site is installable:
a web app manifest with its icons, linked from every page."""

import json
import re

import pytest
from django.urls import reverse

from tests.conftest import ARTIFACTS
from tests.e2e import pagecheck
from tests.factories import OfferingFactory, PageFactory, StyleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture
def site(db):
    OfferingFactory(style=StyleFactory(slug="yin"))
    PageFactory(key="about", title_nl="Over ons", title_en="About us")


@pytest.fixture
def phone(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console = pagecheck.watch_console(page, live_server)
    yield page
    context.close()


def header_height(page):
    return page.locator(".site-header").bounding_box()["height"]


def test_on_a_phone_the_menu_opens_and_closes_behind_its_button(phone):
    page = phone
    page.goto("/")
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("nav#site-menu")
    assert menu.get_attribute("aria-label") == "Hoofdmenu"
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "site-menu" and menu.get_attribute("id") == "site-menu"
    assert not menu.is_visible()
    assert page.get_by_role("button", name=re.compile("^EN")).is_visible(), "the language switch stays in reach"
    assert header_height(page) < 80, "one line"
    page.screenshot(path=str(SCREENSHOTS / "menu-closed-phone.png"))

    button.click()
    assert button.get_attribute("aria-expanded") == "true" and menu.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "menu-open-phone.png"))
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu-button')"), "focus back on the button"

    button.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    page.mouse.click(200, 700)  # a tap beside the menu closes it
    assert not menu.is_visible()

    order = page.evaluate("() => [...document.querySelectorAll('header a, header button')].map(e => e.className || e.lang)")
    assert order[:4] == ["brand", "nl", "en", "menu-button"], "in the page as on the screen: brand, languages, Menu, then the menu"
    button.focus()
    page.keyboard.press("Enter")
    for _ in range(menu.get_by_role("link").count()):
        page.keyboard.press("Tab")
    assert menu.is_visible(), "still in the menu on its last link"
    page.keyboard.press("Tab")  # on past the last link, into the page
    assert not menu.is_visible(), "leaving the menu by keyboard closes it"

    button.click()
    menu.get_by_role("link", name="Rooster").click()
    page.wait_for_url(re.compile(r"/rooster/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Rooster"
    assert page.console == []


def test_the_phone_header_fits_at_360_px_in_both_languages(phone):
    page = phone
    page.set_viewport_size({"width": 360, "height": 740})
    for url in ("/", "/en/"):
        page.goto(url)
        page.screenshot(path=str(SCREENSHOTS / f"menu-360{url.replace('/', '-')}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert header_height(page) < 80, url
        for name in ("Menu", re.compile("^NL"), re.compile("^EN")):
            box = page.get_by_role("button", name=name).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 44, (url, name)


def test_on_a_desktop_the_menu_is_open_on_one_line(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto("/")
        assert not page.get_by_role("button", name="Menu").is_visible()
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        links = menu.get_by_role("link")
        assert links.count() >= 5 and all(links.nth(i).is_visible() for i in range(links.count()))
        assert len({round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}) == 1, "the menu on one line"
        page.screenshot(path=str(SCREENSHOTS / "menu-desktop.png"))
    finally:
        context.close()


@pytest.mark.parametrize("how", ["script off", "menu.js never arrives"])
def test_without_script_the_phone_menu_is_simply_open(browser, live_server, site, how):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844},
                                  java_script_enabled=how != "script off")
    try:
        page = context.new_page()
        if how != "script off":  # a stale page after a deploy, a blocked file: the menu must not be lost behind a dead button
            page.route("**/menu*.js", lambda route: route.abort())
        page.goto("/")
        assert not page.get_by_role("button", name="Menu").is_visible()
        assert page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rooster").is_visible()
    finally:
        context.close()


def test_the_site_is_installable_with_a_manifest_and_its_icons(phone):
    page = phone
    page.goto(reverse("classes:timetable"))
    head = page.locator("head")
    assert head.locator('meta[name="theme-color"]').get_attribute("content") == "#f1e8dc"
    assert head.locator('link[rel="apple-touch-icon"]').count() == 1
    manifest_url = head.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(manifest_url)
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/" and manifest["short_name"]
    assert manifest["theme_color"] == "#f1e8dc" and manifest["background_color"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable"), ("any", "any")} <= purposes
    base = manifest_url.rsplit("/", 1)[0] + "/"
    for icon in manifest["icons"]:
        answer = page.request.get(base + icon["src"])
        assert answer.ok and answer.headers["content-type"] == icon["type"], icon
    assert page.request.get(head.locator('link[rel="apple-touch-icon"]').get_attribute("href")).ok
