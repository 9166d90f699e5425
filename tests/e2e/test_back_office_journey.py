"""The teacher runs her week from a phone (390×844) in Chromium, starting at the login page and never
opening /admin/: a new weekly Yin class on Friday 18:00 that appears on the public timetable, a booked
date moved to 18:30 (the client gets an updated .ics: same UID, higher SEQUENCE), a closed week, a day
off that takes its free moments away from the client's booking page."""

import re
from datetime import date, time, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings import calendars
from bookings.group import services
from bookings.models import Booking
from classes.models import Closure, DateException, Session, WeeklySlot
from tests.factories import (
    AppointmentTypeFactory,
    OfferingFactory,
    RoomFactory,
    StyleFactory,
    UserFactory,
    class_card,
    teacher_at_work,
)
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "rustig-ademen-42"


def next_weekday(start: date, weekday: int, weeks_later: int = 0) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7, weeks=weeks_later)


def moments_on(page, day: date) -> list[str]:
    """The free start times the booking page offers on `day`, as HH:MM."""
    values = page.locator('input[name="starts_at"]').evaluate_all("inputs => inputs.map(i => i.value)")
    return [value[11:16] for value in values if value.startswith(day.isoformat())]


def test_the_teacher_runs_her_week_from_her_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    opened = []
    page.on("request", lambda request: opened.append(request.url) if request.resource_type == "document" else None)
    console = []
    page.on("console", lambda message: console.append(f"{page.url}: {message.text}") if message.type == "error" else None)

    teacher = teacher_at_work(weekdays=range(5), start=time(9), end=time(17), minimum_notice_hours=1)
    user = teacher.user
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    yin = OfferingFactory(name_nl="Yin yoga", name_en="Yin yoga", slug="yin-yoga", style=StyleFactory(slug="yin", name_nl="Yin"),
                          duration_minutes=75, default_capacity=8)
    room = RoomFactory(name="Grote zaal", capacity=12)
    kind = AppointmentTypeFactory(teacher=teacher, slug="energetische-sessie")
    sanne = UserFactory(email="sanne@example.nl", first_name="Sanne", last_name="de Vries", language="en")
    class_card(sanne, credits=5)
    today = timezone.localdate()

    # She logs in and lands on her day.
    page.goto(reverse("account_login"))
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/lesgeven/$"))

    # A new weekly Yin class on Friday at 18:00.
    page.locator(".teaching-nav").get_by_role("link", name="Weekrooster").click()
    page.get_by_role("link", name="Nieuwe wekelijkse les").click()
    page.locator("#id_offering").select_option(str(yin.pk))
    page.locator("#id_weekday").select_option("4")
    page.locator("#id_start_time").fill("18:00")
    page.locator("#id_duration_minutes").fill("75")
    page.locator("#id_capacity").fill("8")
    page.locator("#id_room").select_option(str(room.pk))
    page.locator("#id_valid_from").fill(today.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/lesgeven/rooster/"))
    slot = WeeklySlot.objects.get(offering=yin)
    assert (slot.weekday, slot.start_time, slot.teacher) == (4, time(18), teacher)

    # It is on the public timetable for the coming weeks.
    fridays = [next_weekday(today, 4, weeks) for weeks in range(3)]
    for friday in fridays:
        monday = friday - timedelta(days=4)
        page.goto(reverse("classes:timetable_week", kwargs={"monday": monday}))
        session = Session.objects.get(slot=slot, slot_date=friday)
        assert page.locator(f'a[href="{session.get_absolute_url()}"]').count() >= 1, friday
    assert "18:00" in page.content()

    # Sanne books the Friday in two weeks; the teacher moves that date to 18:30.
    booked_day = fridays[2]
    session = Session.objects.get(slot=slot, slot_date=booked_day)
    booking = services.booking_create(client=sanne, session=session, pay_with="card")
    first_ics = Calendar.from_ical(calendars.booking_ics(booking)).events[0]
    mail.outbox.clear()
    page.goto(reverse("bookings:teacher_overview"))
    page.locator(".teaching-nav").get_by_role("link", name="Weekrooster").click()
    for _week in range(2):
        page.get_by_role("link", name=re.compile("Volgende week")).click()
    page.locator(f'a[href="{reverse("bookings:roster", args=[session.pk])}"]').click()
    page.get_by_role("link", name="Deze les wijzigen").click()
    page.locator("#id_start_time").fill("18:30")
    page.get_by_role("button", name="Wijziging opslaan").click()
    page.wait_for_url(re.compile(rf"/lesgeven/les/{session.pk}/$"))
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).time() == time(18, 30)
    [message] = [m for m in mail.outbox if m.to == [sanne.email]]
    [calendar_part] = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(calendar_part.get_payload(decode=True)).events[0]
    assert str(event["uid"]) == str(first_ics["uid"]) and int(event["sequence"]) > int(first_ics["sequence"])
    assert timezone.localtime(event.start).time() == time(18, 30)

    # A closed week, three weeks on: its Friday class disappears.
    closed_monday = next_weekday(today, 0, 3)
    page.locator(".teaching-nav").get_by_role("link", name="Sluitingsdagen").click()
    page.get_by_role("link", name="De studio een paar dagen sluiten").click()
    page.locator("#id_starts_on").fill(closed_monday.isoformat())
    page.locator("#id_ends_on").fill((closed_monday + timedelta(days=6)).isoformat())
    page.locator("#id_reason_nl").fill("Voorjaarsvakantie")
    page.get_by_role("button", name="Laat zien wat dit doet").click()
    page.get_by_role("button", name="Ja, sluit de studio op deze dagen").click()
    page.wait_for_url(re.compile(r"/lesgeven/sluitingsdagen/$"))
    assert Closure.objects.filter(starts_on=closed_monday, reason_nl="Voorjaarsvakantie").exists()
    assert not Session.objects.filter(slot=slot, slot_date=closed_monday + timedelta(days=4)).exists()

    # A day off, a Tuesday next week: the client no longer sees its free moments.
    day_off = next_weekday(today, 1, 1)
    page.goto(reverse("bookings:appointment_slots", kwargs={"slug": kind.slug}) + f"?from={day_off.isoformat()}")
    assert "10:00" in moments_on(page, day_off)
    page.goto(reverse("bookings:teacher_overview"))
    page.locator(".teaching-nav").get_by_role("link", name="Werktijden").click()
    page.get_by_role("link", name="Vrije dag of andere uren toevoegen").click()
    page.locator("#id_first_day").fill(day_off.isoformat())
    page.locator("#id_last_day").fill(day_off.isoformat())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/lesgeven/werktijden/"))
    assert DateException.objects.filter(teacher=teacher, first_day=day_off, kind="off").exists()

    sign_in(page, live_server, sanne)
    page.goto(reverse("bookings:appointment_slots", kwargs={"slug": kind.slug}) + f"?from={day_off.isoformat()}")
    assert moments_on(page, day_off) == []
    assert moments_on(page, day_off + timedelta(days=1)), "the day after is still open"
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"

    assert not [url for url in opened if "/admin/" in url]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not console, "\n".join(console)
