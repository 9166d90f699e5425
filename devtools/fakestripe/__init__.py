"""fakestripe: a local stand-in for the parts of Stripe this project uses.

A development and test tool, not part of the app.  Start it in-process::

    from devtools.fakestripe import FakeStripeServer
    server = FakeStripeServer(port=0, webhook_url="http://127.0.0.1:8000/stripe/webhook/",
                              webhook_secret="whsec_demo").start()
    stripe.api_base = server.url            # or StripeClient(key, base_addresses={"api": server.url})
    ...
    server.pay(session_id, method="ideal")  # as the customer would
    server.stop()

or from a shell: ``python -m devtools.fakestripe --port 12111 --webhook-url ... --webhook-secret ...``.

Stripe Billing (customers, prices, Checkout in ``subscription``/``setup``
mode, subscriptions, invoices, test clocks) and its test helpers::

    clock = server.create_clock(frozen_time)             # or the SDK's test_clocks.create
    server.pay_subscription_checkout(session_id, "ideal")  # iDEAL sets up SEPA Direct Debit
    server.complete_setup(session_id, "ideal")           # mode=setup: a new sepa_debit method
    server.advance_clock(clock_id, to)                   # renewals, retries, pauses fall due
    server.fail_renewals(customer_id, on=True)           # the customer's current methods fail
    server.pay_invoice(invoice_id, "card")               # the hosted invoice page, new method
    server.subscription_of_session(session_id)
    server.advance_time(seconds)                         # also renews clock-less subscriptions

Events and their order: ``README.md`` and ``clocks.py``.
"""

from .server import FakeStripeServer
from .state import DEFAULT_API_VERSION, METHODS
from .webhooks import signature_header

__all__ = ["FakeStripeServer", "DEFAULT_API_VERSION", "METHODS",
           "signature_header"]
