"""The teacher runs her day from a phone (390 px wide) in Chromium."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bookings.group import services
from bookings.models import Booking
from tests.factories import OfferingFactory, SessionFactory, TeacherFactory, UserFactory, class_card
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_teacher_day_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    teacher = TeacherFactory()
    teacher.user.groups.add(Group.objects.get_or_create(name="Teacher")[0])
    offering = OfferingFactory(allow_pay_at_studio=True)
    now = timezone.now()
    today = SessionFactory(offering=offering, teacher=teacher, starts_at=now - timedelta(minutes=5),
                           ends_at=now + timedelta(minutes=70), capacity=6)
    tomorrow = SessionFactory(offering=offering, teacher=teacher, starts_at=now + timedelta(days=1),
                              ends_at=now + timedelta(days=1, minutes=75), capacity=6)
    anna, bram, cees = (UserFactory(email=f"{n}@example.nl", first_name=n.title()) for n in ("anna", "bram", "cees"))
    for person in (anna, bram, cees):
        class_card(person, credits=5)
        services.booking_create(client=person, session=today, pay_with="card", by_staff=True)
    services.booking_create(client=anna, session=tomorrow, pay_with="card")

    sign_in(page, live_server, teacher.user)
    page.goto("/lesgeven/")
    page.get_by_role("link", name=re.compile(offering.name_nl)).first.click()
    page.wait_for_url(re.compile(r"/lesgeven/les/\d+/"))
    page.get_by_role("button", name="Anna aanmelden").click()
    page.get_by_role("button", name="Bram aanmelden").click()
    page.locator(f"#booking-{Booking.objects.get(client=cees, session=today).pk}").get_by_role("button", name="Niet gekomen").click()
    page.locator(".roster-row .badge-cancelled").wait_for()
    assert Booking.objects.filter(session=today, attendance="present").count() == 2
    assert Booking.objects.get(client=cees, session=today).attendance == "no_show"

    page.get_by_role("link", name="Iemand toevoegen").click()
    page.get_by_label("Voornaam").fill("Dewi")
    page.get_by_label("E-mailadres").fill("dewi@example.nl")
    page.get_by_role("button", name="Toevoegen aan de les").click()
    page.wait_for_url(re.compile(r"/lesgeven/les/\d+/$"))
    assert Booking.objects.filter(session=today, client__email="dewi@example.nl", status="confirmed").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"/lesgeven/les/{tomorrow.pk}/")
    page.get_by_role("link", name="Deze les annuleren").click()
    page.get_by_label(re.compile("Reden")).fill("Manoek is ziek")
    page.get_by_role("button", name="Annuleer de les").click()
    page.wait_for_url(re.compile(rf"/lesgeven/les/{tomorrow.pk}/$"))

    sign_in(page, live_server, anna)
    page.goto("/mijn-boekingen/")
    assert "Geannuleerd: Manoek is ziek" in page.content()
    assert anna.class_cards.get().balance == 4  # one used today, tomorrow's came back
