"""Her hours for one-to-ones in the back office: the overview with its preview of clients' free moments,
weekly hours, days off and other hours, settings and kinds of session; who may see and change them;
every bad input refused with its message and nothing saved; and what clients see change with it."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.translation import gettext

from bookings.models import Appointment
from classes.models import AppointmentType, DateException, TeacherAvailability, WorkingHours
from tests.factories import (
    AppointmentTypeFactory,
    TeacherAvailabilityFactory,
    UserFactory,
    WorkingHoursFactory,
    local,
    programme_offering,
    teacher_with_role,
)

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 8, 0)  # a Monday morning
MONDAY = date(2026, 6, 8)  # the first Monday past her 24 hours' notice
TUESDAY = MONDAY + timedelta(days=1)
HOURLY = ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]


@pytest.fixture
def her_hours(teacher):
    """Manoek takes one-to-ones on Mondays 10:00-16:00, start times every hour, 15 minutes' rest."""
    TeacherAvailabilityFactory(teacher=teacher, buffer_minutes=15, minimum_notice_hours=24, horizon_days=60, step_minutes=60)
    WorkingHoursFactory(teacher=teacher, weekday=0, start_time=time(10), end_time=time(16))
    return teacher


@pytest.fixture
def kind(her_hours):
    return AppointmentTypeFactory(teacher=her_hours, duration_minutes=60)


@pytest.fixture
def anna(db):
    """Another teacher, with hours of her own."""
    other = teacher_with_role(slug="anna", user=UserFactory(email="anna@example.nl", first_name="Anna", last_name="Smit"))
    WorkingHoursFactory(teacher=other, weekday=2, start_time=time(9), end_time=time(12))
    return other


@pytest.fixture
def admin_user(db):
    """The studio's admin, who teaches nothing herself."""
    user = UserFactory(email="beheer@example.nl", first_name="Bea", last_name="Heer")
    user.groups.add(Group.objects.get_or_create(name="Admin")[0])
    return user


@pytest.fixture
def as_teacher(client, teacher, frozen):
    client.force_login(teacher.user)
    return client


def url(name, *args, teacher=None, **query):
    address = reverse(f"teaching:{name}", args=args)
    if teacher is not None:
        query["teacher"] = teacher.slug
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def shown_times(html: str, pattern: str) -> dict[date, list[str]]:
    """The moments a page shows, per Breda day, read from the ISO values it carries."""
    found: dict[date, list[str]] = {}
    for value in re.findall(pattern, html):
        moment = datetime.fromisoformat(value)
        found.setdefault(moment.date(), []).append(moment.strftime("%H:%M"))
    return found


def preview_times(response) -> dict[date, list[str]]:
    return shown_times(response.content.decode(), r'<time class="badge" datetime="([^"]+)"')


def client_times(client, kind, day: date) -> dict[date, list[str]]:
    """What a client sees on the public booking page of this kind, day by day for the week from `day`
    (the page shows one day at a time)."""
    found = {}
    for offset in range(7):
        shown = day + timedelta(days=offset)
        response = client.get(reverse("bookings:appointment_slots", kwargs={"slug": kind.slug}),
                              {"from": day.isoformat(), "day": shown.isoformat()})
        assert response.status_code == 200
        found.update({each: times for each, times in shown_times(response.content.decode(), r'name="starts_at" value="([^"]+)"').items()
                      if each == shown})
    return found


def errors_of(response) -> dict:
    assert response.status_code == 200, "a refused form is shown again"
    return response.context["form"].errors


# Who may see and change ----------------------------------------------------------------------

PAGES = ["availability", "availability_hours_add", "availability_exception_add", "availability_settings", "availability_type_add"]


@pytest.mark.parametrize("name", PAGES)
def test_signed_out_people_are_sent_to_log_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_clients_get_not_found(client, client_user, name):
    client.force_login(client_user)
    assert client.get(url(name)).status_code == 404


def test_a_teacher_sees_her_own_week(as_teacher, kind):
    response = as_teacher.get(url("availability"))
    assert response.status_code == 200
    assert response.context["teacher"] == kind.teacher
    monday = response.context["week"][0]
    assert [(r.start_time, r.end_time) for r in monday["ranges"]] == [(time(10), time(16))]
    assert 'id="choose-teacher"' not in response.content.decode()


