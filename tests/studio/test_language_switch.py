"""The language switch works both ways (NL -> EN and EN -> NL), signed in and not, from every kind of page:
it lands on the same page in the other language (the query kept), the page then speaks that language, and
neither the cookie nor the profile sends her back to the language she left.

/i18n/setlang/ lies outside i18n_patterns, so Dutch is active there; studio.views.set_language activates
the language of the page she came from while Django translates it (else "/en/..." stays "/en/...")."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from blog.models import Post
from classes.models import Style
from tests.e2e.demo_studio import the_demo_studio

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]  # at NOW

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))  # a Tuesday morning


@pytest.fixture(scope="module")
def studio(django_db_setup, django_db_blocker):
    """The demo studio, built once for this module in a transaction that is rolled back after it
    (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(NOW, tick=False), translation.override("nl"):
                built = the_demo_studio(NOW)
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


def page_names(studio):
    """(label, url name, kwargs, query, who): who is "anyone", "visitor" or "client"."""
    post = Post.objects.order_by("pk").first()
    pages = [
        ("home", "home", {}, "", "anyone"),
        ("timetable", "classes:timetable", {}, f"?style={Style.objects.order_by('pk').first().slug}", "anyone"),
        ("offering", "classes:offering", {"slug": studio["free"].offering.slug}, "", "anyone"),
        ("session", "classes:session", {"pk": studio["free"].pk}, "", "anyone"),
        ("blog post", "blog:post", {"slug": post.slug}, "", "anyone"),
        ("one-to-one", "bookings:one_to_one", {}, "", "anyone"),
        ("teacher", "classes:teacher", {"slug": studio["teacher"].teacher_profile.slug}, "", "anyone"),
        ("prices", "prices", {}, "", "anyone"),
        ("login", "account_login", {}, "", "visitor"),
        ("my bookings", "bookings:my_bookings", {}, "", "client"),
        ("profile", "profile", {}, "", "client"),
    ]
    return [(label, {code: _url(name, kwargs, code) + query for code in ("nl", "en")}, who)
            for label, name, kwargs, query, who in pages]


def _url(name, kwargs, language):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _switch(browser, *, to, from_url):
    return browser.post(reverse("set_language"), {"language": to, "next": from_url})


def _lang_of(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def _visitors(studio):
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(studio["client"])
    return {"visitor": anonymous, "client": signed_in}


@pytest.mark.parametrize("who", ["visitor", "client"])
def test_every_kind_of_page_switches_to_english_and_back_to_dutch(studio, who):
    person = studio["client"]
    person.language = "nl"
    person.save(update_fields=["language"])
    browser = _visitors(studio)[who]
    checked = []
    for label, urls, for_whom in page_names(studio):
        if for_whom not in ("anyone", who):
            continue
        to_english = _switch(browser, to="en", from_url=urls["nl"])
        assert to_english.status_code == 302 and to_english["Location"] == urls["en"], (label, to_english.get("Location"))
        assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        english = browser.get(urls["en"])
        assert english.status_code == 200 and _lang_of(english) == "en", label
        again = browser.get(urls["nl"])  # the Dutch address now sends her to the English twin
        assert again.status_code == 302 and again["Location"] == urls["en"], label
        if who == "client":
            person.refresh_from_db()
            assert person.language == "en", label

        to_dutch = _switch(browser, to="nl", from_url=urls["en"])
        assert to_dutch.status_code == 302 and to_dutch["Location"] == urls["nl"], (label, to_dutch.get("Location"))
        assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
        dutch = browser.get(urls["nl"])  # and no bounce back to English
        assert dutch.status_code == 200 and _lang_of(dutch) == "nl", label
        if who == "client":
            person.refresh_from_db()
            assert person.language == "nl", label
        checked.append(label)
    expected = {"home", "timetable", "offering", "session", "blog post", "one-to-one", "teacher", "prices",
                *(["login"] if who == "visitor" else ["my bookings", "profile"])}
    assert expected == set(checked)


def test_the_query_of_the_page_is_kept_both_ways(studio):
    browser = Client()
    slug = Style.objects.order_by("pk").first().slug
    response = _switch(browser, to="en", from_url=f"/rooster/?style={slug}")
    assert response["Location"] == f"/en/timetable/?style={slug}"
    response = _switch(browser, to="nl", from_url=f"/en/timetable/?style={slug}")
    assert response["Location"] == f"/rooster/?style={slug}"


def test_a_signed_in_client_without_the_cookie_is_not_sent_back_to_english(studio):
    """Her profile remembers the choice for a new browser; after switching back to Dutch it says Dutch."""
    person = studio["client"]
    browser = Client()
    browser.force_login(person)
    _switch(browser, to="en", from_url="/")
    _switch(browser, to="nl", from_url="/en/")
    person.refresh_from_db()
    assert person.language == "nl"
    fresh = Client()  # another browser: no language cookie, the profile decides
    fresh.force_login(person)
    assert fresh.get("/mijn-boekingen/").status_code == 200


def test_a_signed_in_client_who_chose_english_gets_english_in_a_new_browser(studio):
    person = studio["client"]
    browser = Client()
    browser.force_login(person)
    _switch(browser, to="en", from_url="/mijn-boekingen/")
    fresh = Client()
    fresh.force_login(person)
    response = fresh.get("/mijn-boekingen/")
    assert response.status_code == 302 and response["Location"] == "/en/my-bookings/"


@pytest.mark.parametrize("next_url", [None, "https://evil.example/"])
def test_without_a_usable_next_the_page_she_came_from_is_translated_both_ways(studio, next_url):
    """No `next` (or one refused): Django goes back to the Referer. Its own language is active while
    translating it, so English -> Dutch does not land on the English page again."""
    browser = Client()
    slug = Style.objects.order_by("pk").first().slug
    data = {"language": "nl"} if next_url is None else {"language": "nl", "next": next_url}
    response = browser.post(reverse("set_language"), data, HTTP_REFERER=f"http://testserver/en/timetable/?style={slug}")
    assert response.status_code == 302 and response["Location"] == f"http://testserver/rooster/?style={slug}"
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert _lang_of(browser.get(f"/rooster/?style={slug}")) == "nl"
    data["language"] = "en"
    response = browser.post(reverse("set_language"), data, HTTP_REFERER=f"http://testserver/rooster/?style={slug}")
    assert response["Location"] == f"http://testserver/en/timetable/?style={slug}"


def test_without_next_or_referer_she_lands_on_the_home_page_in_her_new_language(studio):
    response = Client().post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_a_next_elsewhere_is_refused_and_the_language_still_set(studio):
    browser = Client()
    response = _switch(browser, to="en", from_url="https://evil.example/en/")
    assert not response.get("Location", "").startswith("https://evil.example")
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_unknown_language_changes_nothing(studio):
    browser = Client()
    response = _switch(browser, to="fr", from_url="/en/")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert settings.LANGUAGE_COOKIE_NAME not in browser.cookies
