"""``python -m devtools.fakestripe``: run the fake Stripe server until Ctrl-C."""

import argparse
import sys

from .server import FakeStripeServer


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m devtools.fakestripe",
        description="Local stand-in for Stripe's API, hosted checkout page "
                    "and webhooks (test mode only).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", default=None,
                        help="where to POST signed events, e.g. "
                             "http://127.0.0.1:8000/stripe/webhook/")
    parser.add_argument("--webhook-secret", default="whsec_fakestripe")
    parser.add_argument("--no-webhooks", action="store_true",
                        help="record events but do not deliver them")
    parser.add_argument("--api-key", default=None,
                        help="accept only this sk_test_ key (default: any)")
    parser.add_argument("--public-url", default=None,
                        help="base URL browsers should use for the hosted "
                             "page (default: http://HOST:PORT)")
    parser.add_argument("--quiet", action="store_true",
                        help="do not log requests and deliveries")
    args = parser.parse_args(argv)
    server = FakeStripeServer(
        args.host, args.port, webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        webhooks_enabled=not args.no_webhooks, api_key=args.api_key,
        public_url=args.public_url, verbose=not args.quiet)
    server.bind()
    print(f"fakestripe listening on {server.url}", flush=True)
    print(f"  STRIPE_API_BASE={server.url}", flush=True)
    if args.webhook_url and not args.no_webhooks:
        print(f"  webhooks -> {args.webhook_url}", flush=True)
    else:
        print("  webhooks off (events are recorded only)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
