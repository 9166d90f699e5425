"""The local Stripe on a free port, held to Stripe's schemas, with a webhook receiver and an SDK client."""

import pytest
import stripe

from devtools.fakestripe import FakeStripeServer
from tests.stripe_contract import held_to_stripe_contract

from .stripe_helpers import API_KEY, SECRET, Receiver


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def fake(receiver, stripe_contract):
    server = FakeStripeServer(port=0, webhook_url=receiver.url,
                              webhook_secret=SECRET).start()
    try:
        with held_to_stripe_contract(server, stripe_contract):
            yield server
    finally:
        server.stop()


@pytest.fixture
def client(fake):
    return stripe.StripeClient(API_KEY, base_addresses={"api": fake.url},
                               max_network_retries=0)
