"""Public pages are served from the cache to visitors, and never stale."""

import pytest

from classes.models import Session
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_second_visit_is_served_from_the_cache(client, django_assert_num_queries):
    session = SessionFactory()
    first = client.get(session.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(session.get_absolute_url())
    assert second["X-Page-Cache"] == "hit" and second.content == first.content


def test_a_change_to_places_shows_at_once(client):
    session = SessionFactory(capacity=5)
    assert "nog 5 plekken vrij" in client.get(session.get_absolute_url()).content.decode()
    session.places_taken = 4
    session.save(update_fields=["places_taken"])
    assert "nog 1 plek vrij" in client.get(session.get_absolute_url()).content.decode()


def test_languages_are_cached_apart(client):
    session = SessionFactory()
    client.get(session.get_absolute_url())
    english = client.get(f"/en/timetable/session/{session.pk}/").content.decode()
    assert '<html lang="en">' in english


def test_signed_in_visitors_are_served_their_own_copy_not_the_visitors(client, logged_in):
    session = SessionFactory()
    assert logged_in.get(session.get_absolute_url())["X-Page-Cache"] == "miss"
    response = logged_in.get(session.get_absolute_url())
    assert response["X-Page-Cache"] == "hit" and "Mijn boekingen" in response.content.decode()
    logged_in.logout()
    anonymous = client.get(session.get_absolute_url())
    assert anonymous["X-Page-Cache"] == "miss" and "Mijn boekingen" not in anonymous.content.decode()


def test_pages_with_a_message_are_not_cached(client, client_user):
    client.force_login(client_user)
    client.post("/account/logout/")  # leaves "you have signed out" for the next page
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_language_switch_works_from_a_cached_page(client):
    client.get("/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_deleting_a_session_removes_it_from_the_cached_timetable(client):
    session = SessionFactory()
    assert client.get(session.get_absolute_url()).status_code == 200
    Session.objects.filter(pk=session.pk).delete()
    assert client.get(session.get_absolute_url()).status_code == 404
