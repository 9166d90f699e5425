"""The page caches fail safe: a cache that is down never fails a booking, a copy is always drawn with
the role that chose it, versions never repeat, and the rules and names they show are never old."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from bookings.models import BookingPolicy
from bookings.models.policy import POLICY_CACHE_KEY
from core import pagecache
from core.roles import TEACHER
from tests.factories import BookingFactory, SessionFactory, local
from tests.realservices import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = local(2026, 12, 1, 9, 0)


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_a_cache_that_is_down_fails_no_change_and_no_later_callback(committed, caplog):
    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": f"redis://127.0.0.1:{free_port()}/0", "OPTIONS": {"socket_connect_timeout": 1}}}
    ran = []
    with override_settings(CACHES=down), committed():
        pagecache.person_changed(987654321)  # bumps now (fails) and queues one after commit (fails)
        transaction.on_commit(lambda: ran.append("the confirmation email"))
    assert ran == ["the confirmation email"]
    assert sum("could not bump" in record.getMessage() for record in caplog.records) == 2


def test_a_member_copy_is_drawn_with_the_role_that_chose_it(client_user, other_client):
    """Her groups changed without a signal (a raw insert), so her kept role still says "member":
    the members' copy drawn for her must not carry the teacher's menu of her live role."""
    browser = signed_in(client_user)
    browser.get("/rooster/")
    teachers = Group.objects.get(name=TEACHER)
    through = client_user.groups.through
    through.objects.bulk_create([through(user_id=client_user.pk, group_id=teachers.pk)])
    pagecache.content_changed()  # the next page is drawn afresh
    assert browser.get("/rooster/")["X-Page-Cache"] == "miss"
    response = signed_in(other_client).get("/rooster/")
    assert response["X-Page-Cache"] == "hit" and "Lesgeven" not in response.content.decode()


def test_a_dropped_version_never_comes_back_as_an_old_number():
    seen = {pagecache.content_version()}
    for _ in range(3):
        cache.delete(pagecache.VERSION_KEY)
        pagecache.content_changed()
        seen.add(pagecache.content_version())
    assert len(seen) == 4 and None not in seen


def test_changed_rules_are_read_after_commit_even_if_the_old_ones_were_kept_meanwhile(committed):
    policy = BookingPolicy.current()
    old_window = policy.cancel_window_hours
    with committed():
        policy.cancel_window_hours = old_window + 12
        policy.save()
        stale = BookingPolicy.objects.get(pk=1)
        stale.cancel_window_hours = old_window
        cache.set(POLICY_CACHE_KEY, stale, 300)  # another request kept the old rules before the commit
    assert BookingPolicy.current().cancel_window_hours == old_window + 12


def test_a_teachers_new_name_shows_at_once_on_cached_pages(client, client_user):
    session = SessionFactory(starts_at=local(2026, 12, 3, 19, 30))
    BookingFactory(client=client_user, session=session)
    browser = signed_in(client_user)
    browser.get("/mijn-boekingen/")
    browser.get("/mijn-boekingen/")
    client.get(session.get_absolute_url())
    teacher_account = session.teacher.user
    teacher_account.first_name = "Mirjam"
    teacher_account.save()
    assert "Mirjam" in client.get(session.get_absolute_url()).content.decode()
    assert "Mirjam" in browser.get("/mijn-boekingen/").content.decode()


def test_her_own_page_is_private_to_any_cache_on_the_way(client_user):
    browser = signed_in(client_user)
    for _ in range(3):
        response = browser.get("/mijn-boekingen/")
        assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert response["X-Page-Cache"] == "hit"


def test_a_login_does_not_renew_every_public_page(client):
    teacher = SessionFactory(starts_at=local(2026, 12, 3, 19, 30)).teacher.user
    before = pagecache.content_version()
    teacher.last_login = NOW + dt.timedelta(minutes=1)
    teacher.save(update_fields=["last_login"])
    assert pagecache.content_version() == before
