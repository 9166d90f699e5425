"""Checks on Stripe Billing request parameters, with the messages Stripe gives.

As in ``validation.py``: the parameters this project uses are understood,
other real Stripe parameters are accepted and ignored where ignoring them
cannot change the outcome, refused with a clear "not supported" where it
would, and a parameter Stripe does not know at all is refused as Stripe
refuses it.  Ids are checked by the state (it knows what exists).
"""

from .errors import StripeError, missing
from .formdata import get_bool, get_dict, get_int, get_list, get_metadata, get_str
from .validation import CURRENCIES, MINIMUM_AMOUNT, PRICE_DATA_PARAMS, check_email, check_known, format_amount

INTERVALS = ("day", "week", "month", "year")
MAX_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
SUBSCRIPTION_METHODS = ("card", "ideal", "bancontact", "sepa_debit")
SETUP_METHODS = ("card", "ideal", "bancontact", "sepa_debit")

CUSTOMER_PARAMS = frozenset("""
address balance cash_balance default_source description email expand
invoice_prefix invoice_settings metadata name next_invoice_sequence
payment_method phone preferred_locales shipping source tax tax_exempt
tax_id_data test_clock validate
""".split())
INVOICE_SETTINGS_PARAMS = frozenset(
    "custom_fields default_payment_method footer rendering_options".split())
PRODUCT_PARAMS = frozenset("""
active default_price_data description expand id images marketing_features
metadata name package_dimensions shippable statement_descriptor tax_code
tax_details type unit_label url
""".split())
PRICE_PARAMS = frozenset("""
active billing_scheme currency currency_options custom_unit_amount expand
lookup_key metadata nickname product product_data recurring tax_behavior
tiers tiers_mode transfer_lookup_key transform_quantity unit_amount
unit_amount_decimal
""".split())
PRODUCT_DATA_PARAMS = frozenset(
    "active id metadata name statement_descriptor tax_code unit_label "
    "description images tax_details".split())
RECURRING_PARAMS = frozenset(
    "interval interval_count meter trial_period_days usage_type".split())
SUBSCRIPTION_DATA_PARAMS = frozenset("""
application_fee_percent billing_cycle_anchor billing_mode default_tax_rates
description invoice_settings metadata on_behalf_of pending_invoice_item_interval
proration_behavior transfer_data trial_end trial_period_days trial_settings
""".split())
SETUP_INTENT_DATA_PARAMS = frozenset("description metadata on_behalf_of".split())


def _not_supported(param, what="this request"):
    return StripeError(
        f"This local fake does not support `{param}` on {what}.",
        param=param)


def customer_create(params):
    check_known(params, CUSTOMER_PARAMS)
    spec = customer_fields(params)
    spec["test_clock"] = get_str(params, "test_clock") or None
    spec["payment_method"] = get_str(params, "payment_method") or None
    return spec


def customer_fields(params):
    """The fields a create or an update may set (only those named)."""
    spec = {}
    for key, limit in (("name", 256), ("description", 350), ("phone", 20)):
        if key in params:
            spec[key] = get_str(params, key, max_length=limit) or None
    if "email" in params:
        spec["email"] = check_email(
            get_str(params, "email", max_length=512) or None, "email")
    if "metadata" in params:
        spec["metadata"] = params["metadata"]
    if "preferred_locales" in params:
        spec["preferred_locales"] = [
            str(value) for value in get_list(params, "preferred_locales")]
    settings = get_dict(params, "invoice_settings")
    check_known(settings, INVOICE_SETTINGS_PARAMS, "invoice_settings")
    if "default_payment_method" in settings:
        spec["default_payment_method"] = get_str(
            settings, "default_payment_method",
            "invoice_settings[default_payment_method]") or None
    return spec


def customer_update(params):
    check_known(params, CUSTOMER_PARAMS - {"payment_method", "test_clock"})
    return customer_fields(params)


def metadata_update(current, raw, path="metadata"):
    """Stripe's metadata merge: named keys set, ``""`` unsets one, ``metadata=""`` unsets all."""
    if raw == "":
        return {}
    changes = {key: value for key, value in get_dict({path: raw}, path).items()}
    kept = {key: value for key, value in changes.items() if value != ""}
    get_metadata({path: kept}, path, path)  # Stripe's limits
    merged = {key: value for key, value in current.items()
              if key not in changes}
    merged.update(kept)
    return merged


