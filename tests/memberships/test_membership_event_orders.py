"""Stripe's events about a membership in unfriendly orders (Stripe promises neither order nor one
delivery): the invoice paid before the subscription is known, the Checkout completed before
anything else, a late "payment failed" after the same invoice was paid. Each event is signed and
posted to our webhook as Stripe would; what counts is the state read back from Stripe."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bookings.models import BookingPolicy, Invoice, Membership, Payment, QueuedMessage
from bookings.quiet_hours import queued_messages_send
from tests.memberships.conftest import buy
from tests.memberships.members import membership_type

pytestmark = pytest.mark.django_db

WELCOME = "Welkom: je abonnement Onbeperkt yoga is begonnen"
FAILED = "De betaling van je abonnement is niet gelukt"


def checkout_paid(client, person, fake_stripe, events) -> Membership:
    """She chose the membership and paid its Checkout; none of Stripe's events has come in yet."""
    client.force_login(person)
    client.post(reverse("bookings:membership_buy"), {"membership_type": membership_type().pk})
    membership = Membership.objects.get(client=person)
    fake_stripe.pay_subscription_checkout(membership.stripe_checkout_id, method="ideal")
    return membership


def one_of(delivered, event_type) -> dict:
    [found] = [event for event in delivered if event["type"] == event_type]
    return found


def state(membership: Membership) -> tuple:
    membership.refresh_from_db()
    return (membership.status, membership.stripe_subscription_id, membership.stripe_customer_id,
            membership.current_period_start, membership.current_period_end, membership.started_at, membership.ends_at,
            membership.payment_failed_at, membership.carried_over, membership.cancel_at_period_end)


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def as_new(event: dict, suffix: str) -> dict:
    """The same event under another id: the webhook's record of ids does not catch it, the sync must."""
    return {**event, "id": f"{event['id']}_{suffix}"}


def test_invoice_paid_alone_first_starts_it_and_the_rest_in_reverse_twice_changes_nothing(client, client_user, fake_stripe,
                                                                                         clock, events):
    membership = checkout_paid(client, client_user, fake_stripe, events)
    stripe_events = events.new()
    paid = one_of(stripe_events, "invoice.paid")
    events.deliver_again([paid])

    before = state(membership)
    assert membership.status == Membership.Status.ACTIVE and membership.stripe_subscription_id
    payment = Payment.objects.get(membership=membership)
    assert payment.amount_cents == 7900 and payment.stripe_invoice_id == paid["data"]["object"]["id"]
    assert Invoice.objects.filter(payment__membership=membership).count() == 1
    assert subjects().count(WELCOME) == 1

    rest = [event for event in reversed(stripe_events) if event is not paid]
    assert {"checkout.session.completed", "customer.subscription.created", "invoice.payment_succeeded"} <= {
        event["type"] for event in rest}
    events.deliver_again(rest)
    events.deliver_again(rest)  # Stripe's retries: the same ids
    events.deliver_again([as_new(event, "again") for event in [paid, *rest]])  # and as if new events

    assert state(membership) == before
    assert Payment.objects.filter(membership=membership).count() == 1
    assert Invoice.objects.filter(payment__membership=membership).count() == 1
    assert subjects().count(WELCOME) == 1


def test_checkout_completed_by_webhook_before_every_other_event_starts_it_with_one_payment(client, client_user, fake_stripe,
                                                                                          clock, events):
    membership = checkout_paid(client, client_user, fake_stripe, events)
    stripe_events = events.new()
    completed = one_of(stripe_events, "checkout.session.completed")
    events.deliver_again([completed])

    before = state(membership)
    assert membership.status == Membership.Status.ACTIVE and membership.current_period_end is not None
    assert Payment.objects.filter(membership=membership).count() == 1
    assert Invoice.objects.filter(payment__membership=membership).count() == 1
    assert subjects().count(WELCOME) == 1

    events.deliver_again([event for event in stripe_events if event is not completed])
    assert state(membership) == before
    assert Payment.objects.filter(membership=membership).count() == 1 and subjects().count(WELCOME) == 1


def test_a_late_payment_failed_after_the_same_invoice_was_paid_changes_nothing(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    fake_stripe.fail_renewals(membership.stripe_customer_id)
    renewal = membership.current_period_end + timedelta(hours=2)
    with time_machine.travel(renewal, tick=True):  # our clock and the test clock at the renewal
        fake_stripe.advance_clock(clock["id"], int(renewal.timestamp()))
        failing = events.new()
        failed = one_of(failing, "invoice.payment_failed")
        invoice_id = failed["data"]["object"]["id"]
        events.deliver_again([event for event in failing if event is not failed])  # the failure itself is late
        membership.refresh_from_db()
        assert membership.status == Membership.Status.PAST_DUE

        fake_stripe.pay_invoice(invoice_id, method="card")  # on the hosted invoice page, with a new card
        paying = events.new()
        assert one_of(paying, "invoice.paid")["data"]["object"]["id"] == invoice_id
        events.deliver_again(paying)
        after_paid = state(membership)
        assert membership.status == Membership.Status.ACTIVE and membership.payment_failed_at is None

        events.deliver_again([failed])  # at last, the old news
        events.deliver_again([as_new(failed, "again")])

    assert state(membership) == after_paid
    assert membership.status == Membership.Status.ACTIVE and membership.payment_failed_at is None
    assert FAILED not in subjects()
    assert membership.failure_emailed_for != invoice_id
    renewed = Payment.objects.get(membership=membership, stripe_invoice_id=invoice_id)
    assert renewed.method == "card" and Payment.objects.filter(membership=membership).count() == 2


@pytest.mark.parametrize("pays_before_morning", [False, True], ids=["still unpaid", "paid in the night"])
def test_a_renewal_failing_in_quiet_hours_is_told_when_they_end_unless_paid_by_then(client, client_user, fake_stripe, clock,
                                                                                   events, pays_before_morning):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    fake_stripe.fail_renewals(membership.stripe_customer_id)
    renewal = membership.current_period_end + timedelta(hours=2)
    local = timezone.localtime(renewal).replace(second=0, microsecond=0)
    policy = BookingPolicy.current()  # quiet hours around the renewal, whatever hour the test runs at
    policy.quiet_from, policy.quiet_until = (local - timedelta(hours=1)).time(), (local + timedelta(hours=3)).time()
    policy.save()
    cache.clear()
    with time_machine.travel(renewal, tick=True):
        fake_stripe.advance_clock(clock["id"], int(renewal.timestamp()))
        failing = events.deliver_new()
        invoice_id = one_of(failing, "invoice.payment_failed")["data"]["object"]["id"]
        membership.refresh_from_db()
        assert membership.status == Membership.Status.PAST_DUE and membership.failure_emailed_for == invoice_id
        assert FAILED not in subjects()
        [kept] = QueuedMessage.objects.all()
        assert kept.send_after == local + timedelta(hours=3)
        if pays_before_morning:
            fake_stripe.pay_invoice(invoice_id, method="card")
            events.deliver_new()

    morning = local + timedelta(hours=3)
    with time_machine.travel(morning, tick=False):
        assert queued_messages_send(now=morning) == (2 if pays_before_morning else 1)  # paid: "paid again" kept too
    assert subjects().count(FAILED) == (0 if pays_before_morning else 1)
    assert subjects().count("Je abonnement Onbeperkt yoga is weer voor een maand betaald") == (1 if pays_before_morning else 0)
