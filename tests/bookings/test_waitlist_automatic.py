"""Automatic booking from the waitlist and last-minute places, with the time passed in (no quiet
hours here: tests/bookings/test_quiet_hours.py has those)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bookings.errors import BookingError
from bookings.group import jobs, services, waitlist, waitlist_offers
from bookings.models import Booking, BookingPolicy, WaitlistEntry
from tests.bookings.full_classes import full_class, give_back
from tests.factories import SessionFactory, StyleFactory, UserFactory, class_card, local

pytestmark = pytest.mark.django_db

NOW = local(2026, 12, 7, 10, 0)  # Monday morning
CLASS_START = local(2026, 12, 9, 19, 30)  # Wednesday evening: not last-minute


def person(email, *, card=False):
    client = UserFactory(email=email)
    if card:
        class_card(client, credits=3, now=NOW - timedelta(days=1))
    return client


def balance(client):
    return client.class_cards.get().balance


def test_joining_with_automatic_booking_needs_a_valid_card():
    session, _ = full_class(CLASS_START)
    with pytest.raises(BookingError, match="lessenkaart"):
        waitlist.waitlist_join(client=person("nocard@example.nl"), session=session, auto_book=True, now=NOW)
    assert not WaitlistEntry.objects.exists()
    card_for_another_style = person("yin@example.nl")
    class_card(card_for_another_style, styles=[StyleFactory(slug="yin-only", name_nl="Yin", name_en="Yin")], now=NOW)
    with pytest.raises(BookingError):
        waitlist.waitlist_join(client=card_for_another_style, session=session, auto_book=True, now=NOW)
    assert not WaitlistEntry.objects.exists()


def test_a_freed_place_books_the_automatic_first_in_line_with_one_credit(django_capture_on_commit_callbacks):
    session, booked = full_class(CLASS_START)
    sanne = person("sanne@example.nl", card=True)
    entry = waitlist.waitlist_join(client=sanne, session=session, auto_book=True, now=NOW)
    give_back(booked[0])
    with django_capture_on_commit_callbacks(execute=True):
        done = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
        waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)  # run twice: nothing more happens
    [booking] = done.booked
    assert booking.client == sanne and booking.status == "confirmed" and booking.paid_with == "card"
    assert balance(sanne) == 2  # debited once
    entry.refresh_from_db()
    assert entry.status == "claimed" and entry.offer == booking
    session.refresh_from_db()
    assert session.places_taken == 1 == Booking.objects.filter(session=session).holding_a_place().count()
    [told] = mail.outbox
    assert told.to == ["sanne@example.nl"]
    assert "zoals je op de wachtlijst vroeg" in told.body and told.attachments  # with the calendar file
    assert booking.free_cancel_until == NOW + timedelta(hours=3)
    assert booking.events.filter(action="booked_from_waitlist").count() == 1


def test_booked_automatically_she_may_cancel_free_of_charge_for_a_few_hours():
    session, booked = full_class(NOW + timedelta(hours=8))  # inside the 12-hour window
    sanne = person("sanne@example.nl", card=True)
    waitlist.waitlist_join(client=sanne, session=session, auto_book=True, now=NOW - timedelta(days=1))
    give_back(booked[0])
    [booking] = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW).booked
    outcome = services.booking_cancel(booking=booking, now=NOW + timedelta(hours=2, minutes=59))
    assert outcome.early and outcome.credit_returned
    assert balance(sanne) == 3


def test_after_those_hours_the_usual_window_holds_again():
    session, booked = full_class(NOW + timedelta(hours=8))
    sanne = person("sanne@example.nl", card=True)
    waitlist.waitlist_join(client=sanne, session=session, auto_book=True, now=NOW - timedelta(days=1))
    give_back(booked[0])
    [booking] = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW).booked
    outcome = services.booking_cancel(booking=booking, now=NOW + timedelta(hours=3, minutes=1))
    assert not outcome.early and not outcome.credit_returned
    assert balance(sanne) == 2


def test_the_first_in_line_gets_the_place_whether_automatic_or_not():
    session, booked = full_class(CLASS_START)
    manual = person("manual@example.nl")
    automatic = person("auto@example.nl", card=True)
    first = waitlist.waitlist_join(client=manual, session=session, now=NOW)
    waitlist.waitlist_join(client=automatic, session=session, auto_book=True, now=NOW + timedelta(minutes=1))
    give_back(booked[0])
    done = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    assert done.booked == [] and [entry.pk for entry in done.offered] == [first.pk]
    assert balance(automatic) == 3


def test_an_automatic_booker_whose_card_is_used_up_is_offered_the_place():
    session, booked = full_class(CLASS_START)
    sanne = person("sanne@example.nl")
    class_card(sanne, credits=1, now=NOW - timedelta(days=1))
    entry = waitlist.waitlist_join(client=sanne, session=session, auto_book=True, now=NOW)
    elsewhere = SessionFactory(starts_at=NOW + timedelta(days=1), ends_at=NOW + timedelta(days=1, hours=1))
    services.booking_create(client=sanne, session=elsewhere, pay_with="card", now=NOW)  # the last class on her card
    give_back(booked[0])
    done = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    assert done.booked == [] and [e.pk for e in done.offered] == [entry.pk]


def test_last_minute_the_first_automatic_booker_in_line_gets_it():
    session, booked = full_class(NOW + timedelta(hours=2))
    manual = person("manual@example.nl")
    automatic = person("auto@example.nl", card=True)
    waitlist.waitlist_join(client=manual, session=session, now=NOW - timedelta(hours=5))
    waitlist.waitlist_join(client=automatic, session=session, auto_book=True, now=NOW - timedelta(hours=4))
    give_back(booked[0])
    done = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    assert [b.client for b in done.booked] == [automatic] and done.offered == [] and done.told == []
    assert WaitlistEntry.objects.get(client=manual).status == "waiting"


def test_last_minute_without_automatic_bookers_everyone_may_claim_and_the_first_wins(django_capture_on_commit_callbacks):
    session, booked = full_class(NOW + timedelta(hours=2), allow_pay_at_studio=True)
    waiting = [person(f"w{i}@example.nl") for i in range(3)]
    entries = [waitlist.waitlist_join(client=c, session=session, now=NOW - timedelta(hours=5 - i)) for i, c in enumerate(waiting)]
    give_back(booked[0])
    with django_capture_on_commit_callbacks(execute=True):
        done = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    assert [e.pk for e in done.told] == [e.pk for e in entries]
    assert sorted(m.to[0] for m in mail.outbox) == ["w0@example.nl", "w1@example.nl", "w2@example.nl"]
    session.refresh_from_db()
    assert session.places_taken == 0  # not held for anyone
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        booking = waitlist.waitlist_claim(entry=entries[2], client=waiting[2], pay_with="studio", now=NOW + timedelta(minutes=5))
    assert booking.status == "confirmed" and booking.events.filter(action="claimed_last_minute").exists()
    with pytest.raises(BookingError, match="Iemand anders"):
        waitlist.waitlist_claim(entry=entries[0], client=waiting[0], pay_with="studio", now=NOW + timedelta(minutes=6))
    for entry in entries[:2]:
        entry.refresh_from_db()
        assert entry.status == "waiting" and entry.last_minute_offer_at is None  # still in line, in the same place
    assert waitlist.waitlist_position(entries[0]) == 1
    gone = sorted(m.to[0] for m in mail.outbox if "plek is weg" in m.subject)
    assert gone == ["w0@example.nl", "w1@example.nl"]  # not the one who took it


def test_a_last_minute_place_taken_by_someone_not_waiting_tells_the_waitlist(django_capture_on_commit_callbacks):
    session, booked = full_class(NOW + timedelta(hours=2))
    entry = waitlist.waitlist_join(client=person("w@example.nl"), session=session, now=NOW - timedelta(hours=5))
    give_back(booked[0])
    waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    passer_by = person("passer@example.nl", card=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(client=passer_by, session=session, pay_with="card", now=NOW + timedelta(minutes=1))
    entry.refresh_from_db()
    assert entry.status == "waiting" and entry.last_minute_offer_at is None
    assert [m.to for m in mail.outbox if "w@example.nl" in m.to] == [["w@example.nl"]]


def test_no_last_minute_window_when_the_studio_sets_none():
    policy = BookingPolicy.current()
    policy.last_minute_hours = 0
    policy.save()
    cache.clear()
    session, booked = full_class(NOW + timedelta(hours=2))
    entry = waitlist.waitlist_join(client=person("w@example.nl"), session=session, now=NOW - timedelta(hours=5))
    give_back(booked[0])
    done = waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    assert [e.pk for e in done.offered] == [entry.pk] and done.told == []


# The pages ----------------------------------------------------------------------------------------


@pytest.fixture
def later_class():
    """A full class ten days ahead, for pages that read the real clock (a new class card covers it)."""
    return full_class((timezone.now() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0))[0]


def test_joining_from_the_page_with_automatic_booking(client, client_user, later_class):
    class_card(client_user)
    client.force_login(client_user)
    page = client.get(reverse("bookings:book", args=[later_class.pk])).content.decode()
    assert 'name="auto_book"' in page
    response = client.post(reverse("bookings:waitlist_join", args=[later_class.pk]), {"auto_book": "1"}, follow=True)
    entry = WaitlistEntry.objects.get(client=client_user)
    assert entry.auto_book
    assert response.redirect_chain[-1][0] == reverse("bookings:waitlist_claim", args=[entry.pk])
    body = response.content.decode()
    assert "nummer 1" in body and "Automatisch boeken staat aan" in body


def test_joining_from_the_page_with_automatic_booking_but_no_card_says_why(client, client_user, later_class):
    client.force_login(client_user)
    assert 'name="auto_book"' not in client.get(reverse("bookings:book", args=[later_class.pk])).content.decode()
    response = client.post(reverse("bookings:waitlist_join", args=[later_class.pk]), {"auto_book": "1"}, follow=True)
    assert "lessenkaart" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_switching_automatic_booking_on_and_off(client, client_user, later_class):
    entry = waitlist.waitlist_join(client=client_user, session=later_class)
    client.force_login(client_user)
    url = reverse("bookings:waitlist_auto_book", args=[entry.pk])
    response = client.post(url, {"auto_book": "1"}, follow=True)
    entry.refresh_from_db()
    assert not entry.auto_book and "lessenkaart" in response.content.decode()  # no card: refused, nothing changed
    class_card(client_user)
    client.post(url, {"auto_book": "1"})
    entry.refresh_from_db()
    assert entry.auto_book
    client.post(url, {"auto_book": "0"})
    entry.refresh_from_db()
    assert not entry.auto_book


def test_another_clients_waitlist_place_is_not_found(client, other_client, later_class, client_user):
    entry = waitlist.waitlist_join(client=client_user, session=later_class)
    client.force_login(other_client)
    assert client.post(reverse("bookings:waitlist_auto_book", args=[entry.pk]), {"auto_book": "0"}).status_code == 404
    assert client.get(reverse("bookings:waitlist_claim", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_the_waitlist_page_shows_her_place_in_line(client, client_user, later_class):
    ahead = waitlist.waitlist_join(client=person("ahead@example.nl"), session=later_class)
    entry = waitlist.waitlist_join(client=client_user, session=later_class)
    client.force_login(client_user)
    url = reverse("bookings:waitlist_claim", args=[entry.pk])
    assert "nummer 2" in client.get(url).content.decode()
    waitlist.waitlist_leave(entry=ahead)
    assert "nummer 1" in client.get(url).content.decode()
    assert url in client.get(reverse("bookings:my_bookings")).content.decode()


def test_claiming_a_last_minute_place_without_a_way_to_pay_changes_nothing(client, client_user):
    session, booked = full_class((timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0))
    entry = waitlist.waitlist_join(client=client_user, session=session)
    give_back(booked[0])
    waitlist_offers.offer_freed_places(session_id=session.pk)
    client.force_login(client_user)
    url = reverse("bookings:waitlist_claim", args=[entry.pk])
    assert "het eerst neemt" in client.get(url).content.decode()
    response = client.post(url, {"pay_with": "bitcoin"}, follow=True)
    assert "Kies hoe je wilt betalen" in response.content.decode()
    entry.refresh_from_db()
    session.refresh_from_db()
    assert entry.status == "waiting" and entry.last_minute_offer_at is not None
    assert session.places_taken == 0 and not Booking.objects.filter(session=session, client=client_user).exists()


def test_the_roster_shows_who_books_automatically(client, teacher_user):
    session, _ = full_class((timezone.now() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0))
    session.teacher = teacher_user.teacher_profile
    session.save(update_fields=["teacher"])
    automatic = person("auto@example.nl")
    class_card(automatic)
    waitlist.waitlist_join(client=automatic, session=session, auto_book=True)
    client.force_login(teacher_user)
    assert "boekt automatisch" in client.get(reverse("bookings:roster", args=[session.pk])).content.decode()


def test_a_waiting_client_the_teacher_adds_is_not_told_the_place_has_gone(django_capture_on_commit_callbacks, teacher_user):
    session, booked = full_class(NOW + timedelta(hours=2))
    entries = [waitlist.waitlist_join(client=person(f"w{i}@example.nl"), session=session, now=NOW - timedelta(hours=5 - i)) for i in range(2)]
    give_back(booked[0])
    waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(client=entries[1].client, session=session, pay_with="studio", now=NOW, actor=teacher_user, by_staff=True)
    for entry in entries:
        entry.refresh_from_db()
    assert entries[1].status == "claimed" and entries[0].status == "waiting"
    assert [m.to for m in mail.outbox if "plek is weg" in m.subject] == [["w0@example.nl"]]


def test_a_free_place_nobody_was_told_about_is_offered_by_the_minute_job(django_capture_on_commit_callbacks):
    session, booked = full_class(CLASS_START)
    entry = waitlist.waitlist_join(client=person("w@example.nl"), session=session, now=NOW)
    give_back(booked[0])  # as if the round after the freed place had failed
    with django_capture_on_commit_callbacks(execute=True):
        jobs.expired_holds_release(now=NOW)
    entry.refresh_from_db()
    assert entry.status == "offered" and [m.to for m in mail.outbox] == [["w@example.nl"]]
