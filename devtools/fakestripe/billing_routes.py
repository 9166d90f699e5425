"""Routes of Stripe Billing: customers, products, prices, subscriptions,
invoices, setup intents and test clocks under ``/v1/``; the hosted invoice
page under ``/i/``; and their test controls under ``/_test/``.
"""

from urllib.parse import quote

from . import checkout_page
from .calls import Reply
from .calls import limit_param as _limit
from .calls import state_of as _state
from .errors import StripeError
from .formdata import get_bool, get_expand, get_list, get_str


def _answer(call, obj, events=()):
    return Reply(json=_state(call).expand(obj, get_expand(call.params)),
                 events=list(events))


def _get(kind):
    def handler(call):
        return Reply(json=_state(call).get(
            call.args[0], kind=kind, expand=get_expand(call.params)))
    return handler


def _made(method_name, *with_id):
    """A handler calling ``state.<method_name>([id,] params, request)``."""
    def handler(call):
        method = getattr(_state(call), method_name)
        obj, events = method(*call.args[:len(with_id)], call.params,
                             call.request)
        return _answer(call, obj, events)
    return handler


def _page_args(call):
    return {"limit": _limit(call.params),
            "starting_after": get_str(call.params, "starting_after")}


def customer_list(call):
    return _answer(call, _state(call).list_customers(
        email=get_str(call.params, "email"), **_page_args(call)))


def price_list(call):
    return _answer(call, _state(call).list_prices(
        product=get_str(call.params, "product"),
        active=get_bool(call.params, "active"),
        lookup_keys=[str(k) for k in get_list(call.params, "lookup_keys")],
        **_page_args(call)))


def subscription_list(call):
    status = get_str(call.params, "status")
    if status not in (None, "active", "all", "canceled", "ended",
                      "incomplete", "incomplete_expired", "past_due",
                      "paused", "trialing", "unpaid"):
        raise StripeError(f"Invalid status: {status}", param="status")
    return _answer(call, _state(call).list_subscriptions(
        customer=get_str(call.params, "customer"), status=status,
        **_page_args(call)))


def invoice_list(call):
    status = get_str(call.params, "status")
    if status not in (None, "draft", "open", "paid", "uncollectible", "void"):
        raise StripeError(
            "Invalid status: must be one of draft, open, paid, "
            "uncollectible, or void", param="status")
    return _answer(call, _state(call).list_invoices(
        customer=get_str(call.params, "customer"),
        subscription=get_str(call.params, "subscription"), status=status,
        **_page_args(call)))


def invoice_pay(call):
    invoice, events, error = _state(call).pay_invoice(
        call.args[0], call.params, call.request)
    if error is not None:
        call.server.deliver(events)  # Stripe sends invoice.payment_failed too
        raise error
    return _answer(call, invoice, events)


def clock_list(call):
    return _answer(call, _state(call).list_clocks(**_page_args(call)))


def clock_delete(call):
    deleted, events = _state(call).delete_clock(call.args[0], call.request)
    return Reply(json=deleted, events=events)


def subscription_cancel(call):
    sub, events = _state(call).cancel_subscription(
        call.args[0], call.params, call.request)
    return _answer(call, sub, events)


# ------------------------------------------------------ hosted invoice page


def invoice_page(call):
    try:
        invoice = _state(call).get(call.args[0], kind="invoice")
    except StripeError:
        return Reply(status=404, html=checkout_page.render_not_found(
            "Onbekende factuur / Unknown invoice"))
    return Reply(html=checkout_page.render_invoice(
        invoice, error=get_str(call.params, "error")))


def invoice_page_pay(call):
    page_url = f"/i/{quote(call.args[0])}"
    method = get_str(call.params, "method") or ""
    if method not in checkout_page.INVOICE_METHODS:
        return Reply(status=400, html=checkout_page.render_error(
            f"Unknown method '{method}'."))
    try:
        _, events, error = _state(call).pay_invoice_as_customer(
            call.args[0], method)
    except StripeError as error:
        return Reply(status=400, html=checkout_page.render_error(
            error.message))
    location = f"{page_url}?error=declined" if error else page_url
    return Reply(status=303, location=location, events=events)


# ---------------------------------------------------------- test controls


def test_fail_renewals(call):
    on = get_bool(call.params, "on")
    failing = call.server.fail_renewals(call.args[0], on=on is not False)
    return Reply(json={"customer": call.args[0], "failing_methods": failing})


def test_invoice_pay(call):
    invoice, events, error = _state(call).pay_invoice_as_customer(
        call.args[0], get_str(call.params, "method") or "card")
    if error is not None:
        call.server.deliver(events)
        raise error
    return Reply(json=invoice, events=events)


_ID = r"([A-Za-z0-9_]+)"
_CLOCKS = "/v1/test_helpers/test_clocks"
# (HTTP method, path pattern, kind, handler); kind "api" needs an API key.
BILLING_ROUTES = [
    ("POST", r"/v1/customers", "api", _made("create_customer")),
    ("GET", r"/v1/customers", "api", customer_list),
    ("GET", rf"/v1/customers/{_ID}", "api", _get("customer")),
    ("POST", rf"/v1/customers/{_ID}", "api", _made("update_customer", "id")),
    ("POST", r"/v1/products", "api", _made("create_product")),
    ("GET", rf"/v1/products/{_ID}", "api", _get("product")),
    ("POST", r"/v1/prices", "api", _made("create_price")),
    ("GET", r"/v1/prices", "api", price_list),
    ("GET", rf"/v1/prices/{_ID}", "api", _get("price")),
    ("GET", r"/v1/subscriptions", "api", subscription_list),
    ("GET", rf"/v1/subscriptions/{_ID}", "api", _get("subscription")),
    ("POST", rf"/v1/subscriptions/{_ID}", "api",
     _made("update_subscription", "id")),
    ("DELETE", rf"/v1/subscriptions/{_ID}", "api", subscription_cancel),
    ("GET", r"/v1/invoices", "api", invoice_list),
    ("GET", rf"/v1/invoices/{_ID}", "api", _get("invoice")),
    ("POST", rf"/v1/invoices/{_ID}/pay", "api", invoice_pay),
    ("GET", rf"/v1/setup_intents/{_ID}", "api", _get("setup_intent")),
    ("POST", _CLOCKS, "api", _made("create_clock")),
    ("GET", _CLOCKS, "api", clock_list),
    ("GET", rf"{_CLOCKS}/{_ID}", "api", _get("test_helpers.test_clock")),
    ("DELETE", rf"{_CLOCKS}/{_ID}", "api", clock_delete),
    ("POST", rf"{_CLOCKS}/{_ID}/advance", "api",
     _made("advance_clock", "id")),
    ("GET", rf"/i/{_ID}", "page", invoice_page),
    ("POST", rf"/i/{_ID}", "page", invoice_page_pay),
    ("POST", rf"/_test/customers/{_ID}/fail_renewals", "test",
     test_fail_renewals),
    ("POST", rf"/_test/invoices/{_ID}/pay", "test", test_invoice_pay),
]
