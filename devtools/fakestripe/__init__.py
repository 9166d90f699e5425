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
"""

from .server import FakeStripeServer
from .state import DEFAULT_API_VERSION, METHODS
from .webhooks import signature_header

__all__ = ["FakeStripeServer", "DEFAULT_API_VERSION", "METHODS",
           "signature_header"]
