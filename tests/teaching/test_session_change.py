"""Changing one date: a new time, room or teacher is told to everyone booked and waiting (their
language, an .ics with the same UID and a higher SEQUENCE, a link to cancel free of charge); places
and note changes tell nobody; the rules refuse with a message by the field and save nothing."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar

from bookings import calendars
from bookings.group import changes, services, waitlist
from bookings.models import Booking, BookingEvent, CreditEntry, WaitlistEntry
from classes.models import Session
from classes.services import session_change
from tests.factories import (
    BookingFactory,
    ClosureFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    class_card,
    local,
    teacher_with_role,
)

pytestmark = pytest.mark.django_db

NOW = local(2027, 3, 2, 7, 0)  # Tuesday morning, 07:00 in Breda
START = local(2027, 3, 2, 9, 30)  # the class today at 09:30: well inside the 12-hour cancel window


@pytest.fixture
def yin(teacher):
    """Her Yin class this morning at 09:30, 75 minutes, two places."""
    return SessionFactory(teacher=teacher, starts_at=START, ends_at=START + timedelta(minutes=75), capacity=2)


@pytest.fixture
def sanne(client_user):
    """Booked with her class card; she reads English."""
    client_user.language = "en"
    client_user.save()
    return client_user


@pytest.fixture
def booked(frozen, yin, sanne):
    class_card(sanne, now=NOW - timedelta(days=3))
    return services.booking_create(client=sanne, session=yin, pay_with="card")


@pytest.fixture
def full_with_waitlist(booked, yin, other_client):
    """The second place taken too, and Pieter (Dutch) waiting for a place."""
    BookingFactory(session=yin, client=UserFactory(email="ander@example.nl", language="nl"))
    entry = waitlist.waitlist_join(client=other_client, session=yin)
    mail.outbox.clear()
    return entry


@pytest.fixture
def admin_person(db):
    user = UserFactory(email="beheer@example.nl", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Admin")[0])
    return user


def edit_url(session):
    return reverse("teaching:session_edit", args=[session.pk])


def form_data(session, **edits):
    local_start = session.starts_at.astimezone(START.tzinfo)
    data = {"day": local_start.date().isoformat(), "start_time": local_start.strftime("%H:%M"),
            "duration_minutes": session.duration_minutes, "room": session.room_id, "teacher": session.teacher_id,
            "capacity": session.capacity, "note": session.note}
    data.update(edits)
    return data


def post_change(http, session, django_capture_on_commit_callbacks, **edits):
    with django_capture_on_commit_callbacks(execute=True):
        return http.post(edit_url(session), form_data(session, **edits))


def attachments(message):
    return [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]


def cancel_link(message) -> str:
    match = re.search(r"https?://\S+/(?:changed|gewijzigd)/(\S+)/(?:cancel|annuleren)/", message.body)
    assert match, message.body
    return match.group(0).removeprefix(settings.SITE_URL)


# Telling everyone ------------------------------------------------------------------------------


def test_moving_a_booked_class_emails_her_with_an_updated_calendar_event(client, teacher_user, booked, yin,
                                                                         django_capture_on_commit_callbacks):
    first = Calendar.from_ical(calendars.booking_ics(booked)).events[0]
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, start_time="10:00")
    assert response.status_code == 302 and response["Location"] == reverse("bookings:roster", args=[yin.pk])
    yin.refresh_from_db()
    assert yin.starts_at == local(2027, 3, 2, 10, 0) and yin.ends_at == local(2027, 3, 2, 11, 15)
    assert yin.revision == 1 and yin.is_customised
    [message] = mail.outbox
    assert message.to == [booked.client.email]
    assert "Tuesday 2 March, 09:30–10:45 → Tuesday 2 March, 10:00–11:15" in message.body  # her language, Breda time
    assert settings.SITE_URL + "/en/" in message.body
    [part] = attachments(message)
    event = Calendar.from_ical(part.get_payload(decode=True)).events[0]
    assert str(event["uid"]) == str(first["uid"]) == f"booking-{booked.pk}@studiotreeoflife"
    assert int(event["sequence"]) > int(first["sequence"])
    assert event.start == local(2027, 3, 2, 10, 0) and event.end == local(2027, 3, 2, 11, 15)
    assert str(event["status"]) == "CONFIRMED"


def test_a_dutch_client_reads_the_change_in_dutch(client, teacher_user, booked, yin, django_capture_on_commit_callbacks):
    booked.client.language = "nl"
    booked.client.save()
    client.force_login(teacher_user)
    post_change(client, yin, django_capture_on_commit_callbacks, start_time="10:00")
    [message] = mail.outbox
    assert "dinsdag 2 maart, 09:30–10:45 → dinsdag 2 maart, 10:00–11:15" in message.body
    assert settings.SITE_URL + "/en/" not in message.body


def test_the_waitlist_is_told_too_without_a_calendar_file(client, teacher_user, full_with_waitlist, yin,
                                                            django_capture_on_commit_callbacks):
    client.force_login(teacher_user)
    post_change(client, yin, django_capture_on_commit_callbacks, start_time="10:00")
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {"sanne@example.nl", "ander@example.nl", "pieter@example.nl"}
    waiting = by_person["pieter@example.nl"]
    assert attachments(waiting) == []
    assert "/gewijzigd/" not in waiting.body  # nothing to cancel: she may leave the waitlist
    with translation.override("nl"):
        assert settings.SITE_URL + reverse("bookings:my_bookings") in waiting.body
    assert "dinsdag 2 maart, 09:30–10:45 → dinsdag 2 maart, 10:00–11:15" in waiting.body
    assert all(len(attachments(by_person[email])) == 1 for email in ("sanne@example.nl", "ander@example.nl"))


def test_a_new_room_or_teacher_is_told_old_and_new(client, admin_person, booked, yin, django_capture_on_commit_callbacks):
    other_room = RoomFactory(name="De Tuinkamer", capacity=6)
    colleague = teacher_with_role(slug="eva", user=UserFactory(email="eva@example.nl", first_name="Eva", last_name="Bos"))
    client.force_login(admin_person)  # the admin gives the class to a colleague
    post_change(client, yin, django_capture_on_commit_callbacks, room=other_room.pk, teacher=colleague.pk)
    [message] = mail.outbox
    assert "De Boomzaal → De Tuinkamer" in message.body and "Manoek Klootwijk → Eva Bos" in message.body
    yin.refresh_from_db()
    assert yin.revision == 1 and yin.room == other_room and yin.teacher == colleague


def test_a_place_still_being_paid_for_is_told_without_a_calendar_file(client, teacher_user, yin, frozen, django_capture_on_commit_callbacks):
    paying = BookingFactory(session=yin, status=Booking.Status.PENDING_PAYMENT, paid_with=Booking.PaidWith.STRIPE,
                            hold_expires_at=NOW + timedelta(minutes=15), confirmed_at=None)
    client.force_login(teacher_user)
    post_change(client, yin, django_capture_on_commit_callbacks, start_time="10:00")
    [message] = mail.outbox
    assert message.to == [paying.client.email] and attachments(message) == []
    assert "/gewijzigd/" in message.body


def test_a_programme_date_is_not_offered_the_link():
    assert not changes.may_cancel_on_its_own(Booking(paid_with=Booking.PaidWith.PROGRAMME))
    assert changes.may_cancel_on_its_own(Booking(paid_with=Booking.PaidWith.CARD))


@pytest.mark.parametrize("change", [{"note": "Neem een dekentje mee."}, {"capacity": 3}, {"capacity": 2, "note": ""}])
def test_a_note_or_places_change_sends_nothing(client, teacher_user, booked, yin, change, django_capture_on_commit_callbacks):
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, **change)
    assert response.status_code == 302
    assert mail.outbox == []
    yin.refresh_from_db()
    assert yin.revision == 0
    assert yin.note == change.get("note", "") and yin.capacity == change.get("capacity", 2)


def test_more_places_are_offered_to_the_waitlist(client, teacher_user, full_with_waitlist, yin, django_capture_on_commit_callbacks):
    """Two and a half hours before class: a last-minute place, open to whoever on the waitlist claims it first."""
    client.force_login(teacher_user)
    post_change(client, yin, django_capture_on_commit_callbacks, capacity=3)
    full_with_waitlist.refresh_from_db()
    assert full_with_waitlist.status == WaitlistEntry.Status.WAITING and full_with_waitlist.last_minute_offer_at == NOW
    yin.refresh_from_db()
    assert yin.places_taken == 2 and yin.revision == 0
    [offer] = mail.outbox
    assert "first" in offer.body or "eerst" in offer.body
    assert offer.to == ["pieter@example.nl"]
    with translation.override("nl"):
        assert reverse("bookings:waitlist_claim", args=[full_with_waitlist.pk]) in offer.body


def test_the_clients_feed_carries_the_higher_sequence(booked, yin):
    before = Calendar.from_ical(calendars.client_feed_ics(booked.client, now=NOW)).events[0]
    session_change(yin, starts_at=local(2027, 3, 2, 10, 0), ends_at=local(2027, 3, 2, 11, 15))
    after = Calendar.from_ical(calendars.client_feed_ics(booked.client, now=NOW)).events[0]
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.start == local(2027, 3, 2, 10, 0)


def test_a_cancelled_booking_stays_higher_than_the_booked_one(booked, yin):
    session_change(yin, starts_at=local(2027, 3, 2, 10, 0), ends_at=local(2027, 3, 2, 11, 15))
    booked.refresh_from_db()
    confirmed = calendars.booking_sequence(booked)
    services.booking_cancel(booking=booked)
    booked.refresh_from_db()
    assert calendars.booking_sequence(booked) == confirmed + 1 == 2


# Refused, and nothing saved -----------------------------------------------------------------------


def test_fewer_places_than_booked_is_refused_next_to_the_field(client, teacher_user, full_with_waitlist, yin,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, capacity=1, start_time="10:00")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["capacity"] == [gettext("%(count)d places are already booked; the class cannot have fewer places than that.") % {"count": 2}]
    assert 'id="id_capacity_error"' in response.content.decode()
    yin.refresh_from_db()
    assert (yin.capacity, yin.starts_at, yin.revision, yin.is_customised) == (2, START, 0, False)
    assert mail.outbox == []


def test_a_clash_with_another_class_in_the_room_is_refused(client, teacher_user, booked, yin, django_capture_on_commit_callbacks):
    SessionFactory(teacher=yin.teacher, starts_at=local(2027, 3, 2, 11, 0), ends_at=local(2027, 3, 2, 12, 0))
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, start_time="10:30")
    assert response.status_code == 200 and "start_time" in response.context["form"].errors
    yin.refresh_from_db()
    assert yin.starts_at == START and mail.outbox == []


def test_a_time_already_past_is_refused(client, teacher_user, booked, yin, django_capture_on_commit_callbacks):
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, start_time="06:00")
    assert response.context["form"].errors["start_time"] == [gettext("This time has already passed. Please choose a moment in the future.")]
    yin.refresh_from_db()
    assert yin.starts_at == START


def test_a_day_the_studio_is_closed_is_refused(client, teacher_user, booked, yin, django_capture_on_commit_callbacks):
    ClosureFactory(starts_on=date(2027, 3, 3), ends_on=date(2027, 3, 5), reason_nl="Voorjaarsvakantie")
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, day="2027-03-04")
    assert "Voorjaarsvakantie" in response.context["form"].errors["start_time"][0]
    yin.refresh_from_db()
    assert yin.starts_at == START and mail.outbox == []


def test_too_many_places_for_the_room_is_refused(client, teacher_user, booked, yin, django_capture_on_commit_callbacks):
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, capacity=15)
    assert "capacity" in response.context["form"].errors
    yin.refresh_from_db()
    assert yin.capacity == 2


@pytest.mark.parametrize("state", ["cancelled", "started"])
def test_a_cancelled_or_finished_class_cannot_be_changed(client, teacher_user, teacher, state, frozen, django_capture_on_commit_callbacks):
    if state == "cancelled":
        session = SessionFactory(teacher=teacher, starts_at=START, ends_at=START + timedelta(hours=1), status=Session.Status.CANCELLED,
                                 cancel_reason="Ziek")
    else:
        session = SessionFactory(teacher=teacher, starts_at=NOW - timedelta(hours=2), ends_at=NOW - timedelta(hours=1))
    client.force_login(teacher_user)
    page = client.get(edit_url(session))
    assert page.status_code == 200 and 'id="session-closed"' in page.content.decode() and 'id="session-change"' not in page.content.decode()
    before = Session.objects.get(pk=session.pk)
    response = post_change(client, session, django_capture_on_commit_callbacks, start_time="10:00", day="2027-03-03")
    assert response.status_code == 200 and 'id="session-closed"' in response.content.decode()
    session.refresh_from_db()
    assert (session.starts_at, session.revision) == (before.starts_at, 0)
    with pytest.raises(ValidationError):
        session_change(session, note="Toch wel?")


def test_unknown_fields_are_a_programming_error(yin):
    with pytest.raises(TypeError):
        session_change(yin, offering=None)


# Cancelling free of charge from the email -------------------------------------------------------


@pytest.fixture
def moved(client, teacher_user, booked, yin, django_capture_on_commit_callbacks):
    """09:30 moved to 10:00 by the teacher; Sanne's email in hand (still well inside the window)."""
    client.force_login(teacher_user)
    post_change(client, yin, django_capture_on_commit_callbacks, start_time="10:00")
    [message] = mail.outbox
    mail.outbox.clear()
    client.logout()
    return message


