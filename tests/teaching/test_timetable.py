"""The teacher's timetable in her back office: the week, offerings, weekly classes, one-off sessions
and closures. Who may open and change what; every bad input with its message and nothing saved;
a new weekly class on the public timetable; a closure previewed, then applied."""

import io
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image

from bookings.models import Booking, WaitlistEntry
from classes import planning, services
from classes.models import STUDIO_TZ, Closure, Offering, Session, WeeklySlot
from tests.factories import (
    BookingFactory,
    OfferingFactory,
    RoomFactory,
    SessionFactory,
    StyleFactory,
    UserFactory,
    WeeklySlotFactory,
    local,
    teacher_with_role,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STUDIO_TZ)  # a Wednesday morning
TODAY = NOW.date()
MONDAY = date(2026, 11, 23)


@pytest.fixture
def colleague(db):
    """A second teacher of the studio."""
    return teacher_with_role(slug="lotte", user=UserFactory(email="lotte@example.nl", first_name="Lotte", last_name="Bos", is_staff=True))


@pytest.fixture
def admin(db):
    """The studio's admin, who teaches no class herself."""
    person = UserFactory(email="beheerder@example.nl", first_name="Bea", last_name="Heer")
    person.groups.add(Group.objects.get(name="Admin"))
    return person


@pytest.fixture
def yin(db):
    return OfferingFactory(style=StyleFactory(slug="yin"))


@pytest.fixture
def room(db):
    return RoomFactory(capacity=14)


def slot_form(yin, room, teacher, **changes):
    data = {"offering": yin.pk, "weekday": 4, "start_time": "18:00", "duration_minutes": "75", "capacity": "10", "room": room.pk,
            "teacher": teacher.pk, "valid_from": TODAY.isoformat(), "valid_until": ""}
    return {**data, **changes}


def one_off_form(yin, room, teacher, **changes):
    data = {"offering": yin.pk, "teacher": teacher.pk, "room": room.pk, "day": "2026-12-05", "start_time": "10:00",
            "duration_minutes": "120", "capacity": "8", "note": "Workshop psoas"}
    return {**data, **changes}


def offering_form(style, **changes):
    data = {"name_nl": "Zachte yin", "name_en": "Gentle yin", "summary_nl": "Rustig.", "summary_en": "Calm.", "kind": "group",
            "style": style.pk, "level": "all", "description_nl": "Een **zachte** les.", "description_en": "", "what_to_expect_nl": "Rust.",
            "what_to_expect_en": "", "duration_minutes": "60", "default_capacity": "10", "session_count": "1", "drop_in_price": "17,50",
            "allow_pay_at_studio": "on", "photo_alt_nl": "", "photo_alt_en": "", "is_shown": "on", "position": "3"}
    return {**data, **changes}


# Who may open and change what -------------------------------------------------------------------------


def pages(slot):
    """Every page of the timetable that answers a GET (closure_delete takes only a POST)."""
    return [
        reverse("teaching:week"), reverse("teaching:offerings"), reverse("teaching:offering_new"),
        reverse("teaching:offering_edit", args=[slot.offering_id]), reverse("teaching:slots"), reverse("teaching:slot_new"),
        reverse("teaching:slot_edit", args=[slot.pk]), reverse("teaching:slot_stop", args=[slot.pk]), reverse("teaching:session_new"),
        reverse("teaching:closures"), reverse("teaching:closure_new"),
    ]


