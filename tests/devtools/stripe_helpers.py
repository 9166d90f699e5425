"""Helpers for driving the local Stripe without Django: plain HTTP, a webhook receiver, session parameters."""

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import stripe

SECRET = "whsec_test_fakestripe"
API_KEY = "sk_test_fakestripe_tests"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Plain urllib, no proxies and no redirect following (redirects are checked).
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                   _NoRedirect)


def http(method, url, data=None, headers=None):
    """``(status, headers, body text)`` of one plain HTTP request."""
    body = urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method,
                                     headers=headers or {})
    try:
        with HTTP.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def api_json(fake, path):
    """An object as raw JSON straight from the API (for key-set checks)."""
    status, _, body = http("GET", fake.url + path,
                           headers={"Authorization": f"Bearer {API_KEY}"})
    assert status == 200, body
    return json.loads(body)


class Receiver:
    """A tiny webhook endpoint that records raw payloads and signatures."""

    def __init__(self):
        self.requests = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                receiver.requests.append(
                    (self.rfile.read(length), dict(self.headers)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook/"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.01},
                                       daemon=True)
        self.thread.start()

    def events(self, event_type=None, secret=SECRET):
        """Received events, each checked with ``construct_event``."""
        verified = [stripe.Webhook.construct_event(
            payload, headers["Stripe-Signature"], secret)
            for payload, headers in self.requests]
        return [e for e in verified if event_type in (None, e.type)]

    def raw(self, event_type):
        return [json.loads(payload) for payload, _ in self.requests
                if json.loads(payload)["type"] == event_type]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def session_params(**overrides):
    params = {
        "mode": "payment",
        "success_url": "http://shop.test/paid/?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://shop.test/cancelled/",
        "line_items": [
            {"price_data": {"currency": "eur", "unit_amount": 1500,
                            "product_data": {"name": "Yin yoga, dinsdag"}},
             "quantity": 2},
            {"price_data": {"currency": "eur", "unit_amount": 500,
                            "product_data": {"name": "Matverhuur"}},
             "quantity": 1}],
        "payment_method_types": ["ideal", "card"],
        "customer_email": "klant@example.com",
        "locale": "nl",
        "client_reference_id": "booking-42",
        "metadata": {"booking_id": "42"},
        "payment_intent_data": {"metadata": {"booking_id": "42"}},
    }
    params.update(overrides)
    return params


def pay(fake, session_id, method):
    status, _, body = http(
        "POST", f"{fake.url}/_test/checkout/sessions/{session_id}/pay",
        {"method": method})
    assert status == 200, body
    return json.loads(body)