def test_a_teacher_cannot_open_or_change_another_teachers_hours(as_teacher, her_hours, anna):
    theirs = anna.working_hours.get()
    assert as_teacher.get(url("availability", teacher=anna)).status_code == 404
    assert as_teacher.get(url("availability_hours_add", teacher=anna)).status_code == 404
    assert as_teacher.get(url("availability_hours_edit", theirs.pk)).status_code == 404
    assert as_teacher.post(url("availability_hours_edit", theirs.pk), {"weekday": 2, "start_time": "08:00", "end_time": "13:00"}).status_code == 404
    assert as_teacher.post(url("availability_hours_delete", theirs.pk)).status_code == 404
    assert as_teacher.post(url("availability_hours_add", teacher=anna), {"weekday": 3, "start_time": "09:00", "end_time": "10:00"}).status_code == 404
    their_kind = AppointmentTypeFactory(teacher=anna, slug="anna-sessie")
    assert as_teacher.get(url("availability_type_edit", their_kind.pk)).status_code == 404
    day_off = DateException.objects.create(teacher=anna, first_day=MONDAY, last_day=MONDAY)
    assert as_teacher.post(url("availability_exception_delete", day_off.pk)).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.start_time, theirs.end_time) == (time(9), time(12))
    assert list(anna.working_hours.all()) == [theirs] and DateException.objects.filter(pk=day_off.pk).exists()


def test_an_admin_without_a_teacher_profile_chooses_a_teacher(client, admin_user, her_hours, anna, frozen):
    client.force_login(admin_user)
    response = client.get(url("availability"))
    assert response.status_code == 200
    assert response.context["teacher"] is None
    assert {t.slug for t in response.context["teachers"]} == {"manoek", "anna"}
    assert 'id="choose-teacher"' in response.content.decode()
    assert client.get(url("availability_hours_add")).status_code == 302  # nobody chosen: back to choose


def test_an_admin_changes_any_teachers_hours(client, admin_user, her_hours, anna, frozen):
    client.force_login(admin_user)
    response = client.get(url("availability", teacher=anna))
    assert response.status_code == 200 and response.context["teacher"] == anna
    response = client.post(url("availability_hours_add", teacher=anna), {"weekday": 4, "start_time": "13:00", "end_time": "15:00"})
    assert response.status_code == 302
    assert anna.working_hours.filter(weekday=4, start_time=time(13)).exists()
    assert not her_hours.working_hours.filter(weekday=4).exists()


# Weekly hours --------------------------------------------------------------------------------


def test_new_working_hours_add_free_moments(as_teacher, client, kind):
    assert client_times(client, kind, TUESDAY).get(TUESDAY) is None
    response = as_teacher.post(url("availability_hours_add"), {"weekday": 1, "start_time": "09:00", "end_time": "12:00"})
    assert response.status_code == 302
    assert kind.teacher.working_hours.filter(weekday=1, start_time=time(9), end_time=time(12)).exists()
    assert preview_times(as_teacher.get(url("availability")))[TUESDAY] == ["09:00", "10:00", "11:00"]
    client.logout()
    assert client_times(client, kind, TUESDAY)[TUESDAY] == ["09:00", "10:00", "11:00"]


def test_a_second_range_on_the_same_day_is_fine_when_it_only_touches(as_teacher, kind):
    response = as_teacher.post(url("availability_hours_add"), {"weekday": 0, "start_time": "16:00", "end_time": "18:00"})
    assert response.status_code == 302
    assert kind.teacher.working_hours.filter(weekday=0).count() == 2


def test_hours_ending_before_they_start_are_refused(as_teacher, her_hours):
    response = as_teacher.post(url("availability_hours_add"), {"weekday": 1, "start_time": "12:00", "end_time": "09:00"})
    assert errors_of(response)["end_time"] == [gettext("The end is before the start. Please check the times.")]
    assert not her_hours.working_hours.filter(weekday=1).exists()


