"""What each URL does: Stripe's API under ``/v1/``, the hosted page under
``/c/pay/``, and the test controls under ``/_test/``.

A handler gets a ``Call`` and returns a ``Reply``; it never touches HTTP.
Events a handler causes travel back in ``Reply.events`` and are delivered by
the server before it answers.
"""

import re
from urllib.parse import quote

from . import checkout_page
from .billing_routes import BILLING_ROUTES
from .calls import Call, Reply  # noqa: F401 - the server reads them here
from .calls import limit_param as _limit
from .calls import state_of as _state
from .errors import StripeError
from .formdata import get_expand, get_int, get_str

# ------------------------------------------------------------- Stripe API


def session_create(call):
    state = _state(call)
    session = state.create_session(call.params)
    return Reply(json=state.expand(session, get_expand(call.params)))


def session_expire(call):
    state = _state(call)
    session, events = state.expire_session(call.args[0], call.request)
    return Reply(json=state.expand(session, get_expand(call.params)),
                 events=events)


def session_line_items(call):
    state = _state(call)
    listing = state.line_items_list(
        call.args[0], limit=_limit(call.params),
        starting_after=get_str(call.params, "starting_after"))
    return Reply(json=state.expand(listing, get_expand(call.params)))


def object_get(kind):
    def handler(call):
        return Reply(json=_state(call).get(
            call.args[0], kind=kind, expand=get_expand(call.params)))
    return handler


def refund_create(call):
    state = _state(call)
    refund, events = state.create_refund(call.params, call.request)
    return Reply(json=state.expand(refund, get_expand(call.params)),
                 events=events)


def refund_list(call):
    return Reply(json=_state(call).list_refunds(
        charge=get_str(call.params, "charge"),
        payment_intent=get_str(call.params, "payment_intent"),
        limit=_limit(call.params),
        starting_after=get_str(call.params, "starting_after")))


def event_list(call):
    return Reply(json=_state(call).list_events(
        event_type=get_str(call.params, "type"), limit=_limit(call.params),
        starting_after=get_str(call.params, "starting_after")))


# ------------------------------------------------------------ hosted page


def page_show(call):
    try:
        session, items, intent = _state(call).page(call.args[0])
    except StripeError:
        return Reply(status=404, html=checkout_page.render_not_found(
            "Onbekende betaalsessie / Unknown checkout session"))
    if session["status"] != "open":
        return Reply(html=checkout_page.render_closed(session, items, intent))
    return Reply(html=checkout_page.render_open(
        session, items, error=get_str(call.params, "error")))


def page_pay(call):
    session_id = call.args[0]
    page_url = f"/c/pay/{quote(session_id)}"
    try:
        session, _, _ = _state(call).page(session_id)
    except StripeError:
        return page_show(call)
    if session["status"] != "open":
        return Reply(status=303, location=page_url)
    method = get_str(call.params, "method") or ""
    try:
        session, events = _state(call).pay(
            session_id, method, email=get_str(call.params, "email") or None,
            name=get_str(call.params, "name") or None)
    except StripeError as error:
        return Reply(status=400, html=checkout_page.render_error(
            error.message))
    if session["status"] == "open":  # declined: back to the page
        return Reply(status=303, location=f"{page_url}?error=card_declined",
                     events=events)
    return Reply(status=303, location=checkout_page.success_redirect(session),
                 events=events)


def page_cancel(call):
    try:
        session, _, _ = _state(call).page(call.args[0])
    except StripeError:
        return page_show(call)
    if session["cancel_url"]:
        return Reply(status=303, location=session["cancel_url"])
    return Reply(html=checkout_page.render_cancelled())


def receipt(call):
    try:
        charge = _state(call).get(call.args[0], kind="charge")
    except StripeError:
        return Reply(status=404, html=checkout_page.render_not_found(
            "Onbekend betaalbewijs / Unknown receipt"))
    return Reply(html=checkout_page.render_receipt(charge))


# ---------------------------------------------------------- test controls


def test_pay(call):
    session, events = _state(call).pay(
        call.args[0], get_str(call.params, "method") or "ideal",
        email=get_str(call.params, "email"), name=get_str(call.params, "name"))
    return Reply(json=session, events=events)


def test_async_succeed(call):
    session, events = _state(call).settle(call.args[0], succeed=True)
    return Reply(json=session, events=events)


def test_async_fail(call):
    session, events = _state(call).settle(call.args[0], succeed=False)
    return Reply(json=session, events=events)


