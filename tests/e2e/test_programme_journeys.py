"""The personal work in Chromium: the TRE® programme one-to-one from purchase to the first note, and a
90-minute Energetische Sessie booked, paid and moved to another day."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from bookings.models import Appointment, ProgrammeEnrolment
from classes.models import STUDIO_TZ
from tests.factories import (
    AppointmentTypeFactory,
    UserFactory,
    individual_tre_type,
    intake_for,
    teacher_at_work,
)
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def teacher(db):
    return teacher_at_work(weekdays=range(7), start=time(10), end=time(16))


def test_buy_the_tre_programme_fill_in_the_intake_book_and_read_the_note(page, live_server, stripe_webhooks_to, teacher):
    individual_tre_type(teacher=teacher)
    client = UserFactory(email="traject@example.nl", first_name="Sanne", last_name="de Vries")
    sign_in(page, live_server, client)

    page.goto("/traject/tre-traject/")
    page.get_by_role("button", name=re.compile("Koop het traject individueel")).click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    page.get_by_role("button", name=re.compile("iDEAL", re.I)).first.click()
    page.wait_for_url(re.compile(r"/mijn-trajecten/\d+/$"))
    assert "Dank je wel, je betaling is binnen" in page.content()
    enrolment = ProgrammeEnrolment.objects.get(client=client)
    assert enrolment.status == "active" and enrolment.balance == 3

    page.get_by_role("link", name="Kies een vrij moment").click()
    page.get_by_role("link", name="Vul het intakeformulier nu in").click()
    page.wait_for_url(re.compile(r"/intake/"))
    page.get_by_label("wat hoop je hier te vinden?").fill("Minder spanning in mijn schouders")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Bewaar mijn antwoorden").click()
    page.wait_for_url(re.compile(r"/individueel/tre-individueel/$"))

    page.locator("input[name=starts_at]").first.check()
    page.get_by_role("button", name=re.compile("Boek met mijn traject")).click()
    page.wait_for_url(re.compile(r"/mijn-sessies/\d+/$"))
    assert "Je sessie is geboekt" in page.content()
    appointment = Appointment.objects.get(client=client)
    assert appointment.status == "confirmed" and appointment.enrolment == enrolment

    # Time passes: the session took place this morning.
    earlier = timezone.now() - timedelta(hours=3)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=earlier, ends_at=earlier + timedelta(hours=1))

    sign_in(page, live_server, teacher.user)
    page.goto("/lesgeven/")
    page.locator(".teaching-nav").get_by_role("link", name="Trajecten").click()
    page.get_by_role("link", name=re.compile("Sanne de Vries")).first.click()
    page.wait_for_url(re.compile(r"/lesgeven/individueel/\d+/$"))
    page.get_by_role("button", name="Sanne was er").click()
    page.get_by_role("textbox", name="Hoe de sessie ging").fill("Je liet het trillen rustig komen en gaan.")
    page.get_by_role("textbox", name="Nazorg").fill("Drink vanavond extra water.")
    page.get_by_role("button", name="Sla de notitie op").click()
    page.wait_for_url(re.compile(r"/lesgeven/individueel/\d+/$"))
    assert Appointment.objects.get(pk=appointment.pk).attendance == "present"

    sign_in(page, live_server, client)
    page.goto(f"/mijn-trajecten/{enrolment.pk}/")
    content = page.content()
    assert "1 van 3" in content and "Sessie 2 van 3" in content
    assert "Je liet het trillen rustig komen en gaan." in content and "Drink vanavond extra water." in content


def test_book_a_90_minute_energetic_session_and_move_it_to_another_day(page, live_server, stripe_webhooks_to, teacher):
    AppointmentTypeFactory(teacher=teacher, slug="energetische-sessie-90", name_nl="Energetische Sessie (90 minuten)",
                           duration_minutes=90, price_cents=10500)
    client = UserFactory(email="energie@example.nl")
    intake_for(client)
    sign_in(page, live_server, client)

    page.goto("/individueel/")
    page.get_by_role("link", name="Bekijk vrije momenten voor Energetische Sessie (90 minuten)").click()
    page.locator("input[name=starts_at]").first.check()
    page.get_by_role("button", name=re.compile("Boek en betaal")).click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    page.get_by_role("button", name=re.compile("kaart|card", re.I)).first.click()
    page.wait_for_url(re.compile(r"/mijn-sessies/\d+/$"))
    assert "Dank je wel, je betaling is binnen" in page.content()
    appointment = Appointment.objects.get(client=client)
    assert appointment.status == "confirmed" and appointment.ends_at - appointment.starts_at == timedelta(minutes=90)
    first_day = appointment.starts_at.astimezone(STUDIO_TZ).date()

    page.get_by_role("link", name="Verzet naar een ander moment").click()
    page.locator("a.day-chip:not(.is-chosen)").first.click()  # one day at a time: another day's times
    page.locator("input[name=starts_at]").first.check()
    page.get_by_role("button", name="Verzet naar dit moment").click()
    page.wait_for_url(re.compile(r"/mijn-sessies/\d+/$"))
    assert "Je sessie is verzet" in page.content()
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.starts_at.astimezone(STUDIO_TZ).date() != first_day and moved.status == "confirmed"
    assert moved.payment.status == "paid"