def test_hours_overlapping_her_other_hours_that_day_are_refused(as_teacher, her_hours):
    response = as_teacher.post(url("availability_hours_add"), {"weekday": 0, "start_time": "15:00", "end_time": "17:00"})
    message = errors_of(response)["start_time"][0]
    assert "10:00" in message and "16:00" in message
    assert her_hours.working_hours.count() == 1
    assert "10:00" in response.content.decode()  # shown next to the field


def test_changing_a_range_into_another_is_refused_and_changes_nothing(as_teacher, her_hours):
    afternoon = WorkingHoursFactory(teacher=her_hours, weekday=0, start_time=time(17), end_time=time(19))
    response = as_teacher.post(url("availability_hours_edit", afternoon.pk), {"weekday": 0, "start_time": "15:30", "end_time": "19:00"})
    assert "start_time" in errors_of(response)
    afternoon.refresh_from_db()
    assert afternoon.start_time == time(17)


def test_a_range_can_be_moved_and_deleted(as_teacher, her_hours):
    monday = her_hours.working_hours.get()
    page = as_teacher.get(url("availability_hours_edit", monday.pk))
    assert page.context["delete_url"] == url("availability_hours_delete", monday.pk)
    as_teacher.post(url("availability_hours_edit", monday.pk), {"weekday": 0, "start_time": "09:00", "end_time": "16:00"})
    monday.refresh_from_db()
    assert monday.start_time == time(9)
    assert as_teacher.post(url("availability_hours_delete", monday.pk)).status_code == 302
    assert not WorkingHours.objects.filter(pk=monday.pk).exists()


# Days off and other hours --------------------------------------------------------------------


def test_a_day_off_removes_that_days_moments_for_her_and_for_clients(as_teacher, client, kind):
    before = preview_times(as_teacher.get(url("availability")))
    assert before[MONDAY] == HOURLY
    response = as_teacher.post(url("availability_exception_add"), {"kind": "off", "first_day": MONDAY.isoformat(), "note": "tandarts"})
    assert response.status_code == 302
    page = as_teacher.get(url("availability"))
    assert preview_times(page) == {}  # her only free Monday in these two weeks
    assert 'id="no-free-moments"' in page.content.decode()
    client.logout()
    assert client_times(client, kind, MONDAY) == {}
    next_monday = MONDAY + timedelta(days=7)
    assert client_times(client, kind, next_monday)[next_monday] == HOURLY


def test_extra_hours_on_a_free_day_add_moments(as_teacher, kind):
    as_teacher.post(url("availability_exception_add"), {"kind": "extra", "first_day": TUESDAY.isoformat(), "start_time": "18:00",
                                                        "end_time": "20:00"})
    assert preview_times(as_teacher.get(url("availability")))[TUESDAY] == ["18:00", "19:00"]


@pytest.mark.parametrize("posted,field,message", [
    ({"kind": "off", "first_day": "2026-06-10", "last_day": "2026-06-09"}, "last_day", "The last day is before the first day."),
    ({"kind": "extra", "first_day": "2026-06-10"}, "start_time", "Please give the hours: from when."),
    ({"kind": "replace", "first_day": "2026-06-10", "start_time": "13:00"}, "end_time", "Please give the hours: until when."),
    ({"kind": "replace", "first_day": "2026-06-10", "start_time": "13:00", "end_time": "12:00"}, "end_time",
     "The end is before the start. Please check the times."),
    ({"kind": "off", "first_day": "2026-05-01", "last_day": "2026-05-02"}, "last_day",
     "These days are in the past. Please choose today or a later day."),
])
def test_a_wrong_exception_is_refused_with_its_message(as_teacher, her_hours, posted, field, message):
    response = as_teacher.post(url("availability_exception_add"), posted)
    assert errors_of(response)[field] == [gettext(message)]
    assert not DateException.objects.exists()