def test_anonymous_visitors_log_in_and_clients_get_a_404(client, client_user, teacher, frozen):
    slot, closure = WeeklySlotFactory(teacher=teacher), Closure.objects.create(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26), reason_nl="Kerst")
    remove = reverse("teaching:closure_delete", args=[closure.pk])
    for url in pages(slot):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"], url
    assert "/account/login/" in client.post(remove)["Location"]
    client.force_login(client_user)
    for url in pages(slot):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.post(remove).status_code == 404
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_a_teacher_opens_every_page_but_changes_only_her_own_weekly_class(client, teacher, colleague, yin, room, frozen):
    own = WeeklySlotFactory(teacher=teacher, offering=yin, room=room, weekday=1)
    other = WeeklySlotFactory(teacher=colleague, offering=yin, room=room, weekday=2)
    Closure.objects.create(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26), reason_nl="Kerst")
    client.force_login(teacher.user)
    for url in pages(own):
        assert client.get(url).status_code == 200, url
    for name in ("teaching:slot_edit", "teaching:slot_stop"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    response = client.post(reverse("teaching:slot_edit", args=[other.pk]), slot_form(yin, room, colleague, weekday=2, start_time="07:00"))
    assert response.status_code == 404
    assert client.post(reverse("teaching:slot_stop", args=[other.pk]), {"last_day": TODAY.isoformat()}).status_code == 404
    other.refresh_from_db()
    assert (other.start_time, other.valid_until) == (time(19, 30), None)


def test_a_teacher_can_give_a_new_class_only_to_herself(client, teacher, colleague, yin, room, frozen):
    client.force_login(teacher.user)
    form = client.get(reverse("teaching:slot_new")).context["form"]
    assert list(form.fields["teacher"].queryset) == [teacher]
    response = client.post(reverse("teaching:slot_new"), slot_form(yin, room, colleague))
    assert "teacher" in response.context["form"].errors
    response = client.post(reverse("teaching:session_new"), one_off_form(yin, room, colleague))
    assert "teacher" in response.context["form"].errors
    assert not WeeklySlot.objects.exists() and not Session.objects.exists()


def test_the_admin_changes_any_teachers_weekly_class(client, admin, colleague, yin, room, frozen):
    slot = WeeklySlotFactory(teacher=colleague, offering=yin, room=room, weekday=2)
    Closure.objects.create(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26), reason_nl="Kerst")
    client.force_login(admin)
    for url in pages(slot):
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("teaching:slot_edit", args=[slot.pk]), slot_form(yin, room, colleague, weekday=2, start_time="07:00"))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.start_time == time(7, 0)
    assert client.get(reverse("teaching:slots")).context["active_slots"][0].may_change


# The week -----------------------------------------------------------------------------------------------


def test_the_week_shows_her_classes_per_day_and_the_whole_studio_on_request(client, teacher, colleague, yin, room, frozen):
    mine = SessionFactory(teacher=teacher, offering=yin, room=room, starts_at=local(2026, 11, 27, 18, 0), ends_at=local(2026, 11, 27, 19, 15), capacity=6)
    BookingFactory(session=mine)
    WaitlistEntry.objects.create(session=mine, client=UserFactory(), status="waiting")
    WaitlistEntry.objects.create(session=mine, client=UserFactory(), status="left")
    theirs = SessionFactory(teacher=colleague, offering=yin, room=room, starts_at=local(2026, 11, 24, 9, 0), ends_at=local(2026, 11, 24, 10, 0))
    called_off = SessionFactory(teacher=teacher, offering=yin, room=room, starts_at=local(2026, 11, 29, 9, 0), ends_at=local(2026, 11, 29, 10, 0))
    services.session_cancel(called_off, reason="Ziek")
    SessionFactory(teacher=teacher, offering=yin, room=room, starts_at=local(2026, 12, 1, 9, 0), ends_at=local(2026, 12, 1, 10, 0))  # next week
    client.force_login(teacher.user)

    response = client.get(reverse("teaching:week"))
    days = response.context["days"]
    assert [day["date"] for day in days] == [MONDAY + timedelta(days=n) for n in range(7)]
    friday = days[4]["sessions"]
    assert friday == [mine] and (friday[0].places_taken, friday[0].capacity, friday[0].waiting) == (1, 6, 1)
    assert days[6]["sessions"][0].is_cancelled and not days[1]["sessions"]  # only hers: not the colleague's Tuesday
    html = response.content.decode()
    assert reverse("bookings:roster", args=[mine.pk]) in html and 'class="badge badge-cancelled"' in html
    for name in ("teaching:slot_new", "teaching:session_new", "teaching:slots", "teaching:offerings", "teaching:closures"):
        assert reverse(name) in html

    studio = client.get(reverse("teaching:week"), {"scope": "studio"})
    assert studio.context["days"][1]["sessions"] == [theirs]
    assert "scope=mine" in studio.context["switch_url"]
    following = client.get(reverse("teaching:week"), {"week": "2026-W49"})
    assert following.context["monday"] == date(2026, 11, 30) and len(following.context["days"][1]["sessions"]) == 1


