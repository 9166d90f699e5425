"""``expand[]``: replace ids in a response by the objects they name.

Paths may be dotted (``payment_intent.latest_charge``) and, on lists, start
with ``data.``.  Only fields Stripe lets you expand are accepted.
"""

import copy

from .errors import StripeError

# Fields that ``expand[]`` may name, per object (those that can hold an id).
EXPANDABLE = {
    "checkout.session": ("payment_intent", "line_items", "customer",
                         "invoice", "subscription", "setup_intent",
                         "payment_link"),
    "payment_intent": ("latest_charge", "customer", "payment_method",
                       "review", "application", "on_behalf_of"),
    "charge": ("payment_intent", "balance_transaction", "customer",
               "review", "application", "refunds"),
    "refund": ("charge", "payment_intent", "balance_transaction",
               "payment_method"),
    "customer": ("default_source", "test_clock"),
    "price": ("product",),
    "product": ("default_price",),
    "payment_method": ("customer",),
    "subscription": ("customer", "default_payment_method", "latest_invoice",
                     "test_clock", "pending_setup_intent", "schedule"),
    "invoice": ("customer", "default_payment_method", "payments",
                "test_clock", "latest_revision"),
    "setup_intent": ("customer", "payment_method", "latest_attempt",
                     "mandate"),
}
# Ids this fake can replace by the object they name.
EXPANDS_IDS = ("pi_", "ch_", "re_", "cs_", "pm_", "cus_", "sub_", "in_",
               "price_", "prod_", "clock_", "seti_", "setatt_")


def expand(state, obj, paths):
    for path in paths:
        _expand_one(state, obj, path.split("."), path)
    return obj


def _expand_one(state, obj, parts, path):
    if obj.get("object") == "list" and parts[0] == "data":
        for item in obj["data"]:
            _expand_one(state, item, parts[1:], path)
        return
    field = parts[0] if parts else ""
    if field not in EXPANDABLE.get(obj.get("object"), ()):
        raise StripeError(f"This property cannot be expanded ({path}).",
                          param="expand")
    value = obj.get(field)
    if obj["object"] == "checkout.session" and field == "line_items":
        value = state.line_items_list(obj["id"], limit=100)
    elif obj["object"] == "charge" and field == "refunds":
        value = state.charge_refunds(obj["id"])
    elif obj["object"] == "invoice" and field == "payments":
        value = state.invoice_payments_list(obj["id"])
    elif isinstance(value, str):
        if not value.startswith(EXPANDS_IDS):
            raise StripeError(
                f"This local fake cannot expand {path} ({value}).",
                param="expand")
        value = copy.deepcopy(state.find(value))
    obj[field] = value
    if len(parts) > 1 and isinstance(value, dict):
        _expand_one(state, value, parts[1:], path)
