"""Signing and delivering webhook events the way Stripe does.

The ``Stripe-Signature`` header is ``t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<payload>" keyed with the whole endpoint secret>``, which is what
``stripe.Webhook.construct_event(payload, header, secret)`` checks.
Delivery is synchronous and never raises: every attempt is recorded.
"""

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Stripe does not follow redirects: a 3xx counts as a failed delivery."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxies: the endpoint is a local dev server, never the internet.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                      _NoRedirect)


def signature_header(payload, secret, timestamp=None):
    """The ``Stripe-Signature`` value for ``payload`` (bytes or str)."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    timestamp = int(time.time() if timestamp is None else timestamp)
    signed = str(timestamp).encode("ascii") + b"." + payload
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def encode_event(event):
    """Stripe sends events as indented JSON; receivers must use raw bytes."""
    return json.dumps(event, indent=2).encode("utf-8")


class WebhookSender:
    """Posts events to one endpoint and remembers every attempt."""

    def __init__(self, url=None, secret="whsec_fakestripe", *, enabled=True,
                 enabled_events=("*",), timeout=10.0):
        self.url = url
        self.secret = secret or "whsec_fakestripe"
        self.enabled = enabled
        self.enabled_events = tuple(enabled_events)
        self.timeout = timeout
        self.attempts = []
        self._lock = threading.Lock()

    @property
    def active(self):
        return bool(self.enabled and self.url)

    def wants(self, event_type):
        return self.active and ("*" in self.enabled_events
                                or event_type in self.enabled_events)

    def send(self, event):
        """Deliver one event now; returns the attempt record (a dict)."""
        payload = encode_event(event)
        header = signature_header(payload, self.secret)
        attempt = {"event_id": event["id"], "type": event["type"],
                   "url": self.url, "status": None, "ok": False,
                   "error": None, "response_body": None,
                   "attempted_at": time.time()}
        request = urllib.request.Request(
            self.url, data=payload, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "Stripe-Signature": header, "User-Agent": USER_AGENT,
                     "Cache-Control": "no-cache", "Accept": "*/*; q=0.5, "
                     "application/xml"})
        try:
            with _OPENER.open(request, timeout=self.timeout) as resp:
                attempt["status"] = resp.status
                attempt["response_body"] = resp.read(2000).decode(
                    "utf-8", "replace")
        except urllib.error.HTTPError as error:
            attempt["status"] = error.code
            try:
                attempt["response_body"] = error.read(2000).decode(
                    "utf-8", "replace")
            except Exception:  # noqa: BLE001 - a broken body is still a reply
                pass
            attempt["error"] = f"HTTP {error.code}"
        except Exception as error:  # noqa: BLE001 - never crash the server
            attempt["error"] = f"{type(error).__name__}: {error}"
        attempt["ok"] = attempt["status"] is not None and (
            200 <= attempt["status"] < 300)
        with self._lock:
            self.attempts.append(attempt)
        return attempt

    def clear(self):
        with self._lock:
            self.attempts.clear()