def product_data(data, path=None):
    """A product's fields (``POST /v1/products``, or ``product_data`` at ``path``)."""

    def at(key):
        return f"{path}[{key}]" if path else key

    if path:
        check_known(data, PRODUCT_DATA_PARAMS, path)
    return {"name": get_str(data, "name", at("name"), required=True,
                            max_length=250),
            "description": get_str(data, "description", at("description")),
            "metadata": get_metadata(data, "metadata", at("metadata"))}


def product_create(params):
    check_known(params, PRODUCT_PARAMS)
    spec = product_data(params)
    spec["active"] = get_bool(params, "active") is not False
    for key in ("default_price_data", "id"):
        if params.get(key):
            raise _not_supported(key)
    return spec


def recurring(data, path):
    check_known(data, RECURRING_PARAMS, path)
    interval = get_str(data, "interval", f"{path}[interval]", required=True)
    if interval not in INTERVALS:
        raise StripeError(
            "Invalid interval: must be one of day, month, week, or year",
            param=f"{path}[interval]")
    count = get_int(data, "interval_count", f"{path}[interval_count]",
                    minimum=1) or 1
    if MAX_DAYS[interval] * count > 366:
        raise StripeError(
            "Invalid recurring[interval_count]: maximum of one year interval "
            "allowed (1 year, 12 months, or 52 weeks).",
            param=f"{path}[interval_count]")
    for key in ("meter", "trial_period_days"):
        if data.get(key):
            raise _not_supported(f"{path}[{key}]")
    usage = get_str(data, "usage_type", f"{path}[usage_type]")
    if usage not in (None, "licensed"):
        raise _not_supported(f"{path}[usage_type]")
    return {"interval": interval, "interval_count": count}


def price_data(data, prefix="", *, require_recurring=False):
    """A price (``POST /v1/prices``, or a line item's ``price_data`` when
    ``prefix`` is e.g. ``line_items[0][price_data]``)."""

    def at(key):
        return f"{prefix}[{key}]" if prefix else key

    if prefix:
        check_known(data, PRICE_DATA_PARAMS, prefix)
    currency = get_str(data, "currency", at("currency"), required=True)
    currency = currency.lower()
    if currency not in CURRENCIES:
        raise StripeError(f"Invalid currency: {currency}.",
                          param=at("currency"))
    amount = get_int(data, "unit_amount", at("unit_amount"), minimum=0)
    if amount is None:
        raise missing(at("unit_amount"))
    spec = {"currency": currency, "unit_amount": amount,
            "product": get_str(data, "product", at("product")) or None,
            "product_data": None, "recurring": None,
            "tax_behavior": get_str(data, "tax_behavior",
                                    at("tax_behavior"))}
    if spec["tax_behavior"] not in (None, "exclusive", "inclusive",
                                    "unspecified"):
        raise StripeError("Invalid tax_behavior: must be one of exclusive, "
                          "inclusive, or unspecified",
                          param=at("tax_behavior"))
    if "product_data" in data:
        spec["product_data"] = product_data(
            get_dict(data, "product_data", at("product_data")),
            at("product_data"))
    if spec["product"] and spec["product_data"]:
        raise StripeError(
            "You may only specify one of these parameters: product, "
            "product_data.", param=at("product"))
    if not spec["product"] and not spec["product_data"]:
        raise StripeError(
            "You must specify either `product` or `product_data` when "
            "creating a price.", param=at("product"),
            code="parameter_missing")
    if data.get("recurring"):
        spec["recurring"] = recurring(
            get_dict(data, "recurring", at("recurring")),
            at("recurring"))
    elif require_recurring:
        raise StripeError(
            "You must use a recurring price in `subscription` mode (this "
            "local fake takes no one-time items there).",
            param=at("recurring"))
    return spec


def price_create(params):
    check_known(params, PRICE_PARAMS)
    for key in ("tiers", "tiers_mode", "custom_unit_amount",
                "transform_quantity", "currency_options"):
        if params.get(key):
            raise _not_supported(key)
    if params.get("billing_scheme") not in (None, "per_unit"):
        raise _not_supported("billing_scheme")
    spec = price_data(params)
    spec.update(metadata=get_metadata(params),
                nickname=get_str(params, "nickname") or None,
                lookup_key=get_str(params, "lookup_key",
                                   max_length=200) or None,
                active=get_bool(params, "active") is not False)
    return spec


