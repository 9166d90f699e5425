"""The whole back office, walked from /lesgeven/ by the demo studio's teacher on a phone: every page of
it is reached by links (a POST-only action as the action of a form on such a page), never through
/admin/, and no page logs a console error in Chromium (a CSP violation included)."""

from collections import Counter
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from tests.backoffice import back_office_names
from tests.e2e.demo_studio import the_demo_studio
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every link and form on the page, as the browser resolves them.
LINKS_JS = """() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  forms: [...document.querySelectorAll('form')].map(f => ({action: f.action || location.href,
                                                          method: (f.getAttribute('method') || 'get').toLowerCase()})),
})"""
VISITS_PER_KIND = 3  # a few pages of each kind (three rosters, three clients…) is enough


def back_office_view(path: str, names: set[str]) -> str | None:
    try:
        name = resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None
    return name if name in names else None


def walk(page, start: str, names: set[str], origin: str):
    """Breadth first through the back office; returns the URL names reached and the paths opened."""
    queue, opened, reached, per_kind = [start], [], set(), Counter()
    while queue:
        path = queue.pop(0)
        name = back_office_view(path, names)
        if path in opened or name is None or per_kind[name] >= VISITS_PER_KIND:
            continue
        per_kind[name] += 1
        opened.append(path)
        response = page.goto(path)
        assert response.status < 400, f"{path} answered {response.status}"
        reached.add(name)
        found = page.evaluate(LINKS_JS)
        for url in found["links"]:
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" == origin:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        for form in found["forms"]:
            parts = urlsplit(urljoin(origin, form["action"]))
            target = back_office_view(parts.path, names)
            if target and form["method"] == "get":
                queue.append(parts.path)
            elif target:
                reached.add(target)
    return reached, opened


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
    today and the client in the programme group (her dates get a note link on their roster)."""
    from bookings.personal import availability, by_staff
    from classes.models import AppointmentType, Closure, DateException, ProgrammeRun

    teacher = studio["teacher"].teacher_profile
    later = timezone.localdate(now) + timedelta(days=120)
    Closure.objects.get_or_create(starts_on=later, ends_on=later + timedelta(days=6),
                                  defaults={"reason_nl": "Zomerstop", "created_by": studio["teacher"]})  # hers: she may remove it
    DateException.objects.get_or_create(teacher=teacher, first_day=later, last_day=later, kind="off")
    kind = AppointmentType.objects.filter(teacher=teacher, is_bookable_alone=True).first()
    first_free = availability.free_slots(kind, now=now)[0]
    by_staff.appointment_book_by_staff(client=studio["client"], appointment_type=kind, starts_at=first_free, pay_with="studio",
                                       actor=studio["teacher"], now=now)
    by_staff.group_enrol_by_staff(client=studio["client"], run=ProgrammeRun.objects.filter(teacher=teacher).first(),
                                  actor=studio["teacher"], now=now)
