"""Booking a group class with a membership: the style it covers, N classes a month (with a class
carried over), early and late cancelling, a pause (now, or on the class's day), a failed payment
within and after the grace days, and the booking page that offers it or says why not."""

from datetime import date, datetime, timedelta

import pytest
import stripe
from django.core import mail
from django.urls import reverse

from bookings.errors import BookingError
from bookings.group import services
from bookings.memberships import allowance, periods, sync
from bookings.models import Booking, BookingPolicy, Membership
from classes.models import STUDIO_TZ
from tests.factories import StyleFactory, UserFactory
from tests.memberships.members import a_class, membership_type, running

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=STUDIO_TZ)  # a Tuesday morning in Breda


@pytest.fixture
def member(frozen, client_user):
    return client_user


def book(client, session, now=NOW):
    return services.booking_create(client=client, session=session, pay_with="membership", now=now)


def refusal(client, session, now=NOW) -> str:
    with pytest.raises(BookingError) as refused:
        book(client, session, now)
    return str(refused.value)


def test_an_unlimited_membership_books_a_place_through_the_same_place_taking(member):
    membership = running(member, membership_type(), now=NOW)
    session = a_class(NOW + timedelta(days=2), capacity=3)

    booking = book(member, session)

    assert booking.status == Booking.Status.CONFIRMED and booking.membership == membership and booking.price_cents == 0
    assert booking.paid_with == Booking.PaidWith.MEMBERSHIP and booking.payment is None
    session.refresh_from_db()
    assert session.places_taken == 1


def test_a_membership_books_only_the_styles_it_covers(member):
    running(member, membership_type(styles=[StyleFactory(slug="yin")], name="Yin onbeperkt"), now=NOW)
    assert book(member, a_class(NOW + timedelta(days=1), style="yin")).is_confirmed

    hatha = a_class(NOW + timedelta(days=1), style="hatha")
    assert refusal(member, hatha) == ("Je abonnement (Yin onbeperkt) is niet voor Trauma-bewuste Hatha yoga. "
                                      "Deze les kun je op een andere manier betalen.")
    hatha.refresh_from_db()
    assert hatha.places_taken == 0 and not Booking.objects.filter(session=hatha).exists()


def test_four_classes_a_month_means_four_and_an_early_cancel_gives_one_back(member):
    membership = running(member, membership_type(classes=4, name="4 lessen per maand"), now=NOW)
    sessions = [a_class(NOW + timedelta(days=day)) for day in range(1, 7)]
    booked = [book(member, session) for session in sessions[:4]]

    message = refusal(member, sessions[4])
    assert message.startswith("Je hebt alle 4 lessen van je abonnement voor 28 februari 2026 – 30 maart 2026 al geboekt.")
    assert periods.classes_left(membership, now=NOW) == 0

    services.booking_cancel(booking=booked[0], now=NOW)  # in time: the class simply stops counting
    assert periods.classes_left(membership, now=NOW) == 1
    assert book(member, sessions[4]).is_confirmed


def test_a_late_cancel_still_counts(member):
    running(member, membership_type(classes=2), now=NOW)
    soon = a_class(NOW + timedelta(hours=3))
    first = book(member, soon)
    book(member, a_class(NOW + timedelta(days=3)))
    outcome = services.booking_cancel(booking=first, now=NOW)
    assert not outcome.early
    assert "al geboekt" in refusal(member, a_class(NOW + timedelta(days=4)))


def test_the_next_period_has_its_own_allowance_while_it_renews(member):
    membership = running(member, membership_type(classes=1), now=NOW)
    book(member, a_class(NOW + timedelta(days=1)))
    next_month = a_class(membership.current_period_end + timedelta(days=2))
    assert book(member, next_month).is_confirmed  # counts in the next period
    assert refusal(member, a_class(membership.current_period_end + timedelta(days=35))) == (
        "Met je abonnement kun je lessen boeken tot 30 april 2026.")