def subscription_line_item(item, index):
    path = f"line_items[{index}]"
    if not isinstance(item, dict):
        raise StripeError(f"Invalid object: {path}", param=path)
    check_known(item, frozenset(
        "adjustable_quantity dynamic_tax_rates metadata price price_data "
        "quantity tax_rates".split()), path)
    price_id = get_str(item, "price", f"{path}[price]") or None
    if price_id and "price_data" in item:
        raise StripeError(
            f"You may only specify one of these parameters: price, "
            f"price_data (in {path}).", param=f"{path}[price]")
    data = None
    if not price_id:
        if "price_data" not in item:
            raise StripeError(
                f"You must specify either `price` or `price_data` in {path}.",
                param=path)
        data = price_data(get_dict(item, "price_data", f"{path}[price_data]"),
                          f"{path}[price_data]", require_recurring=True)
    quantity = get_int(item, "quantity", f"{path}[quantity]", required=True,
                       minimum=1)
    return {"price": price_id, "price_data": data, "quantity": quantity,
            "metadata": get_metadata(item, "metadata", f"{path}[metadata]"),
            "path": path}


def billing_session(params, base):
    """The subscription- or setup-mode part of ``POST /v1/checkout/sessions``.

    ``base`` holds what every mode shares (urls, expiry, locale, metadata);
    prices named by id are looked up by the state."""
    mode = base["mode"]
    if "payment_intent_data" in params:
        raise StripeError(
            f"You can not pass `payment_intent_data` in `{mode}` mode.",
            param="payment_intent_data")
    customer = get_str(params, "customer") or None
    if customer and base["customer_email"]:
        raise StripeError(
            "You may only specify one of these parameters: customer, "
            "customer_email.", param="customer_email")
    spec = dict(base, customer=customer)
    if mode == "setup":
        if params.get("line_items"):
            raise StripeError("You cannot pass `line_items` in `setup` mode.",
                              param="line_items")
        if "subscription_data" in params:
            raise StripeError(
                "You can not pass `subscription_data` in `setup` mode.",
                param="subscription_data")
        data = get_dict(params, "setup_intent_data")
        check_known(data, SETUP_INTENT_DATA_PARAMS, "setup_intent_data")
        spec.update(
            items=[], setup_intent_data={
                "metadata": get_metadata(data, "metadata",
                                         "setup_intent_data[metadata]"),
                "description": get_str(data, "description",
                                       "setup_intent_data[description]")},
            payment_method_types=_method_types(params, SETUP_METHODS) or [
                "card", "sepa_debit"])
        return spec
    if "setup_intent_data" in params:
        raise StripeError(
            "You can not pass `setup_intent_data` in `subscription` mode.",
            param="setup_intent_data")
    raw_items = get_list(params, "line_items")
    if not raw_items:
        raise missing("line_items")
    if len(raw_items) > 20:
        raise StripeError("You may only specify up to 20 line items in "
                          "`subscription` mode.", param="line_items")
    data = get_dict(params, "subscription_data")
    check_known(data, SUBSCRIPTION_DATA_PARAMS, "subscription_data")
    for key in ("trial_end", "trial_period_days", "trial_settings",
                "billing_cycle_anchor", "pending_invoice_item_interval"):
        if data.get(key):
            raise _not_supported(f"subscription_data[{key}]")
    spec.update(
        items=[subscription_line_item(raw, index)
               for index, raw in enumerate(raw_items)],
        subscription_data={
            "metadata": get_metadata(data, "metadata",
                                     "subscription_data[metadata]"),
            "description": get_str(data, "description",
                                   "subscription_data[description]",
                                   max_length=500)},
        payment_method_types=_method_types(params, SUBSCRIPTION_METHODS) or [
            "card", "ideal", "bancontact", "sepa_debit"])
    return spec


def check_session_total(total, currency):
    minimum = MINIMUM_AMOUNT.get(currency, 50)
    if total < minimum:
        raise StripeError(
            "The Checkout Session's total amount due must add up to at least "
            f"{format_amount(minimum, currency)} {currency}",
            param="line_items", code="amount_too_small")


def _method_types(params, allowed):
    types = [str(value) for value in get_list(params, "payment_method_types")]
    for index, method in enumerate(types):
        if method not in allowed:
            raise StripeError(
                f"The payment method type `{method}` is not supported by "
                f"this local fake in this mode; use one of "
                f"{', '.join(allowed)}.",
                param=f"payment_method_types[{index}]",
                code="payment_method_invalid")
    return list(dict.fromkeys(types))
