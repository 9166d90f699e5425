"""The permission matrix of the whole back office (every URL of tests/backoffice.py) against five kinds
of visitor: anonymous, a client, the teacher whose class / hours / client it is, another teacher, and
the admin. A teacher sees the whole studio but changes only her own; health data (the intake) is for
the client's own teachers and the admin."""

import pytest
from django.urls import reverse

from bookings.models import Booking, IntakeAccess
from classes.models import DateException, Session, WorkingHours
from tests.backoffice import back_office_names

pytestmark = pytest.mark.django_db

# Changing another teacher's work is refused (404, as for anything that is not yours).
HERS_ONLY = {
    "bookings:add_by_hand", "bookings:cancel_session", "bookings:message_session", "bookings:attendance", "bookings:mark_paid",
    "bookings:teacher_appointment", "bookings:teacher_appointment_attendance", "bookings:teacher_appointment_cancel",
    "bookings:teacher_appointment_paid",
    "bookings:booking_note", "teaching:session_edit", "teaching:slot_edit", "teaching:slot_stop",
    "teaching:availability_hours_edit", "teaching:availability_hours_delete", "teaching:availability_exception_delete",
    "teaching:availability_type_edit",
}
HEALTH = {"intake:teacher"}  # refused outright (403) for a teacher who does not teach the client


def url_of(name, world):
    return reverse(name, kwargs=world["args"].get(name, {}))


def test_the_matrix_names_every_back_office_url(world):
    names = back_office_names()
    assert HERS_ONLY | HEALTH <= names
    assert names - HERS_ONLY - HEALTH, "some pages are open to every teacher"
    for name in names:  # every page opens with the world's arguments (or none)
        assert reverse(name, kwargs=world["args"].get(name, {}))


@pytest.mark.parametrize("name", sorted(back_office_names()))
def test_anonymous_visitors_are_sent_to_log_in(client, world, name):
    response = client.get(url_of(name, world))
    assert response.status_code == 302 and "/account/login/" in response["Location"], name


@pytest.mark.parametrize("name", sorted(back_office_names()))
def test_clients_get_nothing(client, world, name):
    client.force_login(world["owner"])
    assert client.get(url_of(name, world)).status_code in (404, 405)
    assert client.post(url_of(name, world)).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "admin"])
@pytest.mark.parametrize("name", sorted(back_office_names()))
def test_her_own_teacher_and_the_admin_open_everything(client, world, name, who):
    client.force_login(world[who])
    response = client.get(url_of(name, world))
    # 302: an admin without hours of her own is first asked whose hours to change
    assert response.status_code in (200, 405) or (who == "admin" and response.status_code == 302
                                                  and "/account/login/" not in response["Location"]), (name, response.status_code)


@pytest.mark.parametrize("name", sorted(back_office_names() - HERS_ONLY - HEALTH))
def test_another_teacher_sees_the_whole_studio(client, world, name):
    client.force_login(world["colleague"])
    assert client.get(url_of(name, world)).status_code in (200, 405), name


@pytest.mark.parametrize("name", sorted(HERS_ONLY))
def test_another_teacher_cannot_change_her_work(client, world, name):
    before = snapshot()
    client.force_login(world["colleague"])
    assert client.get(url_of(name, world)).status_code in (404, 405), name
    assert client.post(url_of(name, world), {"attendance": "present", "reason": "x", "subject": "x", "body": "x"}).status_code == 404
    assert snapshot() == before


def test_another_teacher_is_refused_the_intake_and_nothing_is_logged(client, world):
    client.force_login(world["colleague"])
    assert client.get(url_of("intake:teacher", world)).status_code == 403
    assert not IntakeAccess.objects.exists()
    client.force_login(world["teacher"])
    assert client.get(url_of("intake:teacher", world)).status_code == 200


def test_the_roster_of_a_colleagues_class_is_read_only(client, world):
    client.force_login(world["colleague"])
    page = client.get(url_of("bookings:roster", world)).content.decode()
    session_pk = world["args"]["bookings:roster"]["pk"]
    for name in ("teaching:session_edit", "bookings:cancel_session", "bookings:add_by_hand"):
        assert reverse(name, args=[session_pk]) not in page
    assert 'name="attendance"' not in page


def snapshot():
    """What a refused request must leave as it was."""
    return (list(Booking.objects.order_by("pk").values_list("pk", "status", "attendance", "payment_id")),
            list(Session.objects.order_by("pk").values_list("pk", "status", "starts_at", "capacity")),
            WorkingHours.objects.count(), DateException.objects.count())


def test_a_colleagues_one_to_ones_are_listed_but_not_opened(client, world):
    url = reverse("bookings:teacher_personal")
    appointment = reverse("bookings:teacher_appointment", kwargs=world["args"]["bookings:teacher_appointment"])
    client.force_login(world["colleague"])
    assert not client.get(url).context["coming"]  # her own, by default: none
    studio = client.get(url, {"scope": "studio"})
    assert [a.pk for a in studio.context["coming"]] == [world["args"]["bookings:teacher_appointment"]["pk"]]
    assert appointment not in studio.content.decode()
    client.force_login(world["teacher"])
    assert appointment in client.get(url).content.decode()
