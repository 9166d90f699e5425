"""A credit booking, the busiest write of the site (bench/booking.py): the SQL it asks for, pinned,
and the rules its folded reads still keep (her own place and expired holds in one locked read, the
card's style asked in the card's locked query, the session read once, under its lock)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bookings.errors import BookingError
from bookings.group import cards, services
from bookings.models import Booking, BookingPolicy
from tests.factories import SessionFactory, StyleFactory, class_card, local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 23, 9, 0)
CLASS_START = local(2026, 11, 25, 19, 30)


def test_a_credit_booking_post_asks_a_fixed_few_queries(logged_in, client_user, session, django_assert_max_num_queries):
    card = class_card(client_user, credits=5)
    class_card(client_user, credits=5, styles=[StyleFactory(slug="tre")], name="TRE-kaart")  # skipped in the same query
    BookingPolicy.current()  # the rules come from the cache, as on a running site
    with django_assert_max_num_queries(11):
        # her account; the transaction (2: savepoints here, BEGIN and COMMIT on a running site); the session
        # locked with its offering; holds that ran out and her own place, in one locked read; her cards for
        # this style locked; the chosen card's balance under that lock; the booking, its credit, the place
        # and the history (4). Staff pages add her role, read once per version (core.pagecache.person_role).
        response = logged_in.post(reverse("bookings:book", args=[session.pk]), {"pay_with": "card"})
    assert response.status_code == 302 and response["Location"] == reverse("bookings:my_bookings")
    booking = Booking.objects.get()
    assert booking.status == "confirmed" and booking.card == card and cards.card_balance(card) == 4
    session.refresh_from_db()
    assert session.places_taken == 1


@pytest.mark.parametrize("data", [{"pay_with": "card"}, {}, {"pay_with": "card", "code": "ZOMER10"}])
def test_booking_a_class_that_does_not_exist_is_a_404_whatever_was_chosen(logged_in, client_user, data):
    class_card(client_user, credits=5)
    assert logged_in.post(reverse("bookings:book", args=[999999]), data).status_code == 404
    assert not Booking.objects.exists()


def test_booking_a_class_no_longer_shown_is_a_404_and_saves_nothing(logged_in, client_user, session):
    """Its pages are gone for clients (404), and so is booking it: no message is left for a later page."""
    card = class_card(client_user, credits=5)
    session.offering.is_shown = False
    session.offering.save()
    response = logged_in.post(reverse("bookings:book", args=[session.pk]), {"pay_with": "card"})
    assert response.status_code == 404 and not list(get_messages(response.wsgi_request))
    assert not Booking.objects.exists() and cards.card_balance(card) == 5
    session.refresh_from_db()
    assert session.places_taken == 0


@pytest.fixture
def class_at_studio():
    session = SessionFactory(starts_at=CLASS_START, ends_at=CLASS_START + timedelta(minutes=75), capacity=3)
    session.offering.allow_pay_at_studio = True
    session.offering.save()
    return session


def test_her_own_hold_that_ran_out_is_released_and_she_books_again(class_at_studio, client_user):
    held = services.booking_create(client=client_user, session=class_at_studio, pay_with="stripe", now=NOW)
    later = NOW + timedelta(minutes=20)
    booking = services.booking_create(client=client_user, session=class_at_studio, pay_with="studio", now=later)
    held.refresh_from_db()
    class_at_studio.refresh_from_db()
    assert held.status == "released" and booking.status == "confirmed"
    assert class_at_studio.places_taken == 1 == Booking.objects.filter(session=class_at_studio).holding_a_place().count()


def test_her_hold_still_running_is_a_place_she_already_has(class_at_studio, client_user, other_client):
    services.booking_create(client=other_client, session=class_at_studio, pay_with="stripe", now=NOW)
    services.booking_create(client=client_user, session=class_at_studio, pay_with="stripe", now=NOW)
    later = NOW + timedelta(minutes=10)  # both holds still run
    with pytest.raises(BookingError, match="al een plek"):
        services.booking_create(client=client_user, session=class_at_studio, pay_with="studio", now=later)
    class_at_studio.refresh_from_db()
    assert class_at_studio.places_taken == 2 == Booking.objects.filter(status="pending_payment").count()


def test_someone_elses_hold_that_ran_out_goes_back_when_she_books(class_at_studio, client_user, other_client):
    held = services.booking_create(client=other_client, session=class_at_studio, pay_with="stripe", now=NOW)
    services.booking_create(client=client_user, session=class_at_studio, pay_with="studio", now=NOW + timedelta(minutes=20))
    held.refresh_from_db()
    class_at_studio.refresh_from_db()
    assert held.status == "released" and class_at_studio.places_taken == 1


def test_the_card_used_is_the_first_to_expire_that_covers_the_style(client_user):
    yin = StyleFactory(slug="yin")
    session = SessionFactory(starts_at=CLASS_START, ends_at=CLASS_START + timedelta(minutes=75), offering__style=yin)
    class_card(client_user, credits=5, validity_months=1, now=NOW, styles=[StyleFactory(slug="tre")], name="TRE-kaart")
    both = class_card(client_user, credits=5, validity_months=2, now=NOW, styles=[StyleFactory(slug="hatha"), yin], name="Hatha en Yin")
    any_style = class_card(client_user, credits=5, validity_months=3, now=NOW, name="Alle lessen")
    assert services.booking_create(client=client_user, session=session, pay_with="card", now=NOW).card == both
    other = SessionFactory(starts_at=CLASS_START + timedelta(days=1), ends_at=CLASS_START + timedelta(days=1, hours=1),
                           offering__style=StyleFactory(slug="balans"))
    assert services.booking_create(client=client_user, session=other, pay_with="card", now=NOW).card == any_style
