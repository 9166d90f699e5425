"""Checks on request parameters, with the messages Stripe gives.

Only the parameters this project uses are understood in depth; any other
real Stripe parameter of ``POST /v1/checkout/sessions`` is accepted and
ignored, and a parameter Stripe does not know at all is refused, as Stripe
refuses it, so a typo shows up here rather than in production.
"""

import re
from urllib.parse import urlsplit

from .errors import StripeError, missing, unknown_param
from .formdata import get_dict, get_int, get_list, get_metadata, get_str

CURRENCIES = frozenset("""
aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob
brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp
etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk
jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga
mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen
pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd
std szl thb tjs tnd top try ttd twd tzs uah ugx usd uyu uzs vnd vuv wst xaf
xcd xof xpf yer zar zmw
""".split())

ZERO_DECIMAL = frozenset(
    "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())

# Smallest amount Stripe charges, in the currency's minor unit.
MINIMUM_AMOUNT = {"eur": 50, "usd": 50, "gbp": 30, "chf": 50, "dkk": 250,
                  "nok": 300, "sek": 300, "pln": 200, "jpy": 50}

LOCALES = frozenset("""
auto bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hi-IN hr hu id it
ja ko lt lv ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW
""".split())

# Payment methods the hosted page can act out; others Stripe knows are refused
# with a clear message instead of being silently accepted.
SUPPORTED_METHODS = ("card", "ideal", "bancontact")
METHODS_NEEDING_EUR = ("ideal", "bancontact")

# Every top-level parameter Stripe accepts on POST /v1/checkout/sessions.
SESSION_PARAMS = frozenset("""
adaptive_pricing after_expiration allow_promotion_codes
allowed_payment_method_types automatic_tax billing_address_collection
branding_settings cancel_url client_reference_id consent_collection currency
custom_fields custom_text customer customer_account customer_creation
customer_email customer_update discounts excluded_payment_method_types expand
expires_at integration_identifier invoice_creation line_items locale
managed_payments metadata mode name_collection optional_items origin_context
payment_intent_data payment_method_collection payment_method_configuration
payment_method_data payment_method_options payment_method_types permissions
phone_number_collection redirect_on_completion return_url
saved_payment_method_options setup_intent_data shipping_address_collection
shipping_options submit_type subscription_data success_url tax_id_collection
ui_mode wallet_options
""".split())

LINE_ITEM_PARAMS = frozenset(
    "adjustable_quantity dynamic_tax_rates metadata price price_data quantity "
    "tax_rates".split())
PRICE_DATA_PARAMS = frozenset(
    "currency product product_data recurring tax_behavior unit_amount "
    "unit_amount_decimal".split())
PAYMENT_INTENT_DATA_PARAMS = frozenset(
    "application_fee_amount capture_method description metadata on_behalf_of "
    "receipt_email setup_future_usage shipping statement_descriptor "
    "statement_descriptor_suffix transfer_data transfer_group".split())

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
REFUND_PARAMS = frozenset(
    "amount charge currency customer expand instructions_email metadata "
    "origin payment_intent reason refund_application_fee "
    "reverse_transfer".split())


def check_known(params, allowed, prefix=""):
    for key in params:
        if key not in allowed:
            raise unknown_param(f"{prefix}[{key}]" if prefix else key)


def check_url(params, key):
    value = get_str(params, key, max_length=5000)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StripeError("Not a valid URL", param=key,
                          code="url_invalid")
    return value


def check_email(value, param):
    if value is not None and not EMAIL.match(value):
        raise StripeError(f"Invalid email address: {value}", param=param,
                          code="email_invalid")
    return value


def format_amount(amount, currency):
    """``1500, 'eur'`` -> ``'€15.00'`` (the way Stripe's messages write it)."""
    if currency in ZERO_DECIMAL:
        return f"{amount} {currency.upper()}"
    symbol = {"eur": "€", "usd": "$", "gbp": "£"}.get(currency)
    value = f"{amount / 100:.2f}"
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"


def _line_item(item, index, session_currency):
    path = f"line_items[{index}]"
    if not isinstance(item, dict):
        raise StripeError(f"Invalid object: {path}", param=path)
    check_known(item, LINE_ITEM_PARAMS, path)
    if item.get("price"):
        raise StripeError(
            f"No such price: '{item['price']}' (this local fake only knows "
            "line items with price_data)", param=f"{path}[price]",
            code="resource_missing")
    if "price_data" not in item:
        raise StripeError(
            f"You must specify either `price` or `price_data` in {path}.",
            param=path)
    data = get_dict(item, "price_data", f"{path}[price_data]")
    check_known(data, PRICE_DATA_PARAMS, f"{path}[price_data]")
    currency = get_str(data, "currency", f"{path}[price_data][currency]",
                       required=True).lower()
    if currency not in CURRENCIES:
        raise StripeError(
            f"Invalid currency: {currency}. Stripe currently supports these "
            f"currencies: {', '.join(sorted(CURRENCIES))}",
            param=f"{path}[price_data][currency]")
    if session_currency and currency != session_currency:
        raise StripeError(
            "All line items must have the same currency; "
            f"{path} uses {currency} but earlier ones use {session_currency}.",
            param=f"{path}[price_data][currency]")
    if data.get("recurring"):
        raise StripeError(
            "You specified `payment` mode but passed a recurring price. "
            "Either switch to `subscription` mode or use only one-time "
            "prices.", param=f"{path}[price_data][recurring]")
    unit_amount = get_int(data, "unit_amount",
                          f"{path}[price_data][unit_amount]", minimum=0)
    if unit_amount is None:
        raise missing(f"{path}[price_data][unit_amount]")
    product = get_dict(data, "product_data", f"{path}[price_data][product_data]")
    if data.get("product"):
        raise StripeError(
            f"No such product: '{data['product']}' (this local fake only "
            "knows product_data)", param=f"{path}[price_data][product]",
            code="resource_missing")
    name = get_str(product, "name", f"{path}[price_data][product_data][name]",
                   required=True, max_length=250)
    quantity = get_int(item, "quantity", f"{path}[quantity]", required=True,
                       minimum=1)
    if quantity > 999999:
        raise StripeError("Quantity must be at most 999999.",
                          param=f"{path}[quantity]")
    return {"currency": currency, "unit_amount": unit_amount,
            "quantity": quantity, "name": name,
            "description": get_str(product, "description"),
            "metadata": get_metadata(item, "metadata", f"{path}[metadata]")}


def _payment_method_types(params, currency):
    key = "payment_method_types"
    if key not in params and "allowed_payment_method_types" in params:
        key = "allowed_payment_method_types"
    types = [str(value) for value in get_list(params, key)]
    for index, method in enumerate(types):
        if method not in SUPPORTED_METHODS:
            raise StripeError(
                f"The payment method type `{method}` is not supported by "
                f"this local fake; use one of {', '.join(SUPPORTED_METHODS)}.",
                param=f"{key}[{index}]", code="payment_method_invalid")
        if method in METHODS_NEEDING_EUR and currency != "eur":
            raise StripeError(
                f"The payment method `{method}` requires currency `eur`, "
                f"but this Checkout Session uses `{currency}`.",
                param=f"{key}[{index}]")
    if types:
        return list(dict.fromkeys(types))
    return ["card", "ideal", "bancontact"] if currency == "eur" else ["card"]


def session_basics(params, *, now):
    """What every mode of ``POST /v1/checkout/sessions`` shares."""
    check_known(params, SESSION_PARAMS)
    mode = get_str(params, "mode", required=True)
    if mode not in ("payment", "setup", "subscription"):
        raise StripeError(
            "Invalid mode: must be one of payment, setup, or subscription",
            param="mode")
    ui_mode = get_str(params, "ui_mode")
    if ui_mode not in (None, "hosted", "hosted_page"):
        raise StripeError(
            f"This local fake supports only the hosted page, not ui_mode={ui_mode}.",
            param="ui_mode")
    success_url = check_url(params, "success_url")
    if success_url is None:
        raise missing("success_url")
    expires_at = get_int(params, "expires_at")
    if expires_at is None:
        expires_at = now + 24 * 3600
    elif expires_at < now + 30 * 60:
        raise StripeError(
            "The `expires_at` timestamp must be at least 30 minutes from "
            "Checkout Session creation.", param="expires_at")
    elif expires_at > now + 24 * 3600:
        raise StripeError(
            "The `expires_at` timestamp must be less than 24 hours from "
            "Checkout Session creation.", param="expires_at")
    locale = get_str(params, "locale")
    if locale is not None and locale not in LOCALES:
        raise StripeError(
            f"Invalid locale: {locale}. Stripe supports these locales: "
            f"{', '.join(sorted(LOCALES))}", param="locale")
    submit_type = get_str(params, "submit_type")
    if submit_type not in (None, "auto", "book", "donate", "pay",
                           "subscribe"):
        raise StripeError(
            "Invalid submit_type: must be one of auto, book, donate, pay or "
            "subscribe", param="submit_type")
    if submit_type and mode != "payment":
        raise StripeError(
            "`submit_type` can only be used in `payment` mode.",
            param="submit_type")
    return {
        "mode": mode, "success_url": success_url,
        "cancel_url": check_url(params, "cancel_url"),
        "expires_at": expires_at, "locale": locale,
        "submit_type": submit_type,
        "customer_email": check_email(get_str(params, "customer_email",
                                              max_length=800),
                                      "customer_email"),
        "client_reference_id": get_str(params, "client_reference_id",
                                       max_length=200),
        "metadata": get_metadata(params),
    }


def checkout_session_create(params, *, now, base=None):
    """Validate a payment-mode create request; returns the spec the objects are built from."""
    base = base or session_basics(params, now=now)
    for key in ("subscription_data", "setup_intent_data"):
        if key in params:
            raise StripeError(
                f"You can not pass `{key}` in `payment` mode.", param=key)
    raw_items = get_list(params, "line_items")
    if not raw_items:
        raise missing("line_items")
    if len(raw_items) > 100:
        raise StripeError("You may only specify up to 100 line items.",
                          param="line_items")
    items, currency = [], None
    for index, raw in enumerate(raw_items):
        item = _line_item(raw, index, currency)
        currency = item["currency"]
        items.append(item)
    top_currency = get_str(params, "currency")
    if top_currency and top_currency.lower() != currency:
        raise StripeError(
            f"The currency ({top_currency}) does not match the currency of "
            f"the line items ({currency}).", param="currency")
    total = sum(item["unit_amount"] * item["quantity"] for item in items)
    minimum = MINIMUM_AMOUNT.get(currency, 50)
    if total < minimum:
        raise StripeError(
            "The Checkout Session's total amount due must add up to at least "
            f"{format_amount(minimum, currency)} {currency}",
            param="line_items", code="amount_too_small")
    if total > 99999999:
        raise StripeError(
            "The Checkout Session's total amount due must be no more than "
            f"{format_amount(99999999, currency)} {currency}",
            param="line_items", code="amount_too_large")
    pi_data = get_dict(params, "payment_intent_data")
    check_known(pi_data, PAYMENT_INTENT_DATA_PARAMS, "payment_intent_data")
    if pi_data.get("capture_method") not in (None, "automatic",
                                             "automatic_async"):
        raise StripeError("This local fake supports only automatic capture.",
                          param="payment_intent_data[capture_method]")
    return dict(
        base, items=items, currency=currency, amount_total=total,
        payment_method_types=_payment_method_types(params, currency),
        payment_intent_data={
            "metadata": get_metadata(pi_data, "metadata",
                                     "payment_intent_data[metadata]"),
            "description": get_str(pi_data, "description",
                                   "payment_intent_data[description]",
                                   max_length=1000),
            "receipt_email": check_email(
                get_str(pi_data, "receipt_email"),
                "payment_intent_data[receipt_email]"),
        })


def refund_create(params):
    check_known(params, REFUND_PARAMS)
    payment_intent = get_str(params, "payment_intent") or None
    charge = get_str(params, "charge") or None
    if not payment_intent and not charge:
        raise StripeError(
            "One of the following params should be provided for this "
            "request: payment_intent or charge.", param="payment_intent",
            code="parameter_missing")
    reason = get_str(params, "reason") or None
    if reason is not None and reason not in REFUND_REASONS:
        raise StripeError(
            "Invalid reason: must be one of duplicate, fraudulent, or "
            "requested_by_customer", param="reason")
    amount = get_int(params, "amount")
    if amount is not None and amount < 1:
        raise StripeError("Invalid positive integer", param="amount")
    return {"payment_intent": payment_intent, "charge": charge,
            "amount": amount, "reason": reason,
            "metadata": get_metadata(params)}