def test_after_cancelling_it_books_only_until_its_end(member):
    membership = running(member, membership_type(), now=NOW, cancel_at_period_end=True)
    membership.ends_at = membership.current_period_end
    membership.save()
    assert book(member, a_class(NOW + timedelta(days=3))).is_confirmed
    assert refusal(member, a_class(membership.current_period_end + timedelta(days=1))) == (
        "Je abonnement stopt op 30 maart 2026, vóór deze les.")


def test_one_unused_class_carries_over_once_however_often_the_new_period_is_synced(member):
    membership = running(member, membership_type(classes=4, carry_over=True), now=NOW)
    book(member, a_class(NOW + timedelta(days=1)))
    book(member, a_class(NOW + timedelta(days=2)))  # two of four used: one carries over, never more
    new_start = membership.current_period_end
    subscription = stripe.StripeObject.construct_from({
        "id": membership.stripe_subscription_id, "object": "subscription", "status": "active", "customer": membership.stripe_customer_id,
        "cancel_at_period_end": False, "pause_collection": None, "start_date": int(membership.started_at.timestamp()),
        "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item",
                                              "current_period_start": int(new_start.timestamp()),
                                              "current_period_end": int((new_start + timedelta(days=31)).timestamp())}]},
    }, "sk_test")

    later = new_start + timedelta(hours=1)
    for _replay in range(3):
        membership = Membership.objects.get(pk=membership.pk)
        sync._take_over(membership, subscription, later)
    membership.refresh_from_db()
    assert membership.carried_over == 1 and membership.current_period_start == new_start
    assert periods.classes_left(membership, now=later) == 5
    for day in range(1, 6):
        book(member, a_class(later + timedelta(days=day)), now=later)
    assert "alle 5 lessen" in refusal(member, a_class(later + timedelta(days=7)), now=later)


def test_no_carry_over_for_a_type_without_it(member):
    membership = running(member, membership_type(classes=4), now=NOW)
    assert periods.carry_over_into_next(membership) == 0


def test_while_paused_she_cannot_book_and_reads_until_when_and_how_to_resume(member, client):
    running(member, membership_type(), now=NOW, pause_from=date(2026, 3, 9), pause_until=date(2026, 3, 23))
    session = a_class(NOW + timedelta(days=20))  # after the pause, but she is paused now
    assert refusal(member, session) == (
        "Je abonnement staat op pauze tot 23 maart 2026, dus je kunt er nu niet mee boeken. Wil je eerder komen? "
        "Op je abonnementspagina kun je de pauze beëindigen.")
    assert not Booking.objects.filter(session=session).exists()

    client.force_login(member)
    page = client.get(reverse("bookings:book", kwargs={"session_id": session.pk})).content.decode()
    assert "staat op pauze tot 23 maart 2026" in page and 'value="membership"' not in page
    assert f'href="{reverse("bookings:my_membership")}"' in page


def test_a_class_on_a_day_of_a_coming_pause_is_refused_and_one_before_it_books(member):
    running(member, membership_type(), now=NOW, pause_from=date(2026, 3, 16), pause_until=date(2026, 3, 20))
    assert book(member, a_class(datetime(2026, 3, 15, 19, 30, tzinfo=STUDIO_TZ))).is_confirmed
    assert refusal(member, a_class(datetime(2026, 3, 19, 19, 30, tzinfo=STUDIO_TZ))) == (
        "Je abonnement staat op pauze van 16 maart 2026 tot 20 maart 2026, en deze les valt in die tijd. "
        "Op je abonnementspagina kun je de pauze aanpassen of beëindigen.")
    assert book(member, a_class(datetime(2026, 3, 20, 9, 30, tzinfo=STUDIO_TZ))).is_confirmed  # her first day back