@pytest.mark.parametrize("query", [{"week": "2026-W99"}, {"week": "volgende"}, {"week": "9999-W52"}, {"from": "9999-12-31"},
                                   {"from": "0001-01-01"}, {"from": "gisteren"}])
def test_a_week_we_cannot_read_falls_back_to_this_week_with_a_message(client, teacher, frozen, query):
    client.force_login(teacher.user)
    response = client.get(reverse("teaching:week"), query)
    assert response.status_code == 200 and response.context["monday"] == MONDAY
    assert [str(message) for message in response.context["messages"]]


def test_a_date_shows_its_week(client, teacher, frozen):
    client.force_login(teacher.user)
    assert client.get(reverse("teaching:week"), {"from": "2027-01-06"}).context["monday"] == date(2027, 1, 4)


def week_of_sessions(count, *, teacher, yin, room):
    for n in range(count):
        start = local(2026, 11, 23 + n % 7, 7 + n // 7, 0)
        session = SessionFactory(teacher=teacher, offering=yin, room=room, starts_at=start, ends_at=start + timedelta(minutes=45))
        WaitlistEntry.objects.create(session=session, client=UserFactory())


def count_queries(client, url, **query):
    client.get(url, query)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, query).status_code == 200
    return len(context)


def test_the_week_and_the_lists_take_the_same_few_queries_however_full(client, teacher, colleague, yin, room, frozen, django_assert_max_num_queries):
    client.force_login(teacher.user)
    week_of_sessions(2, teacher=teacher, yin=yin, room=room)
    WeeklySlotFactory(teacher=teacher, offering=yin, room=room)
    Closure.objects.create(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26), reason_nl="Kerst")
    urls = [reverse("teaching:week"), reverse("teaching:slots"), reverse("teaching:offerings"), reverse("teaching:closures")]
    few = {url: count_queries(client, url, scope="studio") for url in urls}
    week_of_sessions(20, teacher=colleague, yin=yin, room=room)
    for hour in range(7, 12):
        WeeklySlotFactory(teacher=colleague, offering=OfferingFactory(style=StyleFactory(slug=f"stijl{hour}")), room=RoomFactory(name=f"Zaal {hour}"),
                          start_time=time(hour, 0))
        Closure.objects.create(starts_on=date(2027, 1, hour), ends_on=date(2027, 1, hour), reason_nl="Vrij")
    many = {url: count_queries(client, url, scope="studio") for url in urls}
    assert many == few
    with django_assert_max_num_queries(12):
        client.get(urls[0])


# Offerings ---------------------------------------------------------------------------------------------


def test_a_teacher_creates_an_offering_its_address_from_the_dutch_name(client, teacher, yin, frozen):
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:offering_new"), offering_form(yin.style))
    assert response.status_code == 302
    offering = Offering.objects.get(slug="zachte-yin")
    assert (offering.name_en, offering.drop_in_price_cents, offering.allow_pay_at_studio, offering.duration_minutes) == ("Gentle yin", 1750, True, 60)
    assert reverse("teaching:offering_edit", args=[offering.pk]) in client.get(reverse("teaching:offerings")).content.decode()

    response = client.post(reverse("teaching:offering_edit", args=[offering.pk]),
                           offering_form(yin.style, name_nl="Zachte yin yoga", drop_in_price="€ 19.00"))
    offering.refresh_from_db()
    assert (offering.slug, offering.name_nl, offering.drop_in_price_cents) == ("zachte-yin", "Zachte yin yoga", 1900)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name_nl": "Yin yoga"}, "name_nl", "There is already an offering with the web address “%(slug)s”. Please choose another Dutch name."),
    ({"name_nl": "®"}, "name_nl", "Please use letters or digits in the Dutch name; it makes the web address."),
    ({"drop_in_price": "zeventien"}, "drop_in_price", "Vul een bedrag in euro in, bijvoorbeeld 12,50."),
    ({"drop_in_price": "-5"}, "drop_in_price", "Een bedrag kan niet negatief zijn."),
    ({"duration_minutes": "2"}, "duration_minutes", "A class lasts at least 5 minutes."),
    ({"description_nl": ""}, "description_nl", None),
])
def test_a_bad_offering_gets_a_message_next_to_the_field_and_nothing_is_saved(client, teacher, yin, frozen, changes, field, message):
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:offering_new"), offering_form(yin.style, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors
    if field:
        assert field in errors
    if message:
        assert errors[field] == [_(message) % {"slug": "yin-yoga"} if "%(slug)s" in message else _(message)]
    assert list(Offering.objects.values_list("slug", flat=True)) == ["yin-yoga"]


