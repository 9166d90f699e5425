"""Accessibility and quality of every page, in Dutch and in English.

One walk through the demo studio in Chromium at 360 px: every page of /sitemap.xml,
the account pages, and the pages a signed-in client and the teacher see. Each page
is opened once per language; the tests below judge what the walk collected:
axe-core (no serious or critical violation), the W3C Nu HTML checker (run once over
all pages), a title, one h1, a meta description, no sideways scrolling at 360 px.
Screenshots of the main pages at phone (390 px) and desktop (1366 px) width go to
test-artifacts/screenshots/ for a person to look at.
"""

import textwrap

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from classes.models import Offering
from studio.celery import app as celery_app
from tests.conftest import ARTIFACTS
from tests.e2e import pagecheck
from tests.e2e.demo_studio import the_demo_studio
from tests.e2e.walked_pages import anonymous_pages, client_pages, her_other_things, urls_in_both_languages
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 360
SCREENSHOTS = ARTIFACTS / "screenshots"


def teacher_pages(studio):
    session, client = studio["booking"].session, studio["client"]
    pages = [
        ("bookings:teacher_overview", {}), ("bookings:roster", {"pk": session.pk}),
        ("bookings:add_by_hand", {"pk": session.pk}), ("bookings:cancel_session", {"pk": session.pk}),
        ("teaching:client", {"pk": client.pk}), ("teaching:clients", {}), ("teaching:week", {}),
        ("teaching:availability", {}), ("teaching:offerings", {}), ("teaching:closures", {}),
        ("teaching:session_edit", {"pk": session.pk}), ("teaching:profile", {}),
    ]
    return [url for name, kwargs in pages for url in urls_in_both_languages(name, **kwargs)]


def forms_sent_empty():
    """Pages whose error messages should be checked too: (who, url)."""
    return [(who, url) for who, name in (("visitor", "contact"), ("visitor", "account_login"), ("visitor", "account_signup"),
                                         ("client", "intake:form")) for url in urls_in_both_languages(name)]


def main_pages(studio):
    """The pages a person should look at, at phone and desktop width: (file name, who, url)."""
    programme = Offering.objects.filter(kind=Offering.Kind.PROGRAMME).first()
    post = apps.get_model("blog", "Post").objects.order_by("pk").first()
    return [
        ("home", "visitor", "/"), ("home-en", "visitor", "/en/"),
        ("timetable", "visitor", reverse("classes:timetable")),
        ("offering", "visitor", studio["free"].offering.get_absolute_url()),
        ("prices", "visitor", reverse("prices")), ("prices-en", "visitor", urls_in_both_languages("prices")[1]),
        ("programme", "visitor", programme.get_absolute_url() if programme else reverse("tre")),
        ("session", "visitor", studio["free"].get_absolute_url()),
        ("blog", "visitor", reverse("blog:index")),
        ("post", "visitor", post.get_absolute_url()),
        ("about", "visitor", reverse("about")), ("contact", "visitor", reverse("contact")),
        ("login", "visitor", reverse("account_login")),
        ("my-bookings", "client", reverse("bookings:my_bookings")),
        ("book", "client", reverse("bookings:book", kwargs={"session_id": studio["free"].pk})),
        ("class-cards", "client", reverse("bookings:cards")),
        ("intake", "client", reverse("intake:form")),
        ("teaching", "teacher", reverse("bookings:teacher_overview")),
        ("roster", "teacher", reverse("bookings:roster", kwargs={"pk": studio["booking"].session.pk})),
    ]


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker, browser, live_server):
    """Every page, opened once per language by the visitor it is for. Returns the visits and screenshot files."""
    pagecheck.require_tools()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    visits, with_errors, screenshots = [], [], []
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
                translation.override("nl"):
            studio = the_demo_studio(timezone.now())
            studio.update(her_other_things(studio, timezone.now()))
            cache.clear()
            people = {"visitor": None, "client": studio["client"], "teacher": studio["teacher"]}
            pages = {}
            for who in people:
                context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": WIDTH, "height": 800})
                context.set_default_timeout(15_000)
                pages[who] = context.new_page()
                if people[who] is not None:
                    sign_in(pages[who], live_server, people[who])

            visitor = pages["visitor"]
            for url in [*pagecheck.sitemap_paths(visitor), *anonymous_pages()]:
                visits.append(pagecheck.visit(visitor, url, who="visitor"))
            not_found = pagecheck.visit(visitor, "/bestaat-niet/", who="visitor")
            not_found_en = pagecheck.visit(visitor, "/en/does-not-exist/", who="visitor")
            for url in client_pages(studio):
                visits.append(pagecheck.visit(pages["client"], url, who="client"))
            for url in teacher_pages(studio):
                visits.append(pagecheck.visit(pages["teacher"], url, who="teacher"))
            for who, url in forms_sent_empty():
                with_errors.append(pagecheck.visit_with_errors(pages[who], url, who=who))

            for name, who, url in main_pages(studio):
                for device, width in (("phone", 390), ("desktop", 1366)):
                    path = SCREENSHOTS / f"{name}-{device}.png"
                    pagecheck.screenshot(pages[who], url, path, width=width)
                    screenshots.append(path)
            for page in pages.values():
                page.context.close()
        yield {"visits": visits, "not_found": [not_found, not_found_en], "with_errors": with_errors, "screenshots": screenshots}
    finally:
        celery_app.conf.task_always_eager = eager
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            cache.clear()
            connections.close_all()  # or the test database cannot be dropped at the end of the run


