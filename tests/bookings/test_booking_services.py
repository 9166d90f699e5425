"""Booking rules, called directly with the time passed in: places, cards, cancelling, the waitlist."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db.models import Sum

from bookings import places
from bookings.errors import BookingError
from bookings.group import cards, jobs, services, waitlist, waitlist_offers
from bookings.models import Booking, BookingPolicy, ClassCard, CreditEntry, Refund, WaitlistEntry
from classes.models import Session
from classes.services import session_cancel
from tests.factories import OfferingFactory, SessionFactory, StyleFactory, UserFactory, class_card, local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 23, 9, 0)
CLASS_START = local(2026, 11, 25, 19, 30)


@pytest.fixture
def session():
    return SessionFactory(starts_at=CLASS_START, ends_at=CLASS_START + timedelta(minutes=75), capacity=3)


def places_holding(session):
    return Booking.objects.filter(session=session).holding_a_place().count()


def assert_places_consistent(session):
    session.refresh_from_db()
    assert session.places_taken == places_holding(session)
    assert session.places_taken <= session.capacity


def ledger_sum(card):
    return card.entries.aggregate(total=Sum("delta"))["total"]


# Booking with a class card ------------------------------------------------------


def test_booking_with_a_card_takes_one_credit_and_a_place(session, client_user):
    card = class_card(client_user, credits=5, now=NOW)
    booking = services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    assert booking.status == "confirmed" and booking.card == card
    assert cards.card_balance(card) == 4 == ledger_sum(card)
    assert_places_consistent(session)


def test_the_card_that_expires_first_is_used(session, client_user):
    later = class_card(client_user, credits=10, validity_months=6, now=NOW, name="10-lessenkaart")
    sooner = class_card(client_user, credits=5, validity_months=3, now=NOW)
    booking = services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    assert booking.card == sooner and cards.card_balance(later) == 10


def test_an_expired_card_cannot_be_used(session, client_user):
    class_card(client_user, credits=5, validity_months=1, now=NOW - timedelta(days=60))
    with pytest.raises(BookingError, match="geen geldige lessenkaart"):
        services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    assert not Booking.objects.exists() and session.places_taken == 0


def test_a_card_of_another_style_cannot_be_used(session, client_user):
    class_card(client_user, credits=5, now=NOW, styles=[StyleFactory(slug="tre")])
    with pytest.raises(BookingError, match="geen geldige lessenkaart"):
        services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    assert not Booking.objects.exists()


def test_an_empty_card_cannot_be_used_and_credits_never_go_negative(client_user):
    card = class_card(client_user, credits=1, now=NOW)
    first, second = (SessionFactory(starts_at=CLASS_START + timedelta(days=d), ends_at=CLASS_START + timedelta(days=d, hours=1)) for d in (0, 1))
    services.booking_create(client=client_user, session=first, pay_with="card", now=NOW)
    with pytest.raises(BookingError):
        services.booking_create(client=client_user, session=second, pay_with="card", now=NOW)
    assert cards.card_balance(card) == 0 == ledger_sum(card)
    with pytest.raises(BookingError):
        cards.card_debit(card=card, booking=Booking.objects.first(), now=NOW)


# Refusals: each with a clear message and nothing saved --------------------------


@pytest.mark.parametrize("change,message", [
    ({"starts_at": NOW - timedelta(hours=2)}, "al begonnen of al geweest"),
    ({"status": "cancelled", "cancel_reason": "ziek"}, "geannuleerd"),
    ({"starts_at": NOW + timedelta(minutes=20)}, "Online boeken voor deze les is gesloten"),
])
def test_past_cancelled_or_closed_sessions_cannot_be_booked(client_user, change, message):
    starts = change.get("starts_at", CLASS_START)
    session = SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=1), **{k: v for k, v in change.items() if k != "starts_at"})
    with pytest.raises(BookingError, match=message):
        services.booking_create(client=client_user, session=session, pay_with="studio", now=NOW)
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 0


def test_booking_twice_is_refused(session, client_user):
    session.offering.allow_pay_at_studio = True
    session.offering.save()
    services.booking_create(client=client_user, session=session, pay_with="studio", now=NOW)
    with pytest.raises(BookingError, match="al een plek"):
        services.booking_create(client=client_user, session=session, pay_with="studio", now=NOW)
    assert places_holding(session) == 1
    assert_places_consistent(session)


def test_a_full_session_is_refused_with_the_waitlist_hint(session):
    for _ in range(3):
        services.booking_create(client=UserFactory(), session=session, pay_with="stripe", now=NOW)
    with pytest.raises(BookingError, match="vol.*wachtlijst"):
        services.booking_create(client=UserFactory(), session=session, pay_with="stripe", now=NOW)
    assert_places_consistent(session)


def test_pay_at_studio_only_when_the_offering_allows_it(session, client_user):
    with pytest.raises(BookingError, match="online of met een lessenkaart"):
        services.booking_create(client=client_user, session=session, pay_with="studio", now=NOW)
    assert not Booking.objects.exists()


def test_an_unknown_payment_choice_is_refused(session, client_user):
    with pytest.raises(BookingError, match="Kies hoe je wilt betalen"):
        services.booking_create(client=client_user, session=session, pay_with="bitcoin", now=NOW)


# Holds ---------------------------------------------------------------------------


def test_an_online_booking_holds_the_place_for_the_policy_minutes(session, client_user):
    booking = services.booking_create(client=client_user, session=session, pay_with="stripe", now=NOW)
    assert booking.status == "pending_payment" and booking.hold_expires_at == NOW + timedelta(minutes=15)
    assert booking.payment.amount_cents == session.offering.drop_in_price_cents and booking.payment.status == "pending"
    assert_places_consistent(session)


def test_an_expired_hold_releases_the_place_by_itself(session, client_user, fake_stripe):
    services.booking_create(client=client_user, session=session, pay_with="stripe", now=NOW)
    jobs.expired_holds_release(now=NOW + timedelta(minutes=16))
    assert Booking.objects.get().status == "released"
    assert_places_consistent(session)
    assert session.places_taken == 0


def test_a_full_session_frees_expired_holds_before_refusing(session):
    for _ in range(3):
        services.booking_create(client=UserFactory(), session=session, pay_with="stripe", now=NOW)
    booking = services.booking_create(client=UserFactory(), session=session, pay_with="stripe", now=NOW + timedelta(minutes=20))
    assert booking.status == "pending_payment"
    assert_places_consistent(session)
    assert Booking.objects.filter(status="released").count() == 3


# Cancelling ----------------------------------------------------------------------


def test_early_cancel_returns_the_credit(session, client_user):
    card = class_card(client_user, credits=5, now=NOW)
    booking = services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    outcome = services.booking_cancel(booking=booking, now=NOW + timedelta(hours=1))
    assert outcome.early and outcome.credit_returned
    assert cards.card_balance(card) == 5 == ledger_sum(card)
    assert_places_consistent(session)


def test_late_cancel_keeps_the_credit(session, client_user):
    card = class_card(client_user, credits=5, now=NOW)
    booking = services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    late = CLASS_START - timedelta(hours=3)
    assert not services.cancellation_terms(booking, now=late).early
    outcome = services.booking_cancel(booking=booking, now=late)
    assert not outcome.early and not outcome.credit_returned
    assert cards.card_balance(card) == 4
    booking.refresh_from_db()
    assert booking.late_cancellation and booking.status == "cancelled"
    assert_places_consistent(session)


def test_cancelling_twice_is_refused(session, client_user):
    class_card(client_user, credits=5, now=NOW)
    booking = services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    services.booking_cancel(booking=booking, now=NOW)
    with pytest.raises(BookingError, match="al geannuleerd"):
        services.booking_cancel(booking=booking, now=NOW)
    assert CreditEntry.objects.filter(kind="return").count() == 1


def test_a_started_class_cannot_be_cancelled(session, client_user):
    class_card(client_user, credits=5, now=NOW)
    booking = services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    with pytest.raises(BookingError, match="al begonnen"):
        services.booking_cancel(booking=booking, now=CLASS_START + timedelta(minutes=1))


def test_studio_cancellation_always_returns_credits_and_clears_the_waitlist(session, client_user):
    card = class_card(client_user, credits=5, now=NOW)
    services.booking_create(client=client_user, session=session, pay_with="card", now=NOW)
    for _ in range(2):
        services.booking_create(client=UserFactory(), session=session, pay_with="stripe", now=NOW)
    waiting = UserFactory()
    waitlist.waitlist_join(client=waiting, session=session, now=NOW)
    session_cancel(session, reason="Docent ziek")
    assert cards.card_balance(card) == 5
    assert not Booking.objects.filter(session=session).holding_a_place().exists()
    assert WaitlistEntry.objects.get(client=waiting).status == "cleared"
    assert_places_consistent(session)
    session_cancel(session, reason="nog eens")  # twice changes nothing more
    assert CreditEntry.objects.filter(kind="return").count() == 1


def test_ledger_always_equals_balance_after_corrections(client_user, admin_user):
    card = class_card(client_user, credits=5, now=NOW)
    cards.card_correct(card=card, delta=2, reason="Les uitgevallen in oktober", actor=admin_user)
    with pytest.raises(BookingError, match="reden"):
        cards.card_correct(card=card, delta=1, reason="  ", actor=admin_user)
    with pytest.raises(BookingError, match="onder nul"):
        cards.card_correct(card=card, delta=-8, reason="te veel", actor=admin_user)
    assert cards.card_balance(card) == 7 == ledger_sum(card)
    assert ClassCard.objects.with_balance().get(pk=card.pk).balance == 7


def test_expiry_writes_off_what_is_left_once(client_user):
    card = class_card(client_user, credits=5, validity_months=1, now=NOW - timedelta(days=40))
    assert cards.cards_expire(now=NOW) == 1
    assert cards.cards_expire(now=NOW) == 0
    assert cards.card_balance(card) == 0
    assert card.entries.get(kind="expiry").delta == -5


# The waitlist --------------------------------------------------------------------


def fill(session):
    return [services.booking_create(client=UserFactory(), session=session, pay_with="stripe", now=NOW) for _ in range(session.capacity)]


def test_join_waitlist_only_when_full(session, client_user):
    with pytest.raises(BookingError, match="plek vrij"):
        waitlist.waitlist_join(client=client_user, session=session, now=NOW)
    fill(session)
    entry = waitlist.waitlist_join(client=client_user, session=session, now=NOW)
    assert waitlist.waitlist_position(entry) == 1
    with pytest.raises(BookingError, match="al op de wachtlijst"):
        waitlist.waitlist_join(client=client_user, session=session, now=NOW)


def test_a_freed_place_is_offered_in_order_and_passes_on_when_the_offer_runs_out(session, mailoutbox):
    booked = fill(session)
    first, second = UserFactory(email="eerst@example.nl"), UserFactory(email="tweede@example.nl")
    waitlist.waitlist_join(client=first, session=session, now=NOW)
    waitlist.waitlist_join(client=second, session=session, now=NOW + timedelta(seconds=1))
    places.held_place_release(booking_id=booked[0].pk, now=NOW)
    waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    offered = WaitlistEntry.objects.get(client=first)
    assert offered.status == "offered" and offered.offer_expires_at == NOW + timedelta(minutes=120)
    assert WaitlistEntry.objects.get(client=second).status == "waiting"
    assert_places_consistent(session)

    waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW + timedelta(minutes=121))
    assert WaitlistEntry.objects.get(client=first).status == "expired"
    assert WaitlistEntry.objects.get(client=second).status == "offered"
    assert_places_consistent(session)


def test_an_offer_never_runs_past_booking_close(session):
    booked = fill(session)
    entry = waitlist.waitlist_join(client=UserFactory(), session=session, now=NOW)
    BookingPolicy.objects.filter(pk=1).update(waitlist_offer_minutes=300)  # longer than the time left before closing
    cache.clear()
    late = CLASS_START - timedelta(hours=4)  # before the last-minute window (3 hours)
    places.held_place_release(booking_id=booked[0].pk, now=late)
    waitlist_offers.offer_freed_places(session_id=session.pk, now=late)
    entry.refresh_from_db()
    assert entry.offer_expires_at == CLASS_START - timedelta(minutes=BookingPolicy.current().booking_closes_minutes)


def test_claiming_an_offer_with_a_card(session):
    booked = fill(session)
    client = UserFactory()
    card = class_card(client, credits=5, now=NOW)
    entry = waitlist.waitlist_join(client=client, session=session, now=NOW)
    places.held_place_release(booking_id=booked[0].pk, now=NOW)
    waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    booking = waitlist.waitlist_claim(entry=entry, client=client, pay_with="card", now=NOW + timedelta(minutes=5))
    assert booking.status == "confirmed" and cards.card_balance(card) == 4
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "claimed"
    assert_places_consistent(session)
    with pytest.raises(BookingError, match="niet meer open"):
        waitlist.waitlist_claim(entry=entry, client=client, pay_with="card", now=NOW + timedelta(minutes=6))


def test_someone_else_cannot_claim_your_offer(session):
    booked = fill(session)
    client = UserFactory()
    entry = waitlist.waitlist_join(client=client, session=session, now=NOW)
    places.held_place_release(booking_id=booked[0].pk, now=NOW)
    waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    with pytest.raises(BookingError, match="niet voor jou"):
        waitlist.waitlist_claim(entry=entry, client=UserFactory(), pay_with="card", now=NOW)


def test_leaving_the_waitlist(session, client_user):
    fill(session)
    entry = waitlist.waitlist_join(client=client_user, session=session, now=NOW)
    waitlist.waitlist_leave(entry=entry)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "left"


def test_places_taken_equals_place_holding_bookings_after_a_mixed_day(client_user):
    session = SessionFactory(starts_at=CLASS_START, ends_at=CLASS_START + timedelta(hours=1), capacity=4,
                             offering=OfferingFactory(allow_pay_at_studio=True))
    people = [UserFactory() for _ in range(6)]
    for person in people[:2]:
        class_card(person, credits=3, now=NOW)
        services.booking_create(client=person, session=session, pay_with="card", now=NOW)
    services.booking_create(client=people[2], session=session, pay_with="studio", now=NOW)
    held = services.booking_create(client=people[3], session=session, pay_with="stripe", now=NOW)
    entry = waitlist.waitlist_join(client=people[4], session=session, now=NOW)
    services.booking_cancel(booking=Booking.objects.get(client=people[0]), now=NOW)
    waitlist_offers.offer_freed_places(session_id=session.pk, now=NOW)
    jobs.expired_holds_release(now=NOW + timedelta(minutes=16))
    waitlist.waitlist_claim(entry=entry, client=people[4], pay_with="studio", now=NOW + timedelta(minutes=17))
    services.booking_create(client=people[5], session=session, pay_with="studio", now=NOW + timedelta(minutes=18))
    held.refresh_from_db()
    assert held.status == "released"
    assert_places_consistent(session)
    assert Session.objects.get(pk=session.pk).places_taken == 4


def test_refund_rows_for_studio_cancel_are_made_once(session, fake_stripe):
    services.booking_create(client=UserFactory(), session=session, pay_with="stripe", now=NOW)
    session_cancel(session, reason="ziek")
    session_cancel(session, reason="ziek")
    assert Refund.objects.count() == 0  # the payment was never completed: nothing to refund
