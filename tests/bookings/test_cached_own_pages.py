"""Signed-in pages are cached without ever showing one person's page, or an old one, to anyone.

The timetable pages are shared by every signed-in client (one copy per role) with her own marks
merged in; "my bookings" is cached for her alone and goes stale the moment one of her rows changes.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from bookings.group import services, waitlist
from bookings.models import BookingPolicy, CalendarFeed, WaitlistEntry
from core.roles import TEACHER
from tests.factories import BookingFactory, SessionFactory, UserFactory, class_card, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]  # the clock stands at NOW

NOW = local(2026, 12, 1, 9, 0)  # a Tuesday morning in Breda
BOOKED = "Je bent ingeschreven"
WAITING = "Je staat op de wachtlijst"
ROW_BOOKED, ROW_WAITING = ">Geboekt</a>", ">Op de wachtlijst</a>"  # a booking row's button gives way to her state


@pytest.fixture
def week(db):
    """Thursday's class (room left) and Friday's (full), both in this week's timetable."""
    thursday = SessionFactory(starts_at=local(2026, 12, 3, 19, 30), capacity=8)
    friday = SessionFactory(starts_at=local(2026, 12, 4, 10, 0), capacity=1)
    BookingFactory(session=friday)
    friday.refresh_from_db()
    return thursday, friday


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_signed_in_clients_share_the_timetable_but_see_only_their_own_marks(week, client_user, other_client):
    thursday, friday = week
    BookingFactory(client=client_user, session=thursday)
    waitlist.waitlist_join(client=other_client, session=friday)

    hers = signed_in(client_user).get("/rooster/")
    his = signed_in(other_client).get("/rooster/")

    assert hers["X-Page-Cache"] == "miss" and his["X-Page-Cache"] == "hit"
    her_html, his_html = hers.content.decode(), his.content.decode()
    assert her_html.count(ROW_BOOKED) == 1 and ROW_WAITING not in her_html
    assert his_html.count(ROW_WAITING) == 1 and ROW_BOOKED not in his_html
    assert "<!--mine" not in her_html + his_html
    assert "Mijn boekingen" in his_html


def test_anonymous_visitors_get_their_own_copy_without_marks_or_member_menu(week, client, client_user):
    BookingFactory(client=client_user, session=week[0])
    signed_in(client_user).get("/rooster/")
    anonymous = client.get("/rooster/")
    html = anonymous.content.decode()
    assert anonymous["X-Page-Cache"] == "miss"
    assert "<!--mine" not in html and ROW_BOOKED not in html and "Mijn boekingen" not in html


def test_a_teacher_gets_the_teachers_menu_not_a_clients_cached_copy(week, client_user):
    teacher = UserFactory()
    teacher.groups.add(Group.objects.get(name=TEACHER))
    signed_in(client_user).get("/rooster/")
    response = signed_in(teacher).get("/rooster/")
    assert response["X-Page-Cache"] == "miss"
    assert "Lesgeven" in response.content.decode()
    assert "Lesgeven" not in signed_in(client_user).get("/rooster/").content.decode()


def test_her_mark_follows_her_booking_at_once(week, client_user):
    thursday, _friday = week
    browser = signed_in(client_user)
    assert BOOKED not in browser.get(thursday.get_absolute_url()).content.decode()
    class_card(client_user, now=NOW)
    booking = services.booking_create(client=client_user, session=thursday, pay_with="card")
    assert BOOKED in browser.get(thursday.get_absolute_url()).content.decode()
    services.booking_cancel(booking=booking)
    assert BOOKED not in browser.get(thursday.get_absolute_url()).content.decode()


def test_a_cached_signed_in_timetable_costs_one_query(week, client_user, django_assert_max_num_queries):
    BookingFactory(client=client_user, session=week[0])
    browser = signed_in(client_user)
    browser.get("/rooster/")
    with django_assert_max_num_queries(1):  # her account; her role and marks are kept under her own version
        response = browser.get("/rooster/")
    assert response["X-Page-Cache"] == "hit" and ROW_BOOKED in response.content.decode()


@pytest.mark.parametrize("from_the_groups_side", [False, True])
def test_a_new_role_shows_in_the_menu_at_once(week, client_user, from_the_groups_side):
    browser = signed_in(client_user)
    browser.get("/rooster/")
    assert "Lesgeven" not in browser.get("/rooster/").content.decode()
    teachers = Group.objects.get(name=TEACHER)
    if from_the_groups_side:
        teachers.user_set.add(client_user)
    else:
        client_user.groups.add(teachers)
    assert "Lesgeven" in browser.get("/rooster/").content.decode()
    if from_the_groups_side:
        teachers.user_set.clear()
    else:
        client_user.groups.remove(teachers)
    assert "Lesgeven" not in browser.get("/rooster/").content.decode()


def my_page(browser) -> tuple[str, str]:
    response = browser.get("/mijn-boekingen/")
    assert response.status_code == 200
    return response.get("X-Page-Cache", ""), response.content.decode()