def test_an_offering_photo_is_re_encoded_and_needs_a_description(client, teacher, yin, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(teacher.user)

    def upload():
        data = io.BytesIO()
        Image.new("RGB", (800, 500), (90, 120, 90)).save(data, "JPEG")
        return SimpleUploadedFile("yin.jpg", data.getvalue(), content_type="image/jpeg")

    response = client.post(reverse("teaching:offering_new"), {**offering_form(yin.style), "photo": upload()})
    assert "photo_alt_nl" in response.context["form"].errors and Offering.objects.count() == 1
    client.post(reverse("teaching:offering_new"), {**offering_form(yin.style, photo_alt_nl="Matten in de zaal"), "photo": upload()})
    offering = Offering.objects.get(slug="zachte-yin")
    assert offering.photo and not offering.photo.name.endswith("yin.jpg") and offering.photo_alt_nl == "Matten in de zaal"


# Weekly classes ----------------------------------------------------------------------------------------


def test_a_new_weekly_class_is_on_the_public_timetable_for_the_coming_weeks(client, teacher, yin, room, frozen):
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:slot_new"), slot_form(yin, room, teacher))
    assert response.status_code == 302
    slot = WeeklySlot.objects.get()
    assert (slot.weekday, slot.start_time, slot.teacher) == (4, time(18, 0), teacher)
    sessions = list(Session.objects.filter(slot=slot).order_by("starts_at"))
    assert len(sessions) >= 8 and sessions[0].local_date == date(2026, 11, 27)
    client.logout()
    for week in range(4):
        friday = date(2026, 11, 27) + timedelta(weeks=week)
        html = client.get(reverse("classes:timetable_week", kwargs={"monday": friday - timedelta(days=4)})).content.decode()
        session = next(s for s in sessions if s.local_date == friday)
        assert session.get_absolute_url() in html and "18:00" in html


def test_an_empty_duration_and_capacity_take_the_offerings_own(client, teacher, yin, room, frozen):
    client.force_login(teacher.user)
    client.post(reverse("teaching:slot_new"), slot_form(yin, room, teacher, duration_minutes="", capacity=""))
    assert WeeklySlot.objects.values_list("duration_minutes", "capacity").get() == (75, 12)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"valid_until": "2026-11-01"}, "valid_until", "The end date is before the start date."),
    ({"start_time": "18:30"}, "start_time", "This overlaps with %(slot)s in the same room."),
    ({"capacity": "20"}, "capacity", "%(room)s has room for %(count)d people; please choose at most that many places."),
    ({"valid_from": "9999-12-31"}, "valid_from", "Please choose a date between %(first)s and %(last)s."),
])
def test_a_bad_weekly_class_gets_a_message_next_to_the_field_and_nothing_is_saved(client, teacher, yin, room, frozen, changes, field, message):
    existing = WeeklySlotFactory(teacher=teacher, offering=yin, room=room, weekday=4, start_time=time(19, 0), valid_from=TODAY)
    services.slot_saved(existing, today=TODAY)
    before = Session.objects.count()
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:slot_new"), slot_form(yin, room, teacher, **changes))
    assert response.status_code == 200
    expected = _(message) % {"slot": existing, "room": room, "count": room.capacity, "first": 2000, "last": 2100}
    assert response.context["form"].errors[field] == [expected]
    assert WeeklySlot.objects.count() == 1 and Session.objects.count() == before