def every_page(walk):
    return walk["visits"] + walk["not_found"] + walk["with_errors"]


def report(problems: dict[str, list[str]]) -> str:
    lines = []
    for where, found in problems.items():
        lines.append(where)
        lines.extend(textwrap.indent(item, "    ") for item in found)
    return "\n".join(lines)


def test_the_walk_covers_the_sitemap_and_the_signed_in_pages_in_both_languages(walk):
    visits = walk["visits"]
    urls = {visit.url for visit in visits}
    assert len(visits) == len(urls), "each page once"
    assert {"/", "/en/", "/rooster/", "/en/timetable/", "/blog/", "/en/blog/"} <= urls
    assert any(url.startswith("/blog/") and url.count("/") == 3 for url in urls), "a blog post"
    assert {visit.who for visit in visits} == {"visitor", "client", "teacher"}
    for who in ("client", "teacher"):
        theirs = [visit.url for visit in visits if visit.who == who]
        assert sum(url.startswith("/en/") for url in theirs) * 2 == len(theirs), f"{who}: every page in Dutch and English"


def test_every_page_opens(walk):
    wrong = {visit.label: [f"HTTP {visit.status}"] for visit in walk["visits"] if visit.status != 200}
    wrong.update({visit.label: [f"HTTP {visit.status}"] for visit in walk["not_found"] if visit.status != 404})
    wrong.update({visit.label: [f"HTTP {visit.status}, {visit.facts['errors']} error messages"] for visit in walk["with_errors"]
                  if visit.status != 200 or not visit.facts["errors"]})
    assert not wrong, "\n" + report(wrong)


def test_no_page_has_a_serious_or_critical_axe_violation(walk):
    problems = {}
    for visit in every_page(walk):
        for violation in visit.violations:
            problems.setdefault(visit.label, []).extend(
                f"{violation['impact']} {violation['id']}: {violation['help']} at {node['target']}\n  {node['summary']}"
                for node in violation["nodes"][:5])
    assert not problems, f"\n{len(problems)} pages with serious or critical axe violations:\n" + report(problems)


def test_no_page_logs_a_console_error(walk):
    """Under the site's CSP: an inline script or style, a refused font or image, a script error."""
    own_status = "Failed to load resource: the server responded with a status of 404"  # the not-found pages' own answer
    problems = {visit.label: [error for error in visit.console_errors if not (visit in walk["not_found"] and error.startswith(own_status))]
                for visit in every_page(walk)}
    problems = {label: errors for label, errors in problems.items() if errors}
    assert not problems, "\n" + report(problems)


def test_every_page_is_valid_html(walk):
    problems = pagecheck.validate_html(every_page(walk))
    assert not problems, f"\n{len(problems)} pages with HTML errors (W3C Nu checker):\n" + report(problems)


def test_every_page_has_a_title_one_h1_and_a_description(walk):
    problems = {}
    for visit in every_page(walk):
        facts, found = visit.facts, []
        if not facts["title"] or facts["title"].startswith("·"):
            found.append(f"no title of its own: {facts['title']!r}")
        if facts["h1"] != 1:
            found.append(f"{facts['h1']} h1 elements")
        if not facts["description"]:
            found.append("no meta description")
        expected_language = "en" if visit.url.startswith("/en/") else "nl"
        if facts["lang"] != expected_language:
            found.append(f"lang={facts['lang']!r}, expected {expected_language!r}")
        if found:
            problems[visit.label] = found
    assert not problems, "\n" + report(problems)


def test_no_page_scrolls_sideways_at_360_px(walk):
    wide = {visit.label: [f"{visit.facts['scrollWidth']} px wide: {', '.join(visit.facts['tooWide'])}"] for visit in every_page(walk)
            if visit.facts["scrollWidth"] > WIDTH}
    assert not wide, "\n" + report(wide)


def test_screenshots_of_the_main_pages_at_phone_and_desktop_width(walk):
    assert len(walk["screenshots"]) >= 30
    for path in walk["screenshots"]:
        assert path.parent == SCREENSHOTS
        assert path.stat().st_size > 5_000, path


def test_the_checkers_catch_a_known_fault(browser, live_server):
    """Guards the guards: axe and the Nu checker each report a fault put there on purpose."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": WIDTH, "height": 800})
    try:
        page = context.new_page()
        page.goto("/contact/")
        page.evaluate("() => { document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text><img src=x>'); }")
        pagecheck.inject_axe(page)
        found = {v["id"] for v in page.evaluate(pagecheck.AXE_RUN_JS) if v["impact"] in pagecheck.BLOCKING_IMPACTS}
        assert {"label", "image-alt"} <= found
        pagecheck.console_errors_of(page)
        page.evaluate("() => { document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>'); }")
        page.wait_for_timeout(200)
        assert any("Content Security Policy" in error for error in pagecheck.console_errors_of(page))
    finally:
        context.close()
    broken = pagecheck.Visit(url="/broken/", who="test", html="<!DOCTYPE html><html lang=nl><head><title>x</title></head><body><p><div></p></body></html>")
    assert pagecheck.validate_html([broken])["/broken/ (test)"]
