"""The HTTP side of the fake: ``FakeStripeServer`` and its request handler.

Standard library only (``http.server.ThreadingHTTPServer``), so a webhook
receiver may call back into the API while an event is being delivered.
"""

import base64
import binascii
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import routes
from .controls import TestControls
from .errors import StripeError
from .formdata import get_expand, parse
from .state import DEFAULT_API_VERSION, FakeStripeState
from .webhooks import WebhookSender

NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the "
    "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
    "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
    "details, or we can help at https://support.stripe.com/.")


def _mask(key):
    return key[:8] + "*" * 4 + key[-4:] if len(key) > 12 else key


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakestripe/1.0"
    timeout = 60  # idle keep-alive connections are dropped after this
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024  # headers and body leave in one write

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def log_message(self, format, *args):
        if self.server.fake.verbose:
            sys.stderr.write("fakestripe: " + format % args + "\n")

    # ------------------------------------------------------------------

    def _handle(self, method):
        fake = self.server.fake
        request_id = "req_" + uuid.uuid4().hex[:14]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        try:
            body = raw.decode("utf-8")
            params = parse(url.query if method in ("GET", "DELETE")
                           else body)
            found = routes.resolve(method, url.path)
            if found is None:
                raise StripeError(
                    f"Unrecognized request URL ({method}: {url.path}). Please "
                    "see https://stripe.com/docs or we can help at "
                    "https://support.stripe.com/.", status=404)
            kind, handler, args = found
            if kind == "api":
                self._check_key(fake)
            fake.deliver(fake.state.expire_due())
            key = self.headers.get("Idempotency-Key")
            call = routes.Call(fake, params, args,
                               {"id": request_id, "idempotency_key": key})
            if kind == "api" and method == "POST" and key:
                status, payload, replayed = fake.idempotent(
                    key, (method, url.path, params),
                    lambda: self._run(handler, call))
                fake.observe(f"{method} {url.path}", payload,
                             get_expand(params))
                self._send_json(status, payload, request_id, key, replayed)
                return
            reply = self._run(handler, call)
            if kind == "api":
                fake.observe(f"{method} {url.path}", reply.json,
                             get_expand(params))
            self._send_reply(reply, request_id, key)
        except StripeError as error:
            payload = self._error_bytes(error, request_id)
            if url.path.startswith("/v1/"):
                fake.observe(f"{method} {url.path}", payload)
            self._send_json(error.status, payload, request_id)
        except Exception as error:  # noqa: BLE001 - answer, never crash
            fake.log(f"internal error on {method} {url.path}: {error!r}")
            body = StripeError(f"Internal error in fake Stripe: {error!r}",
                               status=500, type="api_error")
            self._send_json(500, self._error_bytes(body, request_id),
                            request_id)

    @staticmethod
    def _run(handler, call):
        reply = handler(call)
        call.server.deliver(reply.events)
        return reply

    @staticmethod
    def _error_bytes(error, request_id):
        return json.dumps(error.body(request_id), indent=2).encode("utf-8")

    def _check_key(self, fake):
        header = self.headers.get("Authorization") or ""
        scheme, _, value = header.partition(" ")
        key = ""
        if scheme.lower() == "bearer":
            key = value.strip()
        elif scheme.lower() == "basic":
            try:
                key = base64.b64decode(value).decode("utf-8").split(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                key = ""
        if not key:
            raise StripeError(NO_KEY, status=401)
        if key.startswith(("sk_live_", "rk_live_")):
            raise StripeError(
                "This local fake Stripe only accepts test-mode keys "
                f"(sk_test_...), not {_mask(key)}.", status=401)
        valid = key.startswith(("sk_test_", "rk_test_")) and len(key) > 8
        if not valid or (fake.api_key and key != fake.api_key):
            raise StripeError(f"Invalid API Key provided: {_mask(key)}",
                              status=401)

    # ------------------------------------------------------------------

    def _send_reply(self, reply, request_id, key=None):
        if reply.json is not None:
            payload = json.dumps(reply.json, indent=2).encode("utf-8")
            self._send_json(reply.status, payload, request_id, key)
            return
        body = (reply.html or "").encode("utf-8")
        self.send_response(reply.status)
        if reply.location:
            self.send_header("Location", reply.location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status, payload, request_id, key=None,
                   replayed=False):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Request-Id", request_id)
        self.send_header("Stripe-Version", self.headers.get(
            "Stripe-Version") or self.server.fake.state.api_version)
        self.send_header("Cache-Control", "no-cache, no-store")
        if key:
            self.send_header("Idempotency-Key", key)
        if replayed:
            self.send_header("Idempotent-Replayed", "true")
        self.end_headers()
        self.wfile.write(payload)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # e.g. a browser that hung up mid-answer: not worth a traceback
        if self.fake.verbose:
            super().handle_error(request, client_address)


class FakeStripeServer(TestControls):
    """A local stand-in for Stripe's API, hosted checkout and webhooks.

    ``FakeStripeServer(port=0, webhook_url=..., webhook_secret=...)``, then
    ``start()`` (background thread) or ``serve_forever()``; ``url`` is the
    base address to give the stripe SDK.
    """

    def __init__(self, host="127.0.0.1", port=0, *, webhook_url=None,
                 webhook_secret="whsec_fakestripe", webhooks_enabled=True,
                 enabled_events=("*",), webhook_timeout=10.0, api_key=None,
                 public_url=None, seed=None, clock=time.time,
                 api_version=DEFAULT_API_VERSION, verbose=False):
        self.host, self.port = host, port
        self.api_key = api_key
        self.verbose = verbose
        self.webhooks = WebhookSender(
            webhook_url, webhook_secret, enabled=webhooks_enabled,
            enabled_events=enabled_events, timeout=webhook_timeout)
        self.state = FakeStripeState(seed=seed, clock=clock,
                                     api_version=api_version,
                                     wants_webhook=self.webhooks.wants)
        self._public_url = public_url
        self._httpd = None
        self._thread = None
        self._idem = {}
        self._idem_lock = threading.Lock()
        self._key_locks = {}
        # Called as observer(where, body, expand) with every API answer and
        # every webhook event sent, as JSON, and the expand[] asked for: the
        # tests check each against Stripe's schemas (``contract.py``).
        self.observer = None

    # ------------------------------------------------------------ lifecycle

    def bind(self):
        """Open the listening socket (port 0 picks a free port)."""
        if self._httpd is None:
            self._httpd = _HTTPServer((self.host, self.port), _Handler)
            self._httpd.fake = self
            self.port = self._httpd.server_address[1]
            self.state.public_url = self.url
        return self._httpd

    @property
    def url(self):
        if self._public_url:
            return self._public_url.rstrip("/")
        host = self.host if self.host not in ("", "0.0.0.0", "::") else (
            "127.0.0.1")
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    def start(self):
        """Serve in a background thread; returns ``self``."""
        httpd = self.bind()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01},
            name=f"fakestripe:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self.bind().serve_forever(poll_interval=0.2)

    def stop(self):
        if self._httpd is not None:
            if self._thread is not None:
                self._httpd.shutdown()
                self._thread.join(timeout=5)
            self._httpd.server_close()
            self._httpd = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def observe(self, where, payload, expand=()):
        if self.observer is not None:
            if isinstance(payload, (bytes, str)):
                payload = json.loads(payload)
            self.observer(where, payload, tuple(expand))

    def log(self, message):
        if self.verbose:
            sys.stderr.write(f"fakestripe: {message}\n")

    # ------------------------------------------------------------ webhooks

    def deliver(self, events):
        """Send events to the webhook endpoint now, in order."""
        for event in events:
            if self.webhooks.wants(event["type"]):
                self.observe(f"webhook {event['type']}", event)
                attempt = self.webhooks.send(event)
                self.state.mark_delivered(event["id"], attempt["ok"])
                self.log(f"webhook {event['type']} {event['id']} -> "
                         f"{attempt['status'] or attempt['error']}")

    def resend(self, event_id):
        """Deliver a stored event again (fresh signature); the attempt."""
        event = self.state.get(event_id)
        self.observe(f"webhook {event['type']}", event)
        attempt = self.webhooks.send(event)
        self.state.mark_delivered(event_id, attempt["ok"])
        return attempt

    def configure_webhooks(self, url=None, secret=None, enabled=None):
        if url is not None:
            self.webhooks.url = url or None
        if secret:
            self.webhooks.secret = secret
        if enabled is not None:
            self.webhooks.enabled = enabled

    def webhook_config(self):
        return {"url": self.webhooks.url, "enabled": self.webhooks.enabled,
                "enabled_events": list(self.webhooks.enabled_events)}

    @property
    def webhooks_enabled(self):
        return self.webhooks.enabled

    @webhooks_enabled.setter
    def webhooks_enabled(self, value):
        self.webhooks.enabled = bool(value)

    @property
    def deliveries(self):
        """Every delivery attempt: event_id, type, url, status, ok, error."""
        return [dict(attempt) for attempt in self.webhooks.attempts]

    @property
    def events(self):
        """Every event created so far, oldest first."""
        return self.state.all_events()

    def events_of_type(self, event_type):
        return [e for e in self.events if e["type"] == event_type]

    # ------------------------------------------------------- idempotency

    def idempotent(self, key, request, run):
        """Run once per key; replay the stored 2xx answer for the same key."""
        if len(key) > 255:
            raise StripeError("Idempotency key is too long (max 255 "
                              "characters).", param="Idempotency-Key")
        with self._idem_lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            stored = self._idem.get(key)
            if stored is not None:
                if stored[0] != request:
                    raise StripeError(
                        "Keys for idempotent requests can only be used with "
                        "the same parameters they were first used with. Try "
                        f"using a key other than '{key}' if you meant to "
                        "execute a different request.",
                        type="idempotency_error")
                return stored[1], stored[2], True
            reply = run()
            payload = json.dumps(reply.json, indent=2).encode("utf-8")
            if 200 <= reply.status < 300:
                self._idem[key] = (request, reply.status, payload)
            return reply.status, payload, False

    def reset(self):
        """Forget every object, event, delivery and idempotency key."""
        self.state.reset()
        self.webhooks.clear()
        with self._idem_lock:
            self._idem.clear()
            self._key_locks.clear()