def test_changing_a_weekly_class_moves_its_unbooked_dates(client, teacher, yin, room, frozen):
    slot = WeeklySlotFactory(teacher=teacher, offering=yin, room=room, weekday=4, start_time=time(18, 0), valid_from=TODAY)
    services.slot_saved(slot, today=TODAY)
    booked = Session.objects.filter(slot=slot).order_by("starts_at")[1]
    BookingFactory(session=booked)
    client.force_login(teacher.user)
    client.post(reverse("teaching:slot_edit", args=[slot.pk]), slot_form(yin, room, teacher, start_time="18:30"))
    times = {s.pk: s.starts_at.astimezone(STUDIO_TZ).time() for s in Session.objects.filter(slot=slot)}
    assert times.pop(booked.pk) == time(18, 0)  # people booked 18:00: that date is changed on its own, with notice
    assert set(times.values()) == {time(18, 30)}


def test_stopping_a_weekly_class_keeps_it_and_its_booked_dates(client, teacher, yin, room, frozen):
    slot = WeeklySlotFactory(teacher=teacher, offering=yin, room=room, weekday=4, start_time=time(18, 0), valid_from=date(2026, 11, 1))
    services.slot_saved(slot, today=TODAY)
    dates = list(Session.objects.filter(slot=slot).order_by("starts_at"))
    BookingFactory(session=dates[2])
    client.force_login(teacher.user)
    page = client.get(reverse("teaching:slot_stop", args=[slot.pk]))
    assert page.context["booked"] == 1
    response = client.post(reverse("teaching:slot_stop", args=[slot.pk]), {"last_day": "2026-11-30"})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.valid_until == date(2026, 11, 30)
    assert list(Session.objects.filter(slot=slot).order_by("starts_at")) == [dates[0], dates[2]]
    assert slot in client.get(reverse("teaching:slots")).context["active_slots"]  # it ends next week


def test_a_weekly_class_cannot_stop_in_the_past(client, teacher, yin, room, frozen):
    slot = WeeklySlotFactory(teacher=teacher, offering=yin, room=room, valid_from=date(2026, 1, 1))
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:slot_stop", args=[slot.pk]), {"last_day": "2026-11-01"})
    assert response.context["form"].errors["last_day"] == [_("The last day cannot be in the past.")]
    slot.refresh_from_db()
    assert slot.valid_until is None


# One-off sessions --------------------------------------------------------------------------------------


def test_a_one_off_session_is_put_on_the_timetable_changed_by_hand(client, teacher, yin, room, frozen):
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:session_new"), one_off_form(yin, room, teacher))
    session = Session.objects.get()
    assert response.status_code == 302 and "2026-W49" in response["Location"]
    assert session.is_customised and session.slot is None and (session.capacity, session.duration_minutes, session.note) == (8, 120, "Workshop psoas")
    assert session.starts_at == local(2026, 12, 5, 10, 0)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"start_time": "11:00"}, "start_time", "%(room)s is taken at that time by %(session)s."),
    ({"capacity": "15"}, "capacity", "%(room)s has room for %(count)d people; please choose at most that many places."),
    ({"day": "2026-11-20"}, "day", "This date is in the past."),
    ({"day": "2026-11-25", "start_time": "09:00"}, "start_time", "This time has already passed. Please choose a moment in the future."),
    ({"day": "2026-12-24"}, "day", "The studio is closed that day: %(reason)s"),
    ({"day": "9999-12-31"}, "day", "Please choose a date between %(first)s and %(last)s."),
])
def test_a_bad_one_off_session_gets_a_message_next_to_the_field_and_nothing_is_saved(client, teacher, yin, room, frozen, changes, field, message):
    other = SessionFactory(teacher=teacher, offering=yin, room=room, starts_at=local(2026, 12, 5, 11, 30), ends_at=local(2026, 12, 5, 12, 30))
    Closure.objects.create(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26), reason_nl="Kerst")
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:session_new"), one_off_form(yin, room, teacher, **changes))
    expected = _(message) % {"room": room, "session": other, "count": room.capacity, "first": 2000, "last": 2100, "reason": "Kerst"}
    assert response.context["form"].errors[field] == [expected]
    assert list(Session.objects.all()) == [other]


# Closures ----------------------------------------------------------------------------------------------


@pytest.fixture
def december(teacher, yin, room, client_user):
    """A Friday class for weeks to come; Sanne booked the one on 11 December."""
    slot = WeeklySlotFactory(teacher=teacher, offering=yin, room=room, weekday=4, start_time=time(18, 0), valid_from=TODAY)
    services.slot_saved(slot, today=TODAY)
    booked = Session.objects.get(slot=slot, slot_date=date(2026, 12, 11))
    BookingFactory(session=booked, client=client_user)
    return booked


