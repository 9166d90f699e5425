"""Checks on the parameters of subscription updates and cancellations,
invoice payments and test clocks (the rest of Billing: ``billing_validation.py``).
"""

from .errors import StripeError
from .formdata import get_bool, get_dict, get_int, get_str
from .validation import check_known

PAUSE_BEHAVIORS = ("keep_as_draft", "mark_uncollectible", "void")
SUBSCRIPTION_UPDATE_PARAMS = frozenset("""
add_invoice_items application_fee_percent automatic_tax billing_cycle_anchor
billing_schedules billing_thresholds cancel_at cancel_at_period_end
cancellation_details collection_method days_until_due default_payment_method
default_source default_tax_rates description discounts expand invoice_settings
items metadata off_session on_behalf_of pause_collection payment_behavior
payment_settings pending_invoice_item_interval proration_behavior
proration_date transfer_data trial_end trial_from_plan trial_settings
""".split())
# Accepted on an update and acted on; the rest of the known ones are either
# harmless (IGNORED) or would change what happens (refused: not supported).
SUBSCRIPTION_UPDATE_SUPPORTED = frozenset(
    "billing_cycle_anchor cancel_at_period_end cancellation_details "
    "default_payment_method description metadata pause_collection "
    "proration_behavior".split())
SUBSCRIPTION_UPDATE_IGNORED = frozenset(
    "expand off_session payment_behavior proration_date".split())
PRORATION_BEHAVIORS = ("always_invoice", "create_prorations", "none")
CANCEL_PARAMS = frozenset(
    "cancellation_details expand invoice_now prorate".split())
INVOICE_PAY_PARAMS = frozenset(
    "expand forgive mandate off_session paid_out_of_band payment_method "
    "source".split())
CLOCK_PARAMS = frozenset("expand frozen_time name".split())


def _not_supported(param, what="this request"):
    return StripeError(
        f"This local fake does not support `{param}` on {what}.",
        param=param)


def subscription_update(params, *, now):
    check_known(params, SUBSCRIPTION_UPDATE_PARAMS)
    for key in params:
        if key not in (SUBSCRIPTION_UPDATE_SUPPORTED
                       | SUBSCRIPTION_UPDATE_IGNORED):
            raise _not_supported(key, "subscription updates")
    spec = {}
    if "pause_collection" in params:
        spec["pause_collection"] = _pause(params["pause_collection"], now)
    if "cancel_at_period_end" in params:
        value = get_bool(params, "cancel_at_period_end")
        if value is None:
            raise StripeError("Invalid boolean: ''",
                              param="cancel_at_period_end")
        spec["cancel_at_period_end"] = value
    if "default_payment_method" in params:
        spec["default_payment_method"] = get_str(
            params, "default_payment_method") or None
    if "description" in params:
        spec["description"] = get_str(params, "description",
                                      max_length=500) or None
    if "metadata" in params:
        spec["metadata"] = params["metadata"]
    if "cancellation_details" in params:
        spec["cancellation_details"] = _cancellation_details(params)
    proration = _proration(params)
    if _reanchors(params):
        if proration != "none":  # Stripe's default is create_prorations
            raise StripeError(
                "This local fake makes no prorations: with "
                "`billing_cycle_anchor=now` pass `proration_behavior=none` "
                f"(not {proration}).", param="proration_behavior")
        spec["billing_cycle_anchor"] = "now"
    return spec


def _proration(params):
    value = get_str(params, "proration_behavior")
    if value is None:
        return "create_prorations"
    if value not in PRORATION_BEHAVIORS:
        raise StripeError(
            "Invalid proration_behavior: must be one of always_invoice, "
            "create_prorations, or none", param="proration_behavior")
    return value


def _reanchors(params):
    """``billing_cycle_anchor``: ``now`` starts a new period at once
    (``unchanged``, Stripe's other value, changes nothing)."""
    if "billing_cycle_anchor" not in params:
        return False
    value = params["billing_cycle_anchor"]
    if value not in ("now", "unchanged"):
        raise StripeError(
            "Invalid billing_cycle_anchor: must be one of now or unchanged "
            "(this local fake takes no timestamp on an update)",
            param="billing_cycle_anchor")
    return value == "now"


def _pause(raw, now):
    if raw == "":
        return None
    if not isinstance(raw, dict):
        raise StripeError("Invalid object: pause_collection",
                          param="pause_collection")
    check_known(raw, frozenset(("behavior", "resumes_at")),
                "pause_collection")
    behavior = get_str(raw, "behavior", "pause_collection[behavior]",
                       required=True)
    if behavior not in PAUSE_BEHAVIORS:
        raise StripeError(
            "Invalid pause_collection[behavior]: must be one of "
            "keep_as_draft, mark_uncollectible, or void",
            param="pause_collection[behavior]")
    resumes_at = get_int(raw, "resumes_at", "pause_collection[resumes_at]")
    if resumes_at is not None and resumes_at <= now:
        raise StripeError(
            "pause_collection[resumes_at] must be in the future.",
            param="pause_collection[resumes_at]")
    return {"behavior": behavior, "resumes_at": resumes_at}


def _cancellation_details(params):
    raw = get_dict(params, "cancellation_details")
    check_known(raw, frozenset(("comment", "feedback")),
                "cancellation_details")
    return {"comment": get_str(raw, "comment",
                               "cancellation_details[comment]",
                               max_length=5000) or None,
            "feedback": get_str(raw, "feedback",
                                "cancellation_details[feedback]") or None}


def subscription_cancel(params):
    check_known(params, CANCEL_PARAMS)
    if get_bool(params, "invoice_now") or get_bool(params, "prorate"):
        raise _not_supported("invoice_now" if params.get("invoice_now")
                             else "prorate", "cancellations")
    return {"cancellation_details": _cancellation_details(params)}


def invoice_pay(params):
    check_known(params, INVOICE_PAY_PARAMS)
    if params.get("source") or params.get("mandate"):
        raise _not_supported("source" if params.get("source") else "mandate")
    return {"payment_method": get_str(params, "payment_method") or None,
            "paid_out_of_band": bool(get_bool(params, "paid_out_of_band"))}


def clock_create(params):
    check_known(params, CLOCK_PARAMS)
    return {"frozen_time": get_int(params, "frozen_time", required=True,
                                   minimum=0),
            "name": get_str(params, "name", max_length=300) or None}


def clock_advance(params):
    check_known(params, frozenset(("expand", "frozen_time")))
    return get_int(params, "frozen_time", required=True, minimum=0)
