"""The contract test's hook: everything the local Stripe says during a test is checked against Stripe's own schemas."""

import json
from contextlib import contextmanager

import pytest


@contextmanager
def held_to_stripe_contract(server, contract):
    """Check every API answer, webhook event and stored event of the stand-in against Stripe's
    schemas; a test whose stand-in said what Stripe would not say fails (the contract test)."""
    sent = []
    server.observer = lambda where, body, expand: sent.append((where, body, expand))
    try:
        yield sent
    finally:
        server.observer = None
    checked, problems = set(), []
    for where, body, expand in [*sent, *((f"event {event['type']}", event, ()) for event in server.events)]:
        key = (json.dumps(body, sort_keys=True), expand)
        if key not in checked:
            checked.add(key)
            problems += contract.problems(body, where, expand=expand)
    if problems:
        pytest.fail("The local Stripe sent what Stripe would not (spec3-subset.json):\n  " + "\n  ".join(problems), pytrace=False)