def test_a_day_off_over_a_booked_appointment_shows_it_before_saving(as_teacher, client_user, kind):
    booked = Appointment.objects.create(client=client_user, appointment_type=kind, teacher=kind.teacher, paid_with="stripe",
                                        starts_at=local(2026, 6, 8, 11, 0), ends_at=local(2026, 6, 8, 12, 0), status="confirmed")
    posted = {"kind": "off", "first_day": MONDAY.isoformat(), "last_day": MONDAY.isoformat()}
    response = as_teacher.post(url("availability_exception_add"), posted)
    assert response.status_code == 200
    assert list(response.context["booked"]) == [booked]
    page = response.content.decode()
    assert "Sanne de Vries" in page and "11:00" in page
    assert reverse("bookings:teacher_appointment", args=[booked.pk]) in page
    assert not DateException.objects.exists()

    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))  # the form asks once more
    assert carried["confirmed"] == "1" and carried["first_day"] == MONDAY.isoformat() and carried["kind"] == "off"
    response = as_teacher.post(url("availability_exception_add"), carried)
    assert response.status_code == 302
    assert DateException.objects.filter(teacher=kind.teacher, first_day=MONDAY, kind="off").exists()
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CONFIRMED  # stays booked: she moves or cancels it herself


def test_other_hours_that_still_hold_the_appointment_need_no_confirmation(as_teacher, client_user, kind):
    Appointment.objects.create(client=client_user, appointment_type=kind, teacher=kind.teacher, paid_with="stripe",
                               starts_at=local(2026, 6, 8, 11, 0), ends_at=local(2026, 6, 8, 12, 0), status="confirmed")
    response = as_teacher.post(url("availability_exception_add"), {"kind": "replace", "first_day": MONDAY.isoformat(),
                                                                   "start_time": "10:30", "end_time": "13:00"})
    assert response.status_code == 302
    assert DateException.objects.get().start_time == time(10, 30)


def test_an_exception_can_be_deleted(as_teacher, kind):
    day_off = DateException.objects.create(teacher=kind.teacher, first_day=MONDAY, last_day=MONDAY)
    assert as_teacher.post(url("availability_exception_delete", day_off.pk)).status_code == 302
    assert not DateException.objects.exists()
    assert preview_times(as_teacher.get(url("availability")))[MONDAY] == HOURLY


# Settings ------------------------------------------------------------------------------------

GOOD_SETTINGS = {"buffer_minutes": "15", "minimum_notice_hours": "24", "horizon_days": "60", "step_minutes": "30"}


def test_settings_are_made_the_first_time_and_change_the_moments(as_teacher, client, teacher, frozen):
    WorkingHoursFactory(teacher=teacher, weekday=0, start_time=time(10), end_time=time(12))
    AppointmentTypeFactory(teacher=teacher, duration_minutes=60)
    assert not TeacherAvailability.objects.exists()
    assert as_teacher.post(url("availability_settings"), GOOD_SETTINGS).status_code == 302
    assert TeacherAvailability.objects.get(teacher=teacher).step_minutes == 30
    assert preview_times(as_teacher.get(url("availability")))[MONDAY] == ["10:00", "10:30", "11:00"]


@pytest.mark.parametrize("field,value", [("buffer_minutes", "500"), ("step_minutes", "1"), ("horizon_days", "0"),
                                         ("minimum_notice_hours", "-3"), ("step_minutes", "kwart")])
def test_settings_out_of_bounds_are_refused(as_teacher, her_hours, field, value):
    response = as_teacher.post(url("availability_settings"), {**GOOD_SETTINGS, field: value})
    assert field in errors_of(response)
    assert TeacherAvailability.objects.get(teacher=her_hours).step_minutes == 60


def test_notice_longer_than_the_days_ahead_is_refused(as_teacher, her_hours):
    response = as_teacher.post(url("availability_settings"), {**GOOD_SETTINGS, "minimum_notice_hours": "72", "horizon_days": "2"})
    assert list(errors_of(response)) == ["minimum_notice_hours"]
    assert TeacherAvailability.objects.get(teacher=her_hours).horizon_days == 60


# Kinds of one-to-one -------------------------------------------------------------------------

NEW_KIND = {"name_nl": "Stilte Sessie", "name_en": "Silence Session", "description_nl": "Samen stil zijn.", "description_en": "",
            "duration_minutes": "45", "price_cents": "17,50", "offering": "", "programme_price_cents": "", "is_bookable_alone": "on",
            "is_active": "on", "position": "2"}


