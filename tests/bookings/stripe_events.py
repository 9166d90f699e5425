"""Webhook payloads signed in the test the way Stripe signs them (t=..., v1=HMAC-SHA256)."""

import hashlib
import hmac
import json
import time

from django.conf import settings


def sign(payload: bytes, *, secret=None, timestamp=None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    secret = secret or settings.STRIPE_WEBHOOK_SECRET
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict, *, event_id="evt_test_1") -> bytes:
    body = {
        "id": event_id, "object": "event", "api_version": "2026-10-28.endive", "created": int(time.time()),
        "livemode": False, "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None},
        "type": event_type, "data": {"object": obj},
    }
    return json.dumps(body).encode()


def post(client, payload: bytes, *, signature=None):
    return client.post("/stripe/webhook/", data=payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(payload))
