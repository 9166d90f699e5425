"""Real parallel requests against the live server on PostgreSQL: row locks keep every promise."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bookings import places
from bookings.group import services, waitlist, waitlist_offers
from bookings.models import Booking, Invoice, Payment, WaitlistEntry
from bookings.payments import checkout
from classes.models import Session
from tests.bookings import stripe_events
from tests.bookings.parallel import fire_all_at_once, fire_webhooks_at_once, signed_in_cookie
from tests.factories import SessionFactory, UserFactory, class_card

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_clients_at_once_for_five_places(live_server):
    start = timezone.now() + timedelta(days=3)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=5)
    clients = [UserFactory(email=f"race{i}@example.nl") for i in range(50)]
    for client in clients:
        class_card(client, credits=2)
    path = f"/boeken/{session.pk}/"
    results = fire_all_at_once(live_server, [(path, "pay_with=card", signed_in_cookie(c)) for c in clients])

    assert all(status == 302 for status, _ in results), results
    confirmed = Booking.objects.filter(session=session, status="confirmed")
    assert confirmed.count() == 5
    assert sum(1 for _, location in results if location.endswith("/mijn-boekingen/")) == 5
    assert sum(1 for _, location in results if location.endswith(path)) == 45  # back to the page with "full"
    session.refresh_from_db()
    assert session.places_taken == 5 == Booking.objects.filter(session=session).holding_a_place().count()
    used = sum(1 for c in clients if c.class_cards.get().balance == 1)
    assert used == 5


def test_two_clients_racing_for_the_last_waitlist_offer(live_server):
    start = timezone.now() + timedelta(days=3)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=1)
    holder = UserFactory(email="holder@example.nl")
    services.booking_create(client=holder, session=session, pay_with="stripe")
    first, second = UserFactory(email="first@example.nl"), UserFactory(email="second@example.nl")
    for client in (first, second):
        class_card(client, credits=2)
    entry = waitlist.waitlist_join(client=first, session=session)
    waitlist.waitlist_join(client=second, session=session)
    places.held_place_release(booking_id=Booking.objects.get(client=holder).pk)
    waitlist_offers.offer_freed_places(session_id=session.pk)

    path = f"/wachtlijst/{entry.pk}/"
    results = fire_all_at_once(live_server, [
        (path, "pay_with=card", signed_in_cookie(first)),
        (path, "pay_with=card", signed_in_cookie(first)),
        (path, "pay_with=card", signed_in_cookie(second)),
    ])
    assert [status for status, _ in results] == [302, 302, 404]  # the offer is not the second client's
    assert Booking.objects.filter(session=session, status="confirmed").count() == 1
    assert Booking.objects.get(session=session, status="confirmed").client == first
    assert Session.objects.get(pk=session.pk).places_taken == 1
    assert WaitlistEntry.objects.get(client=second).status == "waiting"


def test_the_same_webhook_twenty_times_at_once_changes_state_once(live_server, fake_stripe):
    start = timezone.now() + timedelta(days=3)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=5)
    client = UserFactory(email="payer@example.nl")
    booking = services.booking_create(client=client, session=session, pay_with="stripe")
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client,
                            success_url=f"{live_server.url}/ok?session_id={{CHECKOUT_SESSION_ID}}", cancel_url=f"{live_server.url}/no")
    booking.payment.refresh_from_db()
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="ideal")
    payload = stripe_events.event("checkout.session.completed", fake_stripe.get(booking.payment.stripe_checkout_id), event_id="evt_storm")
    mail.outbox.clear()

    statuses = fire_webhooks_at_once(live_server, [payload] * 20)

    assert set(statuses) <= {200} and len(statuses) == 20
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    assert Payment.objects.get(pk=booking.payment_id).status == "paid"
    assert len([m for m in mail.outbox if m.to == [client.email]]) == 1



def test_fifty_payments_completing_at_once_get_fifty_consecutive_receipt_and_invoice_numbers(live_server, fake_stripe):
    """Fifty drop-ins on fifty classes, paid, and their webhooks all at the same moment: each gets its
    own number, the numbers run on without a gap, no request fails, and each has its invoice under
    the same number."""
    start = timezone.now() + timedelta(days=3)
    payloads = []
    for index in range(50):
        session = SessionFactory(starts_at=start + timedelta(hours=index), ends_at=start + timedelta(hours=index, minutes=60))
        client = UserFactory(email=f"payer{index}@example.nl")
        booking = services.booking_create(client=client, session=session, pay_with="stripe")
        checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client,
                                success_url=f"{live_server.url}/ok?session_id={{CHECKOUT_SESSION_ID}}", cancel_url=f"{live_server.url}/no")
        booking.payment.refresh_from_db()
        fake_stripe.pay(booking.payment.stripe_checkout_id, method="ideal")
        payloads.append(stripe_events.event("checkout.session.completed", fake_stripe.get(booking.payment.stripe_checkout_id),
                                            event_id=f"evt_receipt_{index}"))

    statuses = fire_webhooks_at_once(live_server, payloads)

    assert statuses == [200] * 50
    year = timezone.localtime().year
    numbers = sorted(Payment.objects.values_list("receipt_number", flat=True))
    assert numbers == [f"{year}-{n:05d}" for n in range(1, 51)]
    assert Booking.objects.filter(status="confirmed").count() == 50
    assert sorted(Invoice.objects.values_list("number", flat=True)) == numbers
    assert Invoice.objects.filter(kind="invoice").count() == 50 == Payment.objects.filter(status="paid").count()
    for invoice in Invoice.objects.select_related("payment"):
        assert invoice.number == invoice.payment.receipt_number and invoice.total_cents == invoice.payment.amount_cents