def test_expire(call):
    session, events = _state(call).expire_session(call.args[0])
    return Reply(json=session, events=events)


def test_events(call):
    event_type = get_str(call.params, "type")
    events = [event for event in _state(call).all_events()
              if not event_type or event["type"] == event_type]
    return Reply(json={"object": "list", "data": events,
                       "deliveries": call.server.deliveries})


def test_resend(call):
    _state(call).get(call.args[0], kind="event")  # 404 if unknown
    return Reply(json=call.server.resend(call.args[0]))


def test_fail_next_refund(call):
    reason = get_str(call.params, "failure_reason") or "declined"
    call.server.fail_next_refund(reason)
    return Reply(json={"pending_refund_failures":
                       len(_state(call).refund_failures)})


def test_reset(call):
    call.server.reset()
    return Reply(json={"reset": True})


def test_webhooks(call):
    if call.params:
        enabled = get_str(call.params, "enabled")
        call.server.configure_webhooks(
            url=get_str(call.params, "url"),
            secret=get_str(call.params, "secret"),
            enabled=None if enabled is None else enabled in ("true", "1"))
    return Reply(json=call.server.webhook_config())


def test_advance_clock(call):
    seconds = get_int(call.params, "seconds", required=True)
    events = call.server.advance_time(seconds, deliver=False)
    return Reply(json={"now": _state(call).now()}, events=events)


def index(call):
    return Reply(json={
        "fakestripe": True, "api_base": call.server.url,
        "webhook": call.server.webhook_config(),
        "help": "Point the stripe SDK at api_base; see devtools/fakestripe."})


_ID = r"([A-Za-z0-9_]+)"
# (HTTP method, path pattern, kind, handler); kind "api" needs an API key.
ROUTES = [
    ("POST", r"/v1/checkout/sessions", "api", session_create),
    ("GET", rf"/v1/checkout/sessions/{_ID}", "api",
     object_get("checkout.session")),
    ("POST", rf"/v1/checkout/sessions/{_ID}/expire", "api", session_expire),
    ("GET", rf"/v1/checkout/sessions/{_ID}/line_items", "api",
     session_line_items),
    ("GET", rf"/v1/payment_intents/{_ID}", "api",
     object_get("payment_intent")),
    ("POST", r"/v1/refunds", "api", refund_create),
    ("GET", r"/v1/refunds", "api", refund_list),
    ("GET", rf"/v1/refunds/{_ID}", "api",
     object_get("refund")),
    ("GET", rf"/v1/payment_methods/{_ID}", "api",
     object_get("payment_method")),
    ("GET", rf"/v1/charges/{_ID}", "api",
     object_get("charge")),
    ("GET", r"/v1/events", "api", event_list),
    ("GET", rf"/v1/events/{_ID}", "api",
     object_get("event")),
    ("GET", rf"/c/pay/{_ID}", "page", page_show),
    ("POST", rf"/c/pay/{_ID}", "page", page_pay),
    ("POST", rf"/c/pay/{_ID}/cancel", "page", page_cancel),
    ("GET", rf"/receipts/{_ID}", "page", receipt),
    ("POST", rf"/_test/checkout/sessions/{_ID}/pay", "test", test_pay),
    ("POST", rf"/_test/checkout/sessions/{_ID}/async_succeed", "test",
     test_async_succeed),
    ("POST", rf"/_test/checkout/sessions/{_ID}/async_fail", "test",
     test_async_fail),
    ("POST", rf"/_test/checkout/sessions/{_ID}/expire", "test", test_expire),
    ("GET", r"/_test/events", "test", test_events),
    ("POST", rf"/_test/events/{_ID}/resend", "test", test_resend),
    ("POST", r"/_test/refunds/fail_next", "test", test_fail_next_refund),
    ("POST", r"/_test/reset", "test", test_reset),
    ("GET", r"/_test/webhooks", "test", test_webhooks),
    ("POST", r"/_test/webhooks", "test", test_webhooks),
    ("POST", r"/_test/clock/advance", "test", test_advance_clock),
    *BILLING_ROUTES,
    ("GET", r"/", "page", index),
]
_COMPILED = [(m, re.compile(p + r"/?\Z"), kind, fn) for m, p, kind, fn in ROUTES]


def resolve(method, path):
    """``(kind, handler, args)`` for a request, or ``None`` when unknown."""
    for route_method, pattern, kind, handler in _COMPILED:
        match = pattern.match(path)
        if match and route_method == method:
            return kind, handler, match.groups()
    return None
