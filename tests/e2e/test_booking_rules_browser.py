"""The booking rules in Chromium: the admin changes them at her desk (a refused value saves nothing),
the terms read the new rules at once, and with the intake rule on, a new client is led from the booking
page to the intake form and back to book her first class. axe-core finds nothing serious, the page
fits a phone, and nothing logs a console error."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, BookingPolicy
from tests.e2e import pagecheck
from tests.e2e.demo_studio import the_demo_studio
from tests.factories import UserFactory, class_card
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_serious_axe_violations(page):
    pagecheck.inject_axe(page)
    violations = [v for v in page.evaluate(pagecheck.AXE_RUN_JS) if v["impact"] in pagecheck.BLOCKING_IMPACTS]
    assert not violations, violations


def test_the_admin_changes_the_rules_and_a_new_client_fills_in_her_intake_first(page, live_server):
    now = timezone.now()
    studio = the_demo_studio(now)
    admin = UserFactory(email="beheer@example.nl", is_staff=True)
    admin.groups.add(Group.objects.get(name="Admin"))
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/boekhouding/regels/", wait_until="load")
    page.fill("#id_hold_minutes", "90")
    page.fill("#id_cancel_window_hours", "24")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Regels opslaan").click()
    assert "Er is niets opgeslagen" in page.inner_text("main")
    assert page.inner_text("#id_hold_minutes_error") == "Kies een getal van 5 tot en met 30."
    assert BookingPolicy.objects.get(pk=1).cancel_window_hours == 12
    no_serious_axe_violations(page)

    page.fill("#id_hold_minutes", "15")
    page.check("#id_intake_before_first_group_class")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Regels opslaan").click()
    assert "De boekingsregels zijn opgeslagen." in page.inner_text("main")
    assert "Je kunt kosteloos annuleren tot 24 uur voor de les." in page.inner_text(".rules-preview")
    no_serious_axe_violations(page)
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload(wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/voorwaarden/", wait_until="load")
    terms = page.inner_text("main")
    assert "Je kunt kosteloos annuleren tot 24 uur voor de les." in terms and "12 uur" not in terms
    assert "Voor je eerste groepsles vragen we je één keer het intakeformulier in te vullen." in terms
    page.goto(f"{live_server.url}/en/terms/", wait_until="load")
    assert "You can cancel free of charge up to 24 hours before the class." in page.inner_text("main")

    newcomer = UserFactory(email="nieuw@example.nl", first_name="Noor")
    class_card(newcomer, credits=5, now=now - timedelta(days=1))
    sign_in(page, live_server, newcomer)
    book_url = reverse("bookings:book", args=[studio["free"].pk])
    page.goto(f"{live_server.url}{book_url}", wait_until="load")
    assert "Dit wordt je eerste groepsles bij ons." in page.inner_text("main")
    no_serious_axe_violations(page)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Vul het intakeformulier in").click()
    page.check("input[name=consent]")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Bewaar mijn antwoorden").click()
    assert page.url == f"{live_server.url}{book_url}"
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Gebruik mijn lessenkaart").click()
    assert Booking.objects.get(client=newcomer, session=studio["free"]).status == "confirmed"
    assert not errors, "\n".join(errors)