def test_the_link_cancels_free_of_charge_inside_the_window(client, moved, booked, django_capture_on_commit_callbacks):
    url = cancel_link(moved)
    client.force_login(booked.client)
    page = client.get(url)
    assert page.status_code == 200 and 'id="cancel-after-change"' in page.content.decode()
    assert page.context["terms"].credit_returned
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("bookings:my_bookings")
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CANCELLED and not booked.late_cancellation
    assert CreditEntry.objects.filter(booking=booked, kind=CreditEntry.Kind.RETURN, delta=1).count() == 1
    assert BookingEvent.objects.filter(booking=booked, action="cancelled_after_change").count() == 1
    [email] = mail.outbox
    assert email.to == [booked.client.email] and len(attachments(email)) == 1
    again = client.post(url)  # twice: nothing more happens
    assert again.status_code == 302
    assert CreditEntry.objects.filter(booking=booked, kind=CreditEntry.Kind.RETURN).count() == 1
    assert BookingEvent.objects.filter(booking=booked, action__startswith="cancelled").count() == 1


def test_someone_elses_click_is_not_found(client, moved, booked, other_client):
    client.force_login(other_client)
    assert client.get(cancel_link(moved)).status_code == 404
    assert client.post(cancel_link(moved)).status_code == 404
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CONFIRMED


