"""The rule "an intake before a first group class" (BookingPolicy.intake_before_first_group_class):
off, nothing changes; on, a client who never had a place in a group class and has no intake with her
consent is asked for it on every way she books herself, and nothing is half-saved when refused. The
teacher adding someone by hand at the studio is not held to it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.errors import IntakeMissing
from bookings.group import roster, services, waitlist, waitlist_offers
from bookings.intake.services import intake_withdraw_consent
from bookings.models import Booking, BookingEvent, BookingPolicy, ClassCard, CreditEntry, Payment, WaitlistEntry
from bookings.personal import by_staff
from tests.bookings.full_classes import full_class, give_back
from tests.factories import BookingFactory, SessionFactory, class_card, intake_for, programme_run

pytestmark = pytest.mark.django_db

ASKED = "Voor je eerste groepsles vragen we je één keer het intakeformulier in te vullen"


@pytest.fixture
def rule_on():
    policy = BookingPolicy.objects.get_or_create(pk=1)[0]
    policy.intake_before_first_group_class = True
    policy.save()
    return policy


@pytest.fixture
def carded(client_user):
    class_card(client_user, credits=3)
    return client_user


def nothing_saved(session, client):
    session.refresh_from_db()
    assert session.places_taken == 0
    assert not Booking.objects.filter(client=client).exists()
    assert not BookingEvent.objects.exists() and not Payment.objects.exists()
    assert not WaitlistEntry.objects.filter(client=client).exists()
    assert ClassCard.objects.filter(client=client).get().balance == 3
    assert CreditEntry.objects.filter(card__client=client).count() == 1  # the purchase only


def test_with_the_rule_off_a_first_class_books_without_an_intake(carded, session):
    booking = services.booking_create(client=carded, session=session, pay_with="card")
    assert booking.status == "confirmed"


def test_with_the_rule_off_the_booking_page_asks_nothing(logged_in, carded, session):
    html = logged_in.get(reverse("bookings:book", args=[session.pk])).content.decode()
    assert "Eerst een paar vragen aan jou" not in html and 'value="card"' in html


def test_a_first_class_without_an_intake_is_refused_and_nothing_is_saved(rule_on, carded, session):
    with pytest.raises(IntakeMissing, match="Voor je eerste groepsles vragen we je één keer het intakeformulier"):
        services.booking_create(client=carded, session=session, pay_with="card")
    with pytest.raises(IntakeMissing):
        services.booking_create(client=carded, session=session, pay_with="stripe")
    nothing_saved(session, carded)


def test_with_an_intake_on_file_she_books(rule_on, carded, session):
    intake_for(carded)
    assert services.booking_create(client=carded, session=session, pay_with="card").status == "confirmed"


def test_an_intake_whose_consent_was_withdrawn_does_not_count(rule_on, carded, session):
    intake_for(carded)
    intake_withdraw_consent(client=carded)
    with pytest.raises(IntakeMissing):
        services.booking_create(client=carded, session=session, pay_with="card")
    nothing_saved(session, carded)


def test_someone_who_came_before_is_not_asked_again(rule_on, carded, session):
    past = timezone.now() - timedelta(days=7)
    BookingFactory(client=carded, session=SessionFactory(starts_at=past, ends_at=past + timedelta(hours=1)), attendance="present")
    assert services.booking_create(client=carded, session=session, pay_with="card").status == "confirmed"


def test_dates_of_a_programme_the_teacher_put_her_in_are_not_a_first_group_class(rule_on, carded, session, teacher_user):
    run = programme_run(starts=timezone.now() + timedelta(days=3))
    by_staff.group_enrol_by_staff(client=carded, run=run, actor=teacher_user)
    assert Booking.objects.filter(client=carded, status="confirmed").exists()  # her programme dates
    with pytest.raises(IntakeMissing):
        services.booking_create(client=carded, session=session, pay_with="card")
    assert not Booking.objects.filter(client=carded, session=session).exists()


def test_a_booking_she_cancelled_is_not_a_first_class(rule_on, carded, session):
    later = timezone.now() + timedelta(days=5)
    BookingFactory(client=carded, session=SessionFactory(starts_at=later, ends_at=later + timedelta(hours=1)), status="cancelled")
    with pytest.raises(IntakeMissing):
        services.booking_create(client=carded, session=session, pay_with="card")


def test_the_teacher_adding_her_by_hand_is_not_held_to_it(rule_on, carded, session, teacher_user):
    booking = roster.add_by_hand(session=session, actor=teacher_user, pay_with="card", client=carded)
    assert booking.status == "confirmed"
    assert BookingEvent.objects.get(booking=booking).action == "booked_by_staff"


# The pages ------------------------------------------------------------------------------------------


def test_the_booking_page_explains_and_links_to_the_intake_and_back(rule_on, logged_in, carded, session):
    book_url = reverse("bookings:book", args=[session.pk])
    html = logged_in.get(book_url).content.decode()
    assert "Eerst een paar vragen aan jou" in html and "Dit wordt je eerste groepsles bij ons." in html
    assert f'href="/intake/?next={book_url}"' in html
    assert 'name="pay_with"' not in html  # no way to pay that would only be refused


def test_booking_anyway_sends_her_to_the_intake_and_saves_nothing(rule_on, logged_in, carded, session):
    book_url = reverse("bookings:book", args=[session.pk])
    response = logged_in.post(book_url, {"pay_with": "card"})
    assert response.status_code == 302 and response["Location"] == f"/intake/?next={book_url.replace('/', '%2F')}"
    page = logged_in.get(response["Location"])
    assert ASKED in " ".join(str(m) for m in page.context["messages"])
    nothing_saved(session, carded)


def test_after_the_intake_she_comes_back_and_books(rule_on, logged_in, carded, session):
    book_url = reverse("bookings:book", args=[session.pk])
    response = logged_in.post(f"/intake/?next={book_url}", {"consent": "on", "pregnancy": "", "hopes": "Rust"})
    assert response.status_code == 302 and response["Location"] == book_url
    assert 'value="card"' in logged_in.get(book_url).content.decode()
    response = logged_in.post(book_url, {"pay_with": "card"})
    assert response["Location"] == reverse("bookings:my_bookings")
    assert Booking.objects.get(client=carded).status == "confirmed"


def test_joining_the_waitlist_asks_for_the_intake_first(rule_on, logged_in, carded):
    session, _booked = full_class(timezone.now() + timedelta(days=2))
    response = logged_in.post(reverse("bookings:waitlist_join", args=[session.pk]), {"auto_book": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/intake/?next=")
    assert not WaitlistEntry.objects.filter(client=carded).exists()


def test_taking_an_offered_place_asks_for_the_intake_and_keeps_the_offer(logged_in, carded):
    session, booked = full_class(timezone.now() + timedelta(days=2))
    entry = waitlist.waitlist_join(client=carded, session=session)  # before the rule was switched on
    policy = BookingPolicy.objects.get(pk=1)
    policy.intake_before_first_group_class = True
    policy.save()
    give_back(booked[0])
    waitlist_offers.offer_freed_places(session_id=session.pk)
    entry.refresh_from_db()
    assert entry.status == "offered"
    response = logged_in.post(reverse("bookings:waitlist_claim", args=[entry.pk]), {"pay_with": "card"})
    claim_url = reverse("bookings:waitlist_claim", args=[entry.pk])
    assert response["Location"] == f"/intake/?next={claim_url.replace('/', '%2F')}"
    entry.refresh_from_db()
    offer = Booking.objects.get(pk=entry.offer_id)
    assert entry.status == "offered" and offer.status == "offered" and offer.paid_with == ""
    assert ClassCard.objects.get(client=carded).balance == 3
    intake_for(carded)  # with the intake the same claim goes through
    booking = waitlist.waitlist_claim(entry=entry, client=carded, pay_with="card")
    assert booking.status == "confirmed"


def test_automatic_booking_offers_the_place_instead_while_the_intake_is_missing(carded):
    session, booked = full_class(timezone.now() + timedelta(days=2))
    waitlist.waitlist_join(client=carded, session=session, auto_book=True)  # before the rule was switched on
    policy = BookingPolicy.objects.get(pk=1)
    policy.intake_before_first_group_class = True
    policy.save()
    give_back(booked[0])
    done = waitlist_offers.offer_freed_places(session_id=session.pk)
    assert not done.booked and [entry.client for entry in done.offered] == [carded]
    assert ClassCard.objects.get(client=carded).balance == 3