def closure_form(**changes):
    return {"starts_on": "2026-12-01", "ends_on": "2026-12-20", "reason_nl": "Vakantie", "reason_en": "Holiday", **changes}


def test_the_closure_preview_names_who_is_booked_and_changes_nothing(client, teacher, december, frozen):
    client.force_login(teacher.user)
    sessions_before = Session.objects.count()
    response = client.post(reverse("teaching:closure_new"), closure_form())
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.booked == [december] and [b.client.get_full_name() for b in preview.booked[0].people] == ["Sanne de Vries"]
    assert preview.removed == 2  # 4 and 18 December
    html = response.content.decode()
    assert "Sanne de Vries" in html and 'name="confirm"' in html
    assert not Closure.objects.exists() and Session.objects.count() == sessions_before
    assert Session.objects.get(pk=december.pk).status == "scheduled"


def test_confirming_a_closure_cancels_the_booked_class_and_removes_the_others(client, teacher, december, client_user, frozen,
                                                                             django_capture_on_commit_callbacks):
    client.force_login(teacher.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teaching:closure_new"), {**closure_form(), "confirm": "1"})
    assert response.status_code == 302
    closure = Closure.objects.get()
    december.refresh_from_db()
    assert (december.status, december.closure) == ("cancelled", closure)
    assert Booking.objects.get(session=december).status == "cancelled"
    assert [m.to for m in mail.outbox] == [[client_user.email]]
    assert not Session.objects.filter(slot_date__in=[date(2026, 12, 4), date(2026, 12, 18)]).exists()
    assert Session.objects.filter(slot_date=date(2026, 12, 25)).exists()
    closures = client.get(reverse("teaching:closures")).context
    assert closures["coming_closures"] == [closure] and not closures["coming_closures"][0].may_delete


@pytest.mark.parametrize("confirm", [{}, {"confirm": "1"}])
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ends_on": "2026-11-30"}, "ends_on", "The last day is before the first day."),
    ({"starts_on": "2026-11-01", "ends_on": "2026-11-20"}, "ends_on", "This period is already over; a closure is for days to come."),
    ({"reason_nl": ""}, "reason_nl", "This field is required."),
    ({"ends_on": "9999-12-31"}, "ends_on", "Please choose a date between %(first)s and %(last)s."),
])
def test_a_bad_closure_gets_a_message_next_to_the_field_and_nothing_is_saved(client, teacher, december, frozen, confirm, changes, field, message):
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:closure_new"), {**closure_form(**changes), **confirm})
    assert response.status_code == 200 and "preview" not in response.context
    assert response.context["form"].errors[field] == [_(message) % {"first": 2000, "last": 2100} if "%(" in message else _(message)]
    assert not Closure.objects.exists() and Session.objects.get(pk=december.pk).status == "scheduled"


def test_a_closure_that_cancelled_nothing_can_be_removed_and_its_days_come_back(client, teacher, yin, room, frozen):
    slot = WeeklySlotFactory(teacher=teacher, offering=yin, room=room, weekday=4, start_time=time(18, 0), valid_from=TODAY)
    services.slot_saved(slot, today=TODAY)
    closure, touched = planning.closure_create(starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 13), reason_nl="Vakantie",
                                               actor=teacher.user)
    assert touched == 2 and not Session.objects.filter(slot_date=date(2026, 12, 4)).exists()
    client.force_login(teacher.user)
    assert client.get(reverse("teaching:closures")).context["coming_closures"][0].may_delete
    response = client.post(reverse("teaching:closure_delete", args=[closure.pk]))
    assert response.status_code == 302 and not Closure.objects.exists()
    assert Session.objects.filter(slot=slot, slot_date__in=[date(2026, 12, 4), date(2026, 12, 11)]).count() == 2