def test_signed_out_the_link_asks_to_log_in_first(client, moved):
    response = client.get(cancel_link(moved))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_tampered_link_says_so(client, moved, booked):
    url = cancel_link(moved)
    token = url.split("/changed/")[1].removesuffix("/cancel/")
    changed_by_hand = token[:-1] + ("A" if token[-1] != "A" else "B")
    client.force_login(booked.client)
    for bad in (changed_by_hand, token[:12], "niet-geldig"):
        response = client.post(url.replace(token, bad))
        assert response.status_code == 400, bad
        assert 'id="link-problem"' in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CONFIRMED


def test_after_a_second_change_the_first_link_no_longer_works(client, moved, booked, yin):
    session_change(yin, starts_at=local(2027, 3, 2, 10, 30), ends_at=local(2027, 3, 2, 11, 45))
    client.force_login(booked.client)
    response = client.post(cancel_link(moved))
    assert response.status_code == 409 and 'id="link-problem"' in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CONFIRMED


def test_the_link_expires_when_the_class_starts(client, moved, booked, time_machine):
    time_machine.move_to(local(2027, 3, 2, 10, 0), tick=False)
    client.force_login(booked.client)
    response = client.post(cancel_link(moved))
    assert response.status_code == 409 and 'id="link-problem"' in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CONFIRMED


