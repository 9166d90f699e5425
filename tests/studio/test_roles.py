"""The three roles the menus and the page cache tell apart, each found with one query."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from core.roles import ADMIN, TEACHER, is_admin, is_teacher, role_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def person(*groups, **fields):
    user = UserFactory(**fields)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.mark.parametrize(("groups", "fields", "role"), [
    ((), {}, "client"),
    ((TEACHER,), {}, "teacher"),
    ((ADMIN,), {}, "admin"),
    ((TEACHER, ADMIN), {}, "admin"),
    ((), {"is_superuser": True}, "admin"),
    (("Nieuwsbrief",), {}, "client"),  # a group of the studio's own is no role
])
def test_each_person_has_one_role_found_in_at_most_one_query(django_assert_max_num_queries, groups, fields, role):
    user = person(*groups, **fields)
    with django_assert_max_num_queries(1):
        assert role_of(user) == role
    assert (role == "admin") == is_admin(user) and (role != "client") == is_teacher(user)


def test_someone_signed_out_is_no_teacher_or_admin():
    assert role_of(AnonymousUser()) == "client" and not is_teacher(AnonymousUser()) and not is_admin(AnonymousUser())
