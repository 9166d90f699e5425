"""The whole back office, walked from /lesgeven/ by the demo studio's teacher on a phone: every page of
it is reached by links (a POST-only action as the action of a form on such a page), never through
/admin/, and no page logs a console error in Chromium (a CSP violation included)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.backoffice import back_office_names
from tests.e2e.demo_studio import the_demo_studio
from tests.e2e.pagewalk import walk
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_back_office_page_is_reached_by_links_without_console_errors(page, live_server):
    now = timezone.now()
    studio = the_demo_studio(now)
    extra_back_office_things(studio, now)
    page.set_viewport_size({"width": 390, "height": 844})
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    sign_in(page, live_server, studio["teacher"])

    names = back_office_names()
    reached, opened = walk(page, reverse("bookings:teacher_overview"), names, live_server.url)

    assert not names - reached, f"not reachable by links from /lesgeven/: {sorted(names - reached)}"
    assert not [path for path in opened if "/admin/" in path]
    assert not errors, "\n".join(errors)
    assert len(opened) >= len(names) // 2


def extra_back_office_things(studio, now):
    """What the demo lacks for some pages to have a link: a closure to come, a day off, a one-to-one
    today, the client in the programme group (her dates get a note link on their roster) and, on every
    class of hers this week (the walk opens only a few rosters, which ones depends on the hour), a
    walk-in still to pay at the studio (the "paid cash" form)."""
    from bookings.group.dashboard import sessions_overview
    from bookings.personal import availability, by_staff
    from classes.models import AppointmentType, Closure, DateException, ProgrammeRun
    from tests.factories import BookingFactory, UserFactory

    teacher = studio["teacher"].teacher_profile
    later = timezone.localdate(now) + timedelta(days=120)
    Closure.objects.get_or_create(starts_on=later, ends_on=later + timedelta(days=6),
                                  defaults={"reason_nl": "Zomerstop", "created_by": studio["teacher"]})  # hers: she may remove it
    DateException.objects.get_or_create(teacher=teacher, first_day=later, last_day=later, kind="off")
    overview = sessions_overview(today=timezone.localdate(now), teacher=teacher)
    walk_in = UserFactory(email="binnenloper@example.nl", first_name="Wies")
    for session in overview["today_sessions"] + overview["week_sessions"]:
        if session.status == "scheduled" and session.places_left:
            BookingFactory(client=walk_in, session=session)
    kind = AppointmentType.objects.filter(teacher=teacher, is_bookable_alone=True).first()
    first_free = availability.free_slots(kind, now=now)[0]
    by_staff.appointment_book_by_staff(client=studio["client"], appointment_type=kind, starts_at=first_free, pay_with="studio",
                                       actor=studio["teacher"], now=now)
    by_staff.group_enrol_by_staff(client=studio["client"], run=ProgrammeRun.objects.filter(teacher=teacher).first(),
                                  actor=studio["teacher"], now=now)