def test_the_service_refuses_a_stale_revision(booked, yin):
    session_change(yin, starts_at=local(2027, 3, 2, 10, 0), ends_at=local(2027, 3, 2, 11, 15))
    with pytest.raises(services.BookingError):
        services.booking_cancel(booking=booked, after_change=0)
    outcome = services.booking_cancel(booking=booked, after_change=1)
    assert outcome.early and outcome.credit_returned


# Who may change it ---------------------------------------------------------------------------------


def test_only_her_own_teacher_or_the_admin_may_change_it(client, yin, teacher_user, admin_person, client_user, frozen):
    url = edit_url(yin)
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    colleague = teacher_with_role(slug="eva", user=UserFactory(email="eva@example.nl", first_name="Eva"))
    for person in (client_user, colleague.user):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(yin, start_time="10:00")).status_code == 404
    yin.refresh_from_db()
    assert yin.starts_at == START
    for person in (teacher_user, admin_person):
        client.force_login(person)
        page = client.get(url)
        assert page.status_code == 200 and 'id="session-change"' in page.content.decode()


def test_the_roster_links_to_the_change_page_for_her_own_class(client, yin, teacher_user, frozen):
    client.force_login(teacher_user)
    assert edit_url(yin) in client.get(reverse("bookings:roster", args=[yin.pk])).content.decode()
    colleague = teacher_with_role(slug="eva", user=UserFactory(email="eva@example.nl", first_name="Eva"))
    client.force_login(colleague.user)
    assert edit_url(yin) not in client.get(reverse("bookings:roster", args=[yin.pk])).content.decode()


def test_the_page_says_who_will_be_told(client, teacher_user, full_with_waitlist, yin, django_assert_max_num_queries):
    client.force_login(teacher_user)
    with django_assert_max_num_queries(20):
        page = client.get(edit_url(yin))
    told = page.content.decode()
    assert page.status_code == 200 and 'id="who-is-told"' in told
    assert "Sanne de Vries" in told and "Pieter Jansen" in told
    assert len(page.context["booked"]) == 2 and len(page.context["waiting"]) == 1


