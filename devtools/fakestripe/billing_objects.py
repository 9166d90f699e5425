"""Builders for Stripe Billing objects, in the shapes of ``spec3-subset.json``.

Customers, products, recurring prices, subscriptions and their items,
invoices with their lines and payments, test clocks and setup intents.  As
in ``objects.py``: required fields always there, nullable ones ``None``,
optional ones left out when Stripe has no value, references as ids.  The
current API's places: an invoice names its subscription under
``parent.subscription_details.subscription`` and its payments under the
includable ``payments``; a subscription's periods are on its items.
"""

import calendar
from datetime import UTC, datetime

from . import objects

ACCOUNT_NAME = "Tree of Life (fakestripe test)"
SEPA_DETAILS = {"bank_code": "INGB", "branch_code": "", "country": "NL",
                "fingerprint": "FkS7rPsepadebit1", "last4": "5264"}


def add_months(timestamp, months, anchor_day):
    """``timestamp`` moved ``months`` on, on ``anchor_day`` (clamped to the month's length), in UTC."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(anchor_day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def period_end(start, recurring, anchor_day):
    """The end of a billing period that starts at ``start``."""
    count, interval = recurring["interval_count"], recurring["interval"]
    if interval == "month":
        return add_months(start, count, anchor_day)
    if interval == "year":
        return add_months(start, 12 * count, anchor_day)
    days = {"day": 1, "week": 7}[interval]
    return start + count * days * 86400


def customer(*, ids, created, spec, test_clock=None):
    return {
        "id": ids.new("cus"), "object": "customer", "address": None,
        "balance": 0, "created": created, "currency": None,
        "customer_account": None, "default_source": None,
        "delinquent": False, "description": spec.get("description"),
        "discount": None, "email": spec.get("email"),
        "invoice_prefix": ids.secret(8).upper(),
        "invoice_settings": {"custom_fields": None,
                             "default_payment_method": None, "footer": None,
                             "rendering_options": None},
        "livemode": False, "metadata": spec.get("metadata", {}),
        "name": spec.get("name"), "next_invoice_sequence": 1,
        "phone": spec.get("phone"),
        "preferred_locales": spec.get("preferred_locales", []),
        "shipping": None, "tax_exempt": "none", "test_clock": test_clock,
    }


def product(*, ids, created, spec):
    return {
        "id": ids.new("prod"), "object": "product",
        "active": spec.get("active", True), "created": created,
        "default_price": None, "description": spec.get("description"),
        "images": [], "livemode": False, "marketing_features": [],
        "metadata": spec.get("metadata", {}), "name": spec["name"],
        "package_dimensions": None, "shippable": None,
        "statement_descriptor": None, "tax_code": None, "unit_label": None,
        "updated": created, "url": None,
    }


def price(*, ids, created, spec, product_id):
    """A price; ``spec["recurring"]`` (interval, interval_count) makes it recurring."""
    built = objects.price(ids=ids, created=created, currency=spec["currency"],
                          unit_amount=spec["unit_amount"],
                          product_id=product_id)
    built.update(active=spec.get("active", True),
                 metadata=spec.get("metadata", {}),
                 nickname=spec.get("nickname"),
                 lookup_key=spec.get("lookup_key"),
                 tax_behavior=spec.get("tax_behavior") or "unspecified")
    if spec.get("recurring"):
        built["type"] = "recurring"
        built["recurring"] = {"interval": spec["recurring"]["interval"],
                              "interval_count": spec["recurring"][
                                  "interval_count"],
                              "meter": None, "usage_type": "licensed"}
    return built


def subscription_item(*, ids, created, price_obj, quantity, subscription_id,
                      start, end, metadata=None):
    return {
        "id": ids.new("si"), "object": "subscription_item",
        "billing_thresholds": None, "created": created,
        "current_period_end": end, "current_period_start": start,
        "discounts": [], "metadata": metadata or {}, "price": price_obj,
        "quantity": quantity, "subscription": subscription_id,
        "tax_rates": [],
    }


def subscription(*, ids, created, customer_obj, currency, metadata,
                 description, payment_method_id):
    sub_id = ids.new("sub")
    return {
        "id": sub_id, "object": "subscription", "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False,
                          "liability": None},
        "billing_cycle_anchor": created, "billing_cycle_anchor_config": None,
        "billing_mode": {"flexible": {"proration_discounts": "included"},
                         "type": "flexible", "updated_at": created},
        "billing_schedules": [], "billing_thresholds": None,
        "cancel_at": None, "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None,
                                 "reason": None},
        "collection_method": "charge_automatically", "created": created,
        "currency": currency, "customer": customer_obj["id"],
        "customer_account": None, "days_until_due": None,
        "default_payment_method": payment_method_id, "default_source": None,
        "default_tax_rates": [], "description": description,
        "discounts": [], "ended_at": None,
        "invoice_settings": {"account_tax_ids": None,
                             "issuer": {"type": "self"}},
        "items": objects.list_object(
            [], f"/v1/subscription_items?subscription={sub_id}"),
        "latest_invoice": None, "livemode": False, "metadata": metadata,
        "next_pending_invoice_item_invoice": None, "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {"payment_method_options": None,
                             "payment_method_types": None,
                             "save_default_payment_method": "off"},
        "pending_invoice_item_interval": None, "pending_setup_intent": None,
        "pending_update": None, "schedule": None, "start_date": created,
        "status": "active", "test_clock": customer_obj["test_clock"],
        "transfer_data": None, "trial_end": None,
        "trial_settings": {"end_behavior": {
            "missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def invoice_line(*, ids, item, subscription_obj, invoice_id, start, end,
                 product_name):
    price_obj = item["price"]
    amount = price_obj["unit_amount"] * item["quantity"]
    return {
        "id": ids.new("il"), "object": "line_item", "amount": amount,
        "currency": price_obj["currency"],
        "description": f"{item['quantity']} × {product_name}",
        "discount_amounts": [], "discountable": True, "discounts": [],
        "invoice": invoice_id, "livemode": False,
        "metadata": dict(subscription_obj["metadata"]),
        "parent": {"type": "subscription_item_details",
                   "invoice_item_details": None,
                   "subscription_item_details": {
                       "invoice_item": None, "proration": False,
                       "proration_details": {"credited_items": None},
                       "subscription": subscription_obj["id"],
                       "subscription_item": item["id"]}},
        "period": {"end": end, "start": start}, "pretax_credit_amounts": [],
        "pricing": {"price_details": {"price": price_obj["id"],
                                      "product": price_obj["product"]},
                    "type": "price_details",
                    "unit_amount_decimal": str(price_obj["unit_amount"])},
        "quantity": item["quantity"], "subtotal": amount, "taxes": [],
    }


def invoice(*, ids, created, customer_obj, subscription_obj, billing_reason,
            period_start, period_end):
    """A draft invoice of a subscription (lines are added by the caller)."""
    return {
        "id": ids.new("in"), "object": "invoice", "account_country": "NL",
        "account_name": ACCOUNT_NAME, "account_tax_ids": None,
        "amount_due": 0, "amount_overpaid": 0, "amount_paid": 0,
        "amount_paid_off_stripe": 0, "amount_remaining": 0,
        "amount_shipping": 0, "application": None, "attempt_count": 0,
        "attempted": False, "auto_advance": True,
        "automatic_tax": {"disabled_reason": None, "enabled": False,
                          "liability": None, "provider": None,
                          "status": None},
        "automatically_finalizes_at": created + 3600,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically", "created": created,
        "currency": subscription_obj["currency"], "custom_fields": None,
        "customer": customer_obj["id"], "customer_account": None,
        "customer_address": None, "customer_email": customer_obj["email"],
        "customer_name": customer_obj["name"], "customer_phone": None,
        "customer_shipping": None, "customer_tax_exempt": "none",
        "customer_tax_ids": [], "default_payment_method": None,
        "default_source": None, "default_tax_rates": [],
        "description": None, "discounts": [], "due_date": None,
        "effective_at": None, "ending_balance": None, "footer": None,
        "from_invoice": None, "hosted_invoice_url": None,
        "invoice_pdf": None, "issuer": {"type": "self"},
        "last_finalization_error": None, "latest_revision": None,
        "lines": objects.list_object([], "/v1/invoices/{id}/lines"),
        "livemode": False, "metadata": {}, "next_payment_attempt": None,
        "number": None, "on_behalf_of": None,
        "parent": {"quote_details": None,
                   "subscription_details": {
                       "metadata": dict(subscription_obj["metadata"]),
                       "subscription": subscription_obj["id"]},
                   "type": "subscription_details"},
        "payment_settings": {"default_mandate": None,
                             "payment_method_options": None,
                             "payment_method_types": None},
        "period_end": period_end, "period_start": period_start,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0, "receipt_number": None,
        "rendering": None, "shipping_cost": None, "shipping_details": None,
        "starting_balance": 0, "statement_descriptor": None,
        "status": "draft",
        "status_transitions": {"finalized_at": None,
                               "marked_uncollectible_at": None,
                               "paid_at": None, "voided_at": None},
        "subtotal": 0, "subtotal_excluding_tax": 0,
        "test_clock": customer_obj["test_clock"], "total": 0,
        "total_discount_amounts": [], "total_excluding_tax": 0,
        "total_pretax_credit_amounts": [], "total_taxes": [],
        "webhooks_delivered_at": None,
    }


def invoice_payment(*, ids, created, invoice_obj, intent_id):
    """One attempt to pay an invoice (``invoice.payments``, includable)."""
    return {
        "id": ids.new("inpay"), "object": "invoice_payment",
        "amount_paid": None, "amount_requested": invoice_obj["amount_due"],
        "created": created, "currency": invoice_obj["currency"],
        "invoice": invoice_obj["id"], "is_default": True, "livemode": False,
        "payment": {"payment_intent": intent_id, "type": "payment_intent"},
        "status": "open",
        "status_transitions": {"canceled_at": None, "paid_at": None},
    }


def test_clock(*, ids, created, frozen_time, name):
    return {
        "id": ids.new("clock"), "object": "test_helpers.test_clock",
        "created": created, "deletes_after": created + 30 * 86400,
        "frozen_time": frozen_time, "livemode": False, "name": name,
        "status": "ready", "status_details": {},
    }


def setup_intent(*, ids, created, customer_id, metadata, description,
                 method_types):
    seti_id = ids.new("seti")
    return {
        "id": seti_id, "object": "setup_intent", "application": None,
        "automatic_payment_methods": None, "cancellation_reason": None,
        "client_secret": f"{seti_id}_secret_{ids.secret()}",
        "created": created, "customer": customer_id,
        "description": description, "flow_directions": None,
        "last_setup_error": None, "latest_attempt": None, "livemode": False,
        "mandate": None, "metadata": metadata, "next_action": None,
        "on_behalf_of": None, "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {}, "payment_method_types": method_types,
        "single_use_mandate": None, "status": "requires_payment_method",
        "usage": "off_session",
    }


def sepa_debit_method(*, ids, created, billing_email, billing_name,
                      generated_from_charge=None, setup_attempt=None):
    """A SEPA Direct Debit PaymentMethod, e.g. generated by an iDEAL payment."""
    method = objects.payment_method(
        ids=ids, created=created, method_type="sepa_debit",
        billing_email=billing_email, billing_name=billing_name)
    method["sepa_debit"] = {
        **SEPA_DETAILS,
        "generated_from": {"charge": generated_from_charge,
                           "setup_attempt": setup_attempt}}
    return method


def sepa_debit_charge_details(mandate_id):
    return {"sepa_debit": {**SEPA_DETAILS, "mandate": mandate_id},
            "type": "sepa_debit"}
