"""Real parallel requests on PostgreSQL: the membership row lock keeps every promise. Fifty bookings of
the last class a membership allows give exactly one place; each of Stripe's events about a
subscription, delivered twenty times at once and out of order, changes the membership once."""

import json
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bookings.memberships import selling
from bookings.models import Booking, Membership, Payment, StripeEvent
from tests.bookings.parallel import fire_all_at_once, fire_webhooks_at_once, signed_in_cookie
from tests.memberships.conftest import is_relevant
from tests.memberships.members import a_class, membership_type, running

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_bookings_of_the_last_class_of_the_month_give_exactly_one(live_server, client_user):
    now = timezone.now()
    membership = running(client_user, membership_type(classes=4, name="4 lessen per maand"), now=now)
    for day in (1, 2, 3):
        session = a_class(now + timedelta(days=day, hours=1))
        Booking.objects.create(client=client_user, session=session, paid_with="membership", membership=membership,
                               status="confirmed", confirmed_at=now)
    sessions = [a_class(now + timedelta(days=4, minutes=10 * i), capacity=5) for i in range(50)]
    cookie = signed_in_cookie(client_user)

    results = fire_all_at_once(live_server, [(f"/boeken/{session.pk}/", "pay_with=membership", cookie) for session in sessions])

    assert all(status == 302 for status, _ in results), results
    assert sum(1 for _, location in results if location.endswith("/mijn-boekingen/")) == 1
    assert Booking.objects.filter(membership=membership, status="confirmed").count() == 4
    assert sum(session.places_taken for session in type(sessions[0]).objects.filter(pk__in=[s.pk for s in sessions])) == 1


def test_every_subscription_event_twenty_times_at_once_and_out_of_order_changes_the_membership_once(live_server, client_user,
                                                                                                    fake_stripe, clock):
    membership = selling.membership_buy(client=client_user, membership_type=membership_type(classes=4, carry_over=True))
    selling.checkout_start(membership=membership, success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}",
                           cancel_url="http://testserver/no")
    membership.refresh_from_db()
    fake_stripe.pay_subscription_checkout(membership.stripe_checkout_id, method="ideal")
    subscription = fake_stripe.subscription_of_session(membership.stripe_checkout_id)
    first_end = subscription["items"]["data"][0]["current_period_end"]
    fake_stripe.advance_clock(clock["id"], first_end + 3600)  # renewed and paid
    fake_stripe.fail_renewals(subscription["customer"])
    second_end = fake_stripe.get(subscription["id"])["items"]["data"][0]["current_period_end"]
    fake_stripe.advance_clock(clock["id"], second_end + 3600)  # the next renewal fails: past due
    relevant = [event for event in fake_stripe.events if is_relevant(event)]
    types = Counter(event["type"] for event in relevant)
    assert types["invoice.paid"] == 2 and types["invoice.payment_failed"] == 1 and types["customer.subscription.updated"] >= 2

    shuffled = relevant[:]
    random.Random(14).shuffle(shuffled)
    for start in range(0, len(shuffled), 3):  # three events at a time, twenty copies each, all at once in a jumble
        copies = [json.dumps(event).encode() for event in shuffled[start:start + 3] for _copy in range(20)]
        random.Random(start).shuffle(copies)
        statuses = fire_webhooks_at_once(live_server, copies)
        assert set(statuses) == {200}, statuses

    final = fake_stripe.get(subscription["id"])
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PAST_DUE and final["status"] == "past_due"
    assert membership.current_period_start.timestamp() == final["items"]["data"][0]["current_period_start"]
    assert membership.current_period_end.timestamp() == final["items"]["data"][0]["current_period_end"]
    assert membership.stripe_subscription_id == subscription["id"] and membership.payment_failed_at is not None
    payments = Payment.objects.filter(membership=membership)
    assert payments.count() == 2 and len({p.receipt_number for p in payments}) == 2
    assert StripeEvent.objects.filter(event_id__in=[e["id"] for e in relevant]).count() == len(relevant)
    subjects = Counter(message.subject for message in mail.outbox)
    assert subjects["Welkom: je abonnement Onbeperkt yoga is begonnen"] == 1
    assert subjects["Je abonnement Onbeperkt yoga is weer voor een maand betaald"] == 1
    assert subjects["De betaling van je abonnement is niet gelukt"] == 1
