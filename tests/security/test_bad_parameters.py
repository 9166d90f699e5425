"""Odd input to every URL, swept from the URL configuration: NUL bytes, far-off dates and huge
numbers in the path, in every query parameter a page reads and in every form field, sent by a
visitor, a client and the admin. Nothing answers 500: NUL is refused with 400 and the site's own
page, a far date gets a clear message, an impossible id a 404."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bookings.models import Booking

pytestmark = pytest.mark.django_db

# Every query parameter and form field the views read by name (grep request.GET / request.POST).
PARAMETERS = ["page", "comment", "next", "from", "session_id", "first", "last", "lang", "style", "teacher", "starts_at", "pay_with",
              "attendance", "method", "touch", "language", "reason", "subject", "body", "amount", "delta", "client", "email",
              # the admin's desk
              "day", "q", "status", "purpose", "compare_first", "compare_last", "year", "token", "confirmed", "float_cents",
              "cash_counted_cents", "pin_counted_cents", "note", "price", "credits", "validity_months", "position", "title", "slug",
              "published_at", "text"]
NUL = "\x00"
FAR_FUTURE, FAR_PAST, HUGE = "9999-12-31", "0001-01-01", "9" * 30
ODD_VALUES = [FAR_FUTURE, FAR_PAST, HUGE, "-1", "9999-12-31T23:59:00+01:00", "a" * 3000]


def every_url(world) -> list[str]:
    """Every page of the site (admin and allauth aside), with the world's own ids and slugs."""
    found = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith(("admin/", "account/")):
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    urls = []
    for name in sorted(set(found)):
        if name in ("account_reset_password_from_key",):
            continue
        kwargs = world["args"].get(name)
        try:
            urls.append(reverse(name, kwargs=kwargs) if kwargs else reverse(name))
        except Exception:  # noqa: BLE001 - a pattern with parameters the world has no value for
            continue
    assert len(urls) > 60
    return urls


def people(client, world):
    """The same sweep as a visitor, as the client who owns the world's things, and as the admin."""
    yield "visitor"
    client.force_login(world["owner"])
    yield "client"
    client.force_login(world["admin"])
    yield "admin"


def test_nul_bytes_in_the_query_or_a_form_are_refused_on_every_url(client, world):
    urls = every_url(world)
    for who in people(client, world):
        for url in urls:
            response = client.get(url, {name: NUL for name in PARAMETERS})
            assert response.status_code == 400, (who, url, response.status_code)
            response = client.post(url, {name: f"x{NUL}y" for name in PARAMETERS})
            assert response.status_code == 400, (who, "POST", url, response.status_code)
    response = client.get(urls[0], {"style": NUL})
    assert "We konden dit verzoek niet begrijpen" in response.content.decode()


def test_far_dates_and_huge_numbers_in_the_query_never_break_a_page(client, world):
    urls = every_url(world)
    for who in people(client, world):
        for url in urls:
            for value in ODD_VALUES:
                response = client.get(url, {name: value for name in PARAMETERS})
                assert response.status_code < 500, (who, url, value, response.status_code)


def test_far_dates_and_huge_numbers_in_a_form_never_break_a_page(client, world):
    urls = every_url(world)
    bookings_before = Booking.objects.count()
    for who in people(client, world):
        for url in urls:
            for value in ODD_VALUES:
                response = client.post(url, {name: value for name in PARAMETERS})
                assert response.status_code < 500, (who, "POST", url, value, response.status_code)
    assert Booking.objects.count() == bookings_before  # none of it booked anything


def test_nul_and_huge_numbers_in_the_path_never_break_a_page(client, world):
    urls = every_url(world)
    for who in people(client, world):
        for url in urls:
            if not re.search(r"/\d+/", url):
                continue
            huge = re.sub(r"/\d+/", f"/{HUGE}/", url, count=1)
            for response in (client.get(huge), client.post(huge)):
                to_login = response.status_code == 302 and "/account/login/" in response["Location"]
                assert response.status_code in (404, 405) or (who == "visitor" and to_login), (who, huge, response.status_code)
    assert client.get("/agenda/%00.ics").status_code == 400
    assert client.get("/rooster/%00/").status_code in (400, 404)


def test_a_nul_byte_in_a_cookie_is_ignored(client, world):
    client.cookies["sessionid"] = f"abc{NUL}def"
    client.cookies["django_language"] = f"en{NUL}"
    assert client.get("/rooster/").status_code == 200
    assert client.get(reverse("bookings:my_bookings")).status_code == 302  # simply not signed in


def test_far_dates_on_the_slot_pages_get_a_clear_message(client, world):
    client.force_login(world["owner"])
    for name, kwargs in (("bookings:appointment_slots", world["args"]["bookings:appointment_slots"]),
                         ("bookings:appointment_move", world["args"]["bookings:appointment_move"])):
        response = client.get(reverse(name, kwargs=kwargs), {"from": FAR_FUTURE}, follow=True)
        assert response.status_code == 200
        assert "Die datum valt buiten de weken die we laten zien" in response.content.decode()


def test_a_far_period_in_the_reports_and_exports_gets_a_clear_message(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("bookings:reports"), {"first": FAR_FUTURE, "last": FAR_FUTURE})
    assert response.status_code == 200
    assert "Kies een datum tussen 2000 en 2100." in response.content.decode()
    export = client.get(reverse("bookings:export", kwargs={"kind": "payments"}), {"first": FAR_FUTURE, "last": FAR_FUTURE})
    assert export.status_code == 400
    assert "Kies een datum tussen 2000 en 2100." in export.content.decode()