def test_a_closure_that_cancelled_a_booked_class_stays_and_says_why(client, teacher, december, frozen):
    closure, _touched = planning.closure_create(starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 20), reason_nl="Vakantie",
                                                actor=teacher.user)
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:closure_delete", args=[closure.pk]), follow=True)
    assert Closure.objects.filter(pk=closure.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [_(
        "This closure cancelled classes that people had booked. They were told and refunded, so it stays; "
        "you can add a new class for those days instead.")]
    assert client.get(reverse("teaching:closure_delete", args=[closure.pk])).status_code == 405


def test_a_closure_over_a_date_whose_only_booking_was_cancelled_works(teacher, december, client_user, frozen):
    cancelled_before = SessionFactory(teacher=teacher, offering=december.offering, room=december.room, slot=december.slot,
                                      slot_date=date(2026, 12, 2), starts_at=local(2026, 12, 2, 18, 0), ends_at=local(2026, 12, 2, 19, 15))
    BookingFactory(session=cancelled_before, client=client_user, status=Booking.Status.CANCELLED)
    closure, touched = planning.closure_create(starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 3), reason_nl="Vakantie")
    assert touched == 1
    cancelled_before.refresh_from_db()  # kept for the cancelled booking's history, cancelled with the closure
    assert cancelled_before.is_cancelled and cancelled_before.closure == closure
    assert not mail.outbox  # nobody held a place, so nobody is told


def test_a_weekly_class_moved_away_from_a_date_with_a_cancelled_booking_cancels_that_date(teacher, december, client_user, frozen):
    old_date = SessionFactory(teacher=teacher, offering=december.offering, room=december.room, slot=december.slot,
                              slot_date=date(2026, 12, 2), starts_at=local(2026, 12, 2, 18, 0), ends_at=local(2026, 12, 2, 19, 15))
    BookingFactory(session=old_date, client=client_user, status=Booking.Status.CANCELLED)
    slot = december.slot
    slot.weekday = (slot.weekday + 1) % 7
    planning.slot_save(slot)
    old_date.refresh_from_db()
    assert old_date.is_cancelled and old_date.cancel_reason == "Het weekrooster is gewijzigd."


def test_a_teacher_cannot_close_the_studio_over_a_colleagues_booked_class(client, december, frozen):
    colleague = teacher_with_role(slug="ilse", user=UserFactory(email="ilse@example.nl", first_name="Ilse"))
    client.force_login(colleague.user)
    form = {"starts_on": "2026-12-07", "ends_on": "2026-12-13", "reason_nl": "Vakantie"}
    for step in (form, {**form, "confirm": "1"}):
        response = client.post(reverse("teaching:closure_new"), step)
        assert response.status_code == 200
        assert "Alleen de beheerder kan de studio sluiten" in response.content.decode()
    assert not Closure.objects.exists()
    assert Booking.objects.filter(session__slot_date=date(2026, 12, 11), status="confirmed").exists()


def test_only_the_admin_or_whoever_added_it_removes_a_closure(client, teacher, yin, room, frozen):
    colleague = teacher_with_role(slug="ilse", user=UserFactory(email="ilse@example.nl", first_name="Ilse"))
    closure, _touched = planning.closure_create(starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 8), reason_nl="Cursus",
                                                actor=teacher.user)
    client.force_login(colleague.user)
    assert not client.get(reverse("teaching:closures")).context["coming_closures"][0].may_delete
    client.post(reverse("teaching:closure_delete", args=[closure.pk]))
    assert Closure.objects.filter(pk=closure.pk).exists()
    client.force_login(teacher.user)
    client.post(reverse("teaching:closure_delete", args=[closure.pk]))
    assert not Closure.objects.exists()


def test_a_weekly_class_over_a_one_off_session_in_the_same_room_is_refused(client, teacher, yin, room, frozen):
    one_off = planning.one_off_session_create(offering=yin, teacher=teacher, room=room, day=date(2026, 12, 18), start_time=time(18, 30),
                                              duration_minutes=60, capacity=6)
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:slot_new"), {
        "offering": yin.pk, "weekday": 4, "start_time": "18:00", "duration_minutes": 75, "capacity": 6, "room": room.pk,
        "teacher": teacher.pk, "valid_from": TODAY.isoformat()})
    assert response.status_code == 200
    assert str(one_off) in " ".join(response.context["form"].errors["start_time"])
    assert not WeeklySlot.objects.exists() and list(Session.objects.all()) == [one_off]
