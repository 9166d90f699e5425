"""Real parallel requests against the live test server: every request connects first, then all are
sent at the same moment, so only the requests themselves race."""

import http.client
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string

from tests.bookings import stripe_events
from tests.signin import session_key_for

CSRF = _get_new_csrf_string()


def signed_in_cookie(user) -> str:
    """A real session for `user` plus a CSRF cookie, as a Cookie header."""
    return f"{settings.SESSION_COOKIE_NAME}={session_key_for(user)}; csrftoken={CSRF}"


def _all_at_once(live_server, requests, send) -> list:
    address = urlsplit(live_server.url)
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, request):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        connection.connect()  # connected first, so only the requests themselves race
        barrier.wait()
        try:
            results[index] = send(connection, request)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def fire_all_at_once(live_server, requests) -> list[tuple[int, str]]:
    """POST every (path, body, cookie) at the same moment; return the HTTP statuses and Location headers."""
    def send(connection, request):
        path, body, cookie = request
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": CSRF}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""

    return _all_at_once(live_server, requests, send)


def fire_webhooks_at_once(live_server, payloads) -> list[int]:
    """Post every signed Stripe event to the webhook at the same moment; return the HTTP statuses."""
    def send(connection, payload):
        connection.request("POST", "/stripe/webhook/", body=payload,
                           headers={"Content-Type": "application/json", "Stripe-Signature": stripe_events.sign(payload)})
        response = connection.getresponse()
        response.read()
        return response.status

    return _all_at_once(live_server, payloads, send)


def run_at_once(jobs) -> list:
    """Call every job (a function of no arguments) in a thread of its own, with its own database
    connection, released at the same moment; return what each returned, or the exception it raised."""
    from django.db import connection

    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