# The Django admin goes through the same service ---------------------------------------------------


def admin_form(session, **edits):
    starts, ends = session.starts_at.astimezone(START.tzinfo), session.ends_at.astimezone(START.tzinfo)
    form = {"offering": session.offering_id, "teacher": session.teacher_id, "room": session.room_id, "capacity": session.capacity,
            "starts_at_0": starts.strftime("%d-%m-%Y"), "starts_at_1": starts.strftime("%H:%M:%S"),
            "ends_at_0": ends.strftime("%d-%m-%Y"), "ends_at_1": ends.strftime("%H:%M:%S"),
            "note": session.note, "status": "scheduled", "cancel_reason": ""}
    form.update(edits)
    return form


def test_a_move_made_in_the_django_admin_is_told_too(client, admin_person, booked, yin, django_capture_on_commit_callbacks):
    admin_person.is_superuser = True
    admin_person.save()
    client.force_login(admin_person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:classes_session_change", args=[yin.pk]),
                               admin_form(yin, starts_at_1="10:00:00", ends_at_1="11:15:00"))
    assert response.status_code == 302
    yin.refresh_from_db()
    assert yin.starts_at == local(2027, 3, 2, 10, 0) and yin.revision == 1
    [message] = mail.outbox
    assert message.to == [booked.client.email] and attachments(message)


def test_the_django_admin_cannot_squeeze_a_class_below_its_bookings(client, admin_person, full_with_waitlist, yin):
    admin_person.is_superuser = True
    admin_person.save()
    client.force_login(admin_person)
    response = client.post(reverse("admin:classes_session_change", args=[yin.pk]), admin_form(yin, capacity=1), follow=True)
    assert response.status_code == 200 and "Er zijn al 2 plekken geboekt" in response.content.decode()
    yin.refresh_from_db()
    assert yin.capacity == 2 and not mail.outbox


def test_the_django_admin_shows_the_back_offices_refusal_on_the_form(client, admin_person, booked, yin):
    admin_person.is_superuser = True
    admin_person.save()
    client.force_login(admin_person)
    response = client.post(reverse("admin:classes_session_change", args=[yin.pk]), admin_form(yin, starts_at_1="06:00:00"))
    assert response.status_code == 200  # the form again, with the reason: 06:00 has passed at 07:00
    assert "Dit tijdstip is al voorbij" in response.content.decode()
    yin.refresh_from_db()
    assert yin.starts_at == START and yin.revision == 0 and not mail.outbox


def test_a_teacher_keeps_her_own_class_and_cannot_hand_it_to_a_colleague(client, teacher_user, booked, yin,
                                                                      django_capture_on_commit_callbacks):
    colleague = teacher_with_role(slug="eva", user=UserFactory(email="eva@example.nl", first_name="Eva", last_name="Bos"))
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, teacher=colleague.pk)
    assert response.status_code == 200 and "teacher" in response.context["form"].errors
    yin.refresh_from_db()
    assert yin.teacher.user == teacher_user and yin.revision == 0 and not mail.outbox


def test_a_date_far_in_the_future_is_a_message_not_an_error(client, teacher_user, booked, yin, django_capture_on_commit_callbacks):
    client.force_login(teacher_user)
    response = post_change(client, yin, django_capture_on_commit_callbacks, day="9999-12-31", start_time="23:00",
                           duration_minutes=180)
    assert response.status_code == 200 and "day" in response.context["form"].errors
    yin.refresh_from_db()
    assert yin.starts_at == START


def test_change_emails_run_late_twice_and_in_reverse_order_tell_her_once_of_the_latest(client, teacher_user, booked, yin,
                                                                                      django_capture_on_commit_callbacks):
    client.force_login(teacher_user)
    with django_capture_on_commit_callbacks() as first:
        client.post(edit_url(yin), form_data(yin, start_time="10:00"))
    yin.refresh_from_db()
    with django_capture_on_commit_callbacks() as second:
        client.post(edit_url(yin), form_data(yin, start_time="10:30"))
    assert first and second and not mail.outbox  # nothing sent before the commits run
    for callback in [*reversed(second), *reversed(first), *second]:  # the newest first, the old one late, the newest again
        callback()
    [message] = mail.outbox
    event = Calendar.from_ical(attachments(message)[0].get_payload(decode=True)).events[0]
    assert event.start == local(2027, 3, 2, 10, 30) and int(event["sequence"]) >= 2
    assert BookingEvent.objects.filter(booking=booked, action="told_of_change").count() == 1
