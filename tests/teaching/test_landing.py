"""After logging in with a password, each kind of person lands where her work is: the teacher on her
day, the admin on her desk, a client where she was going (or her account)."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "rustig-ademen-42"


def log_in(client, user, next_url=None):
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    url = "/account/login/" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_a_teacher_lands_on_her_day(client, teacher_user):
    assert log_in(client, teacher_user) == reverse("bookings:teacher_overview")
    assert client.get(reverse("bookings:teacher_overview")).status_code == 200


def test_the_admin_lands_on_her_desk(client):
    admin = UserFactory(email="beheer@example.nl", is_staff=True)
    admin.groups.add(Group.objects.get(name="Admin"))
    assert log_in(client, admin) == reverse("desk")


def test_a_client_lands_where_she_was_going(client, client_user, session):
    going = reverse("bookings:book", args=[session.pk])
    assert log_in(client, client_user, next_url=going) == going


def test_a_client_without_a_destination_lands_on_her_account(client, client_user):
    assert log_in(client, client_user) == reverse("profile")


def test_a_teacher_who_was_going_somewhere_goes_there(client, teacher_user, session):
    going = reverse("bookings:roster", args=[session.pk])
    assert log_in(client, teacher_user, next_url=going) == going
