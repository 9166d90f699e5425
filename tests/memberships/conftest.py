"""Fixtures of the membership tests: a Stripe test clock that new customers belong to, and a way to
hand the stand-in's events to our webhook the way Stripe would (signed, each once unless replayed)."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from bookings.models import Membership
from tests.bookings import stripe_events

MEMBERSHIP_EVENTS = ("customer.subscription.", "invoice.", "checkout.session.")


@pytest.fixture
def clock(fake_stripe, settings):
    """A test clock at the real time; customers made from now on live on it."""
    made = fake_stripe.create_clock(int(time.time()), name="memberships")
    settings.STRIPE_TEST_CLOCK = made["id"]
    return made


class Events:
    """The stand-in's events, handed to our webhook in Stripe's order, each once (`new`), or again."""

    def __init__(self, fake_stripe, client, capture_on_commit):
        self.fake_stripe, self.client, self.capture, self.seen = fake_stripe, client, capture_on_commit, set()

    def _deliver(self, payload: bytes):
        with self.capture(execute=True):  # what the webhook queued for after its commit runs, as in production
            return stripe_events.post(self.client, payload)

    def new(self) -> list[dict]:
        fresh = [event for event in self.fake_stripe.events if event["id"] not in self.seen]
        self.seen.update(event["id"] for event in fresh)
        return fresh

    def deliver_new(self) -> list[dict]:
        delivered = self.new()
        for event in delivered:
            response = self._deliver(stripe_events_payload(event))
            assert response.status_code == 200, (event["type"], response.content)
        return delivered

    def deliver_again(self, events) -> None:
        for event in events:
            assert self._deliver(stripe_events_payload(event)).status_code == 200


def stripe_events_payload(event: dict) -> bytes:
    return json.dumps(event).encode()


@pytest.fixture
def events(fake_stripe, django_capture_on_commit_callbacks):
    return Events(fake_stripe, Client(), django_capture_on_commit_callbacks)


def buy(client, person, kind, fake_stripe, events, *, method="ideal") -> Membership:
    """She chooses the membership, pays its Checkout on the stand-in, and Stripe's events come in."""
    client.force_login(person)
    response = client.post(reverse("bookings:membership_buy"), {"membership_type": kind.pk})
    assert response.status_code == 302, response
    membership = Membership.objects.get(client=person, status=Membership.Status.INCOMPLETE)
    assert response["Location"] == membership.checkout_url
    fake_stripe.pay_subscription_checkout(membership.stripe_checkout_id, method=method)
    events.deliver_new()
    membership.refresh_from_db()
    return membership


def is_relevant(event: dict) -> bool:
    return event["type"].startswith(MEMBERSHIP_EVENTS)


__all__ = ["buy", "is_relevant", "stripe_events"]
