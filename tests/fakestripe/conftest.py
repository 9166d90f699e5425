"""The local Stripe with Stripe Billing, driven through the official SDK (no Django).

Reuses the stand-in, webhook receiver and SDK client of ``tests/devtools``;
every answer and event is held to Stripe's schemas by the ``fake`` fixture.
"""

from datetime import UTC, datetime

import pytest

from tests.devtools import conftest as devtools

# The stand-in on a free port, its webhook receiver and an SDK client.
receiver, fake, client = devtools.receiver, devtools.fake, devtools.client

# A fixed start for test clocks: Thursday 15 January 2026, 09:00 UTC.
T0 = int(datetime(2026, 1, 15, 9, 0, tzinfo=UTC).timestamp())
DAY = 86400
FEB_15 = int(datetime(2026, 2, 15, 9, 0, tzinfo=UTC).timestamp())
MAR_15 = int(datetime(2026, 3, 15, 9, 0, tzinfo=UTC).timestamp())
APR_15 = int(datetime(2026, 4, 15, 9, 0, tzinfo=UTC).timestamp())


def checkout_params(**overrides):
    params = {
        "mode": "subscription",
        "success_url": "http://studio.test/lid/?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://studio.test/lidmaatschap/",
        "payment_method_types": ["ideal", "card", "bancontact", "sepa_debit"],
        "metadata": {"membership_id": "7"},
        "subscription_data": {"metadata": {"membership_id": "7"}},
        "locale": "nl",
    }
    params.update(overrides)
    return params


@pytest.fixture
def clock(client):
    return client.v1.test_helpers.test_clocks.create(
        {"frozen_time": T0, "name": "lidmaatschap"})


@pytest.fixture
def monthly(client):
    """A price of € 49 a month for 'Onbeperkt yoga'."""
    return client.v1.prices.create({
        "currency": "eur", "unit_amount": 4900,
        "recurring": {"interval": "month"},
        "product_data": {"name": "Onbeperkt yoga"},
        "lookup_key": "onbeperkt-maand"})


@pytest.fixture
def member(client, clock):
    return client.v1.customers.create({
        "email": "anna@example.com", "name": "Anna de Vries",
        "test_clock": clock.id, "metadata": {"user_id": "12"}})


@pytest.fixture
def subscribed(client, fake, member, monthly):
    """Anna's paid monthly subscription on the test clock (paid with iDEAL)."""

    def start(method="ideal"):
        session = client.v1.checkout.sessions.create(checkout_params(
            customer=member.id, line_items=[{"price": monthly.id,
                                             "quantity": 1}]))
        paid = fake.pay_subscription_checkout(session.id, method)
        return client.v1.subscriptions.retrieve(paid["subscription"])

    return start


def types_since(fake, count):
    """The types of the events made after the first ``count``."""
    return [event["type"] for event in fake.events[count:]]