def test_a_failed_payment_still_books_within_the_grace_days_and_not_after(member):
    policy = BookingPolicy.current()
    assert policy.membership_grace_days == 7
    membership = running(member, membership_type(), now=NOW, status=Membership.Status.PAST_DUE,
                         payment_failed_at=NOW - timedelta(days=6, hours=23))
    assert book(member, a_class(NOW + timedelta(days=1))).is_confirmed

    later = NOW + timedelta(hours=2)  # seven days and an hour after the failure
    session = a_class(NOW + timedelta(days=2))
    assert refusal(member, session, now=later) == (
        "De laatste betaling van je abonnement is niet gelukt, dus je kunt er pas weer mee boeken als die betaald is. Op je "
        "abonnementspagina kun je met een andere betaalmethode betalen; daarna kun je meteen weer boeken.")
    option = allowance.booking_option(client=member, session=session, now=later, policy=policy)
    assert option["action_url"] == reverse("bookings:membership_payment_method") and not option["usable"]

    membership.status, membership.payment_failed_at = Membership.Status.ACTIVE, None  # invoice.paid, as sync applies it
    membership.save()
    assert book(member, session, now=later).is_confirmed


def test_without_a_membership_the_choice_is_refused_and_the_page_shows_where_memberships_are(member, client):
    session = a_class(NOW + timedelta(days=1))
    assert refusal(member, session) == "Je hebt geen abonnement waarmee je kunt boeken."
    client.force_login(member)
    page = client.get(reverse("bookings:book", kwargs={"session_id": session.pk})).content.decode()
    assert "Bekijk onze abonnementen" in page and f'href="{reverse("bookings:memberships")}"' in page


def test_the_booking_page_offers_the_membership_with_the_classes_left(member, client):
    running(member, membership_type(classes=4, name="4 lessen per maand"), now=NOW)
    session = a_class(NOW + timedelta(days=1))
    book(member, a_class(NOW + timedelta(days=2)))
    client.force_login(member)
    page = client.get(reverse("bookings:book", kwargs={"session_id": session.pk})).content.decode()
    assert 'name="pay_with" value="membership"' in page and "nog 3 lessen deze periode" in page
    response = client.post(reverse("bookings:book", kwargs={"session_id": session.pk}), {"pay_with": "membership"})
    assert response.status_code == 302 and response["Location"] == reverse("bookings:my_bookings")
    assert Booking.objects.get(session=session, client=member).membership is not None


def test_someone_else_s_membership_is_never_used(member):
    running(UserFactory(email="ander@example.nl"), membership_type(), now=NOW)
    assert refusal(member, a_class(NOW + timedelta(days=1))) == "Je hebt geen abonnement waarmee je kunt boeken."


def test_the_confirmation_and_the_cancellation_speak_of_the_membership(member, django_capture_on_commit_callbacks):
    running(member, membership_type(), now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(member, a_class(NOW + timedelta(days=3)))
    confirmation = mail.outbox[-1].body
    assert "Geboekt met je abonnement (Onbeperkt yoga)." in confirmation and "programma" not in confirmation
    assert "telt de les niet meer mee voor je abonnement" in confirmation
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, now=NOW)
    assert "De les telt niet meer mee voor je abonnement: je kunt er een andere les mee boeken." in mail.outbox[-1].body


def test_a_member_offered_a_place_from_the_waitlist_takes_it_with_her_membership(member, client, committed):
    kind = membership_type()
    running(member, kind, now=NOW)
    holder = UserFactory(email="houder@example.nl")
    session = a_class(NOW + timedelta(days=2), capacity=1)
    running(holder, kind, now=NOW)
    first = book(holder, session)
    from bookings.group import waitlist

    entry = waitlist.waitlist_join(client=member, session=session, now=NOW)
    with committed():
        services.booking_cancel(booking=first, now=NOW)  # the place is offered to her
    entry.refresh_from_db()
    assert entry.status == "offered"
    client.force_login(member)
    page = client.get(reverse("bookings:waitlist_claim", args=[entry.pk])).content.decode()
    assert "Boeken met mijn abonnement" in page
    client.post(reverse("bookings:waitlist_claim", args=[entry.pk]), {"pay_with": "membership"})
    booking = Booking.objects.get(client=member, session=session)
    assert (booking.status, booking.paid_with, booking.membership.client_id) == ("confirmed", "membership", member.pk)