def test_a_new_kind_gets_its_slug_from_the_dutch_name_and_its_price_in_cents(as_teacher, her_hours):
    response = as_teacher.post(url("availability_type_add"), NEW_KIND)
    assert response.status_code == 302
    made = AppointmentType.objects.get(name_nl="Stilte Sessie")
    assert (made.slug, made.teacher, made.price_cents, made.duration_minutes) == ("stilte-sessie", her_hours, 1750, 45)
    as_teacher.post(url("availability_type_add"), {**NEW_KIND, "price_cents": "€ 20.00"})
    assert AppointmentType.objects.get(slug="stilte-sessie-2").price_cents == 2000


def test_a_kind_can_be_changed_and_keeps_its_slug(as_teacher, kind):
    response = as_teacher.get(url("availability_type_edit", kind.pk))
    assert response.context["form"].initial["price_cents"] == "75,00"
    as_teacher.post(url("availability_type_edit", kind.pk), {**NEW_KIND, "is_active": ""})
    kind.refresh_from_db()
    assert (kind.slug, kind.name_nl, kind.is_active) == ("energetische-sessie-60", "Stilte Sessie", False)


@pytest.mark.parametrize("change,field", [
    ({"price_cents": "zeventien"}, "price_cents"),
    ({"price_cents": "17,505"}, "price_cents"),
    ({"duration_minutes": "2"}, "duration_minutes"),
    ({"name_nl": ""}, "name_nl"),
    ({"programme_price_cents": "225"}, "programme_price_cents"),
])
def test_a_wrong_kind_is_refused_and_nothing_saved(as_teacher, her_hours, change, field):
    response = as_teacher.post(url("availability_type_add"), {**NEW_KIND, **change})
    assert field in errors_of(response)
    assert not AppointmentType.objects.exists()


def test_a_programme_price_needs_a_programme(as_teacher, her_hours):
    tre = programme_offering()
    response = as_teacher.post(url("availability_type_add"), {**NEW_KIND, "programme_price_cents": "225", "offering": tre.pk})
    assert response.status_code == 302
    assert AppointmentType.objects.get().programme_price_cents == 22500


# The preview is what clients see -------------------------------------------------------------


def test_the_preview_equals_what_the_client_sees(as_teacher, client, client_user, kind):
    WorkingHoursFactory(teacher=kind.teacher, weekday=3, start_time=time(9, 30), end_time=time(13))
    Appointment.objects.create(client=client_user, appointment_type=kind, teacher=kind.teacher, paid_with="stripe",
                               starts_at=local(2026, 6, 8, 12, 0), ends_at=local(2026, 6, 8, 13, 0), status="confirmed")
    preview = preview_times(as_teacher.get(url("availability", type=kind.slug)))
    client.logout()
    seen = client_times(client, kind, MONDAY)
    thursday = MONDAY + timedelta(days=3)
    assert preview[MONDAY] == seen[MONDAY] == ["10:00", "14:00", "15:00"]
    assert preview[thursday] == seen[thursday] == ["09:30", "10:30", "11:30"]
    assert {day: times for day, times in preview.items() if day >= MONDAY} == seen


def test_the_preview_follows_the_chosen_kind(as_teacher, kind):
    long = AppointmentTypeFactory(teacher=kind.teacher, slug="lang", duration_minutes=180)
    response = as_teacher.get(url("availability", type=long.slug))
    assert response.context["chosen_type"] == long
    assert preview_times(response)[MONDAY] == ["10:00", "11:00", "12:00", "13:00"]


def test_the_overview_costs_the_same_queries_however_much_she_has(as_teacher, kind, django_assert_max_num_queries):
    for weekday in range(1, 6):
        WorkingHoursFactory(teacher=kind.teacher, weekday=weekday, start_time=time(9), end_time=time(12))
        WorkingHoursFactory(teacher=kind.teacher, weekday=weekday, start_time=time(13), end_time=time(17))
        DateException.objects.create(teacher=kind.teacher, first_day=MONDAY + timedelta(days=weekday),
                                     last_day=MONDAY + timedelta(days=weekday), note=f"vrij {weekday}")
        AppointmentTypeFactory(teacher=kind.teacher, slug=f"soort-{weekday}", offering=programme_offering())
    with django_assert_max_num_queries(18):
        response = as_teacher.get(url("availability"))
    assert len(response.context["types"]) == 6 and len(response.context["exceptions"]) == 5