def test_my_bookings_is_cached_for_her_alone(week, client_user, other_client, django_assert_max_num_queries):
    thursday, _friday = week
    BookingFactory(client=client_user, session=thursday)
    hers, his = signed_in(client_user), signed_in(other_client)
    my_page(hers)  # the first page gives her a CSRF cookie: not cached
    assert my_page(hers)[0] == "miss"
    with django_assert_max_num_queries(1):  # her account; the session comes from the cache
        state, her_html = my_page(hers)
    assert state == "hit" and thursday.get_absolute_url() in her_html

    my_page(his)
    state, his_html = my_page(his)
    assert state == "miss"
    assert thursday.get_absolute_url() not in his_html and client_user.email not in his_html


def test_her_first_page_is_kept_when_she_already_has_a_csrf_cookie(week, client_user):
    """Her first view makes her calendar feed; that alone does not throw the page away."""
    BookingPolicy.current()  # the studio's rules exist, as they do once the site runs
    browser = signed_in(client_user)
    browser.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    assert not CalendarFeed.objects.filter(client=client_user).exists()
    assert my_page(browser)[0] == "miss"
    assert my_page(browser)[0] == "hit"
    CalendarFeed.objects.get(client=client_user).reset()
    assert my_page(browser)[0] == "miss"  # a new link is a change she must see


def test_her_changes_show_at_once_on_her_cached_page(week, client_user):
    thursday, friday = week
    browser = signed_in(client_user)
    my_page(browser)
    my_page(browser)
    assert my_page(browser)[0] == "hit"

    class_card(client_user, now=NOW)
    booking = services.booking_create(client=client_user, session=thursday, pay_with="card")
    state, html = my_page(browser)
    assert state == "miss" and thursday.get_absolute_url() in html

    services.booking_cancel(booking=booking)
    state, html = my_page(browser)
    assert state == "miss" and "Je hebt geannuleerd" in html

    waitlist.waitlist_join(client=client_user, session=friday)
    assert my_page(browser)[0] == "miss"
    assert my_page(browser)[0] == "hit"
    waitlist.waitlist_clear(session_id=friday.pk)  # a bulk update: no signal fires
    state, html = my_page(browser)
    assert state == "miss"
    assert WaitlistEntry.objects.get(client=client_user).status == "cleared"


def test_a_change_to_the_booking_rules_renews_everyones_page(week, client_user):
    browser = signed_in(client_user)
    my_page(browser)
    my_page(browser)
    policy = BookingPolicy.current()
    policy.save()
    assert my_page(browser)[0] == "miss"


def test_a_change_to_the_class_renews_her_page(week, client_user):
    thursday, _friday = week
    BookingFactory(client=client_user, session=thursday)
    browser = signed_in(client_user)
    my_page(browser)
    my_page(browser)
    thursday.room.name = "Zaal Boom"
    thursday.room.save()
    state, html = my_page(browser)
    assert state == "miss" and "Zaal Boom" in html


def test_her_page_is_kept_until_the_clock_changes_what_it_says(week, client_user):
    thursday, _friday = week
    BookingFactory(client=client_user, session=thursday)
    free_until = thursday.starts_at - dt.timedelta(hours=BookingPolicy.current().cancel_window_hours)
    browser = signed_in(client_user)
    my_page(browser)
    my_page(browser)
    with time_machine.travel(free_until - dt.timedelta(minutes=1), tick=False):
        state, html = my_page(browser)
        assert "kosteloos tot" in html
    assert state == "miss"  # kept at most ten minutes
    with time_machine.travel(free_until - dt.timedelta(seconds=30), tick=False):
        assert my_page(browser)[0] == "hit"
    with time_machine.travel(free_until + dt.timedelta(seconds=1), tick=False):
        state, html = my_page(browser)
    assert state == "miss" and "de les komt niet meer terug" in html and "kosteloos tot" not in html


def test_a_page_that_waits_for_no_moment_is_kept_ten_minutes(week, client_user):
    browser = signed_in(client_user)
    my_page(browser)
    my_page(browser)
    with time_machine.travel(NOW + dt.timedelta(minutes=9), tick=False):
        assert my_page(browser)[0] == "hit"
    with time_machine.travel(NOW + dt.timedelta(minutes=10, seconds=1), tick=False):
        assert my_page(browser)[0] == "miss"


def test_a_class_starting_moves_to_the_past_on_her_page(week, client_user):
    thursday, _friday = week
    BookingFactory(client=client_user, session=thursday)
    browser = signed_in(client_user)
    with time_machine.travel(thursday.starts_at - dt.timedelta(minutes=2), tick=False):
        my_page(browser)
        my_page(browser)
        assert my_page(browser)[0] == "hit"
    with time_machine.travel(thursday.starts_at + dt.timedelta(seconds=1), tick=False):
        state, html = my_page(browser)
    assert state == "miss"
    upcoming = html[html.index('id="upcoming-heading"'):]
    upcoming = upcoming[:upcoming.index("</section>")]
    assert thursday.get_absolute_url() not in upcoming


def test_a_form_on_her_cached_page_still_posts(week, client_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(client_user)
    my_page(browser)
    my_page(browser)
    state, html = my_page(browser)
    assert state == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    old_token = CalendarFeed.objects.get(client=client_user).token
    response = browser.post(reverse("bookings:calendar_reset"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CalendarFeed.objects.get(client=client_user).token != old_token
