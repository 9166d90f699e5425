"""Fixtures the bookings tests share."""

import pytest

from tests.bookings import stripe_events


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (emails, releases, refunds) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def deliver(client, committed):
    """Post a signed Stripe event to the webhook, and let what it queued for after the commit run."""
    def post(payload, **kwargs):
        with committed():
            return stripe_events.post(client, payload, **kwargs)
    return post
