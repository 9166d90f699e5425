"""Builders for Stripe objects, in the shapes of Stripe's OpenAPI schemas.

Every builder returns a plain dict shaped as ``spec3-subset.json`` describes
the object for the pinned API version: required fields always there,
nullable ones as ``None``, optional ones left out when unknown (never
``None``).  Objects refer to each other by id, as Stripe does when nothing
is expanded; the tests check every answer and event against the schemas
(``contract.py``).
"""

import copy
import json
import random
import string

_ALPHABET = string.ascii_letters + string.digits
ACCOUNT_TAG = "FkS7rP"  # stands in for the account part of Stripe's ids

# Test-mode payment method details shown on charges, per payment method.
IDEAL_DETAILS = {"bank": "ing", "bic": "INGBNL2A",
                 "generated_sepa_debit": None,
                 "generated_sepa_debit_mandate": None, "iban_last4": "5264",
                 "transaction_id": None, "verified_name": "Test Klant"}

# Test payment methods the hosted page and /_test/ endpoints understand:
# name -> (payment method type, what happens).
METHODS = {
    "ideal": ("ideal", "succeed"),
    "ideal_delayed": ("ideal", "delay"),
    "card": ("card", "succeed"),
    "card_declined": ("card", "decline"),
    "bancontact": ("bancontact", "succeed"),
    "sepa_debit": ("sepa_debit", "succeed"),
}


class Ids:
    """Stripe-looking ids; pass a seed for a repeatable sequence."""

    def __init__(self, seed=None):
        self._random = random.Random(seed) if seed is not None else (
            random.Random())  # seeded from the OS; ids need not be secret

    def _chars(self, count):
        return "".join(self._random.choices(_ALPHABET, k=count))

    def new(self, prefix):
        if prefix == "cs":
            return "cs_test_a1" + self._chars(56)
        if prefix in ("req", "prod"):
            return f"{prefix}_{self._chars(14)}"
        return f"{prefix}_3{ACCOUNT_TAG}{self._chars(17)}"

    def secret(self, count=25):
        return self._chars(count)


def empty_address(country=None):
    return {"city": None, "country": country, "line1": None, "line2": None,
            "postal_code": None, "state": None}


def clone(value):
    """A deep copy of plain JSON data (several times faster than ``copy.deepcopy``)."""
    return json.loads(json.dumps(value))


def list_object(data, url, has_more=False):
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def page_of(items, url, limit, starting_after):
    """One page of a Stripe list: the items after ``starting_after``, at most ``limit``."""
    if starting_after:
        ids = [item["id"] for item in items]
        items = items[ids.index(starting_after) + 1:] if (
            starting_after in ids) else []
    return list_object(copy.deepcopy(items[:limit]), url,
                       has_more=len(items) > limit)


# ---------------------------------------------------------------- checkout


def price(*, ids, created, currency, unit_amount, product_id):
    return {
        "id": ids.new("price"), "object": "price", "active": False,
        "billing_scheme": "per_unit", "created": created,
        "currency": currency, "custom_unit_amount": None,
        "livemode": False, "lookup_key": None, "metadata": {},
        "nickname": None, "product": product_id, "recurring": None,
        "tax_behavior": "unspecified", "tiers_mode": None,
        "transform_quantity": None, "type": "one_time",
        "unit_amount": unit_amount, "unit_amount_decimal": str(unit_amount),
    }


def line_item(*, ids, price_obj, quantity, description, metadata):
    amount = price_obj["unit_amount"] * quantity
    return {
        "id": ids.new("li"), "object": "item", "amount_discount": 0,
        "amount_subtotal": amount, "amount_tax": 0, "amount_total": amount,
        "currency": price_obj["currency"], "description": description,
        "price": price_obj, "quantity": quantity, "metadata": metadata,
        "adjustable_quantity": None,
    }


def checkout_session(*, ids, created, spec, url):
    """A new, open session; ``spec`` is the validated create request."""
    session_id = ids.new("cs")
    return {
        "id": session_id, "object": "checkout.session",
        "after_expiration": None, "allow_promotion_codes": None,
        "amount_subtotal": spec["amount_total"],
        "amount_total": spec["amount_total"],
        "automatic_tax": {"enabled": False, "liability": None,
                          "status": None, "provider": None},
        "billing_address_collection": None,
        "cancel_url": spec["cancel_url"],
        "client_reference_id": spec["client_reference_id"],
        "client_secret": None, "consent": None, "consent_collection": None,
        "created": created, "currency": spec["currency"],
        "custom_fields": [],
        "custom_text": {"after_submit": None, "shipping_address": None,
                        "submit": None, "terms_of_service_acceptance": None},
        "customer": None, "customer_creation": "if_required",
        "customer_details": None, "customer_email": spec["customer_email"],
        "expires_at": spec["expires_at"], "invoice": None,
        "invoice_creation": {
            "enabled": False,
            "invoice_data": {"account_tax_ids": None, "custom_fields": None,
                             "description": None, "footer": None,
                             "issuer": None, "metadata": {},
                             "rendering_options": None}},
        "livemode": False, "locale": spec["locale"],
        "metadata": spec["metadata"], "mode": spec["mode"],
        "payment_intent": None, "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": spec["payment_method_types"],
        "payment_status": "unpaid",
        "phone_number_collection": {"enabled": False},
        "recovered_from": None, "saved_payment_method_options": None,
        "setup_intent": None, "shipping_address_collection": None,
        "shipping_cost": None, "shipping_options": [], "status": "open",
        "submit_type": spec["submit_type"], "subscription": None,
        "success_url": spec["success_url"],
        "total_details": {"amount_discount": 0, "amount_shipping": 0,
                          "amount_tax": 0},
        "ui_mode": "hosted_page", "url": url.replace("{id}", session_id),
        "adaptive_pricing": {"enabled": False}, "discounts": [],
        "collected_information": None, "permissions": None,
        "wallet_options": None, "origin_context": None,
        "currency_conversion": None, "customer_account": None,
        "integration_identifier": None, "managed_payments": None,
    }


def customer_details(*, email, name):
    return {"address": empty_address("NL"), "email": email, "name": name,
            "phone": None, "tax_exempt": "none", "tax_ids": [],
            "business_name": None, "individual_name": None}


# ---------------------------------------------------------------- payments


def payment_intent(*, ids, created, session, pi_data, method_type):
    pi_id = ids.new("pi")
    return {
        "id": pi_id, "object": "payment_intent",
        "amount": session["amount_total"], "amount_capturable": 0,
        "amount_details": {"tip": {}}, "amount_received": 0,
        "application": None, "application_fee_amount": None,
        "automatic_payment_methods": None, "canceled_at": None,
        "cancellation_reason": None, "capture_method": "automatic",
        "client_secret": f"{pi_id}_secret_{ids.secret()}",
        "confirmation_method": "automatic", "created": created,
        "currency": session["currency"], "customer": None,
        "description": pi_data.get("description"),
        "last_payment_error": None, "latest_charge": None,
        "livemode": False, "metadata": dict(pi_data.get("metadata", {})),
        "next_action": None, "on_behalf_of": None, "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": [method_type], "processing": None,
        "receipt_email": pi_data.get("receipt_email"), "review": None,
        "setup_future_usage": None, "shipping": None,
        "statement_descriptor": None, "statement_descriptor_suffix": None,
        "status": "requires_payment_method", "transfer_data": None,
        "transfer_group": None,
        "excluded_payment_method_types": None, "customer_account": None,
        "managed_payments": None,
    }


def _card_details(declined):
    return {
        "amount_authorized": None if declined else 0, "brand": "visa",
        "checks": {"address_line1_check": None,
                   "address_postal_code_check": None, "cvc_check": "pass"},
        "country": "NL", "exp_month": 12, "exp_year": 2034,
        "extended_authorization": {"status": "disabled"},
        "fingerprint": "FkS7rPtestcard01", "funding": "credit",
        "incremental_authorization": {"status": "unavailable"},
        "installments": None, "last4": "0002" if declined else "4242",
        "mandate": None, "multicapture": {"status": "unavailable"},
        "network": "visa", "network_token": {"used": False},
        "overcapture": {"maximum_amount_capturable": 0,
                        "status": "unavailable"},
        "three_d_secure": None, "wallet": None,
        "authorization_code": None, "regulated_status": "unregulated",
        "network_transaction_id": None, "transaction_link_id": None,
    }


def payment_method_details(method_type, *, declined=False, amount=0):
    if method_type == "card":
        details = _card_details(declined)
        if not declined:
            details["amount_authorized"] = amount
            details["overcapture"]["maximum_amount_capturable"] = amount
        return {"card": details, "type": "card"}
    if method_type == "ideal":
        return {"ideal": dict(IDEAL_DETAILS), "type": "ideal"}
    return {method_type: {"bank_code": "VAPE", "bank_name": "VAN DE PUT & CO",
                          "bic": "VAPEBE22", "iban_last4": "7061",
                          "preferred_language": "nl",
                          "verified_name": "Test Klant"},
            "type": method_type}


def payment_method(*, ids, created, method_type, billing_email, billing_name,
                   declined=False):
    """The PaymentMethod a customer paid with on the hosted page."""
    if method_type == "card":
        details = {
            "brand": "visa", "checks": {"address_line1_check": None,
                                        "address_postal_code_check": None,
                                        "cvc_check": "pass"},
            "country": "NL", "display_brand": "visa", "exp_month": 12,
            "exp_year": 2034, "fingerprint": "FkS7rPtestcard01",
            "funding": "credit", "generated_from": None,
            "last4": "0002" if declined else "4242",
            "networks": {"available": ["visa"], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True}, "wallet": None}
    elif method_type == "ideal":
        details = {"bank": IDEAL_DETAILS["bank"], "bic": IDEAL_DETAILS["bic"]}
    else:
        details = {}
    return {
        "id": ids.new("pm"), "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": {"address": empty_address("NL"),
                            "email": billing_email, "name": billing_name,
                            "phone": None, "tax_id": None},
        "created": created, "customer": None, "customer_account": None,
        "livemode": False, "metadata": {}, "type": method_type,
        method_type: details,
    }


def payment_error(*, charge_obj, code, message, payment_method_obj,
                  decline_code=None):
    """A PaymentIntent's ``last_payment_error``: fields Stripe has no value for are left out."""
    error = {"charge": charge_obj["id"], "code": code,
             "doc_url": f"https://stripe.com/docs/error-codes/{code}",
             "message": message, "payment_method": payment_method_obj,
             "payment_method_type": payment_method_obj["type"],
             "type": "card_error"}
    if decline_code:
        error["decline_code"] = decline_code
    return error


OUTCOMES = {
    "succeeded": {"network_status": "approved_by_network", "reason": None,
                  "seller_message": "Payment complete.", "type": "authorized"},
    "pending": {"network_status": "approved_by_network", "reason": None,
                "seller_message": "Payment pending.", "type": "authorized"},
    "failed": {"network_status": "declined_by_network",
               "reason": "generic_decline",
               "seller_message": "The bank did not return any further "
                                 "details with this decline.",
               "type": "issuer_declined"},
}


def outcome(status):
    return {"advice_code": None, "network_advice_code": None,
            "network_decline_code": None, **OUTCOMES[status]}


def charge(*, ids, created, intent, method_type, payment_method_id,
           billing_email, billing_name, receipt_url, declined=False):
    charge_id = ids.new("ch")
    return {
        "id": charge_id, "object": "charge", "amount": intent["amount"],
        "amount_captured": 0, "amount_refunded": 0, "application": None,
        "application_fee": None, "application_fee_amount": None,
        "balance_transaction": None,
        "billing_details": {"address": empty_address("NL"),
                            "email": billing_email, "name": billing_name,
                            "phone": None, "tax_id": None},
        "calculated_statement_descriptor": "FAKESTRIPE TEST",
        "captured": False, "created": created,
        "currency": intent["currency"], "customer": None,
        "description": intent["description"], "disputed": False,
        "failure_balance_transaction": None, "failure_code": None,
        "failure_message": None, "fraud_details": {}, "livemode": False,
        "metadata": dict(intent["metadata"]), "on_behalf_of": None,
        "outcome": outcome("pending"), "paid": False,
        "payment_intent": intent["id"], "payment_method": payment_method_id,
        "payment_method_details": payment_method_details(
            method_type, declined=declined, amount=intent["amount"]),
        "receipt_email": intent["receipt_email"], "receipt_number": None,
        "receipt_url": receipt_url.replace("{id}", charge_id),
        "refunded": False,
        "review": None, "shipping": None, "source_transfer": None,
        "statement_descriptor": None, "statement_descriptor_suffix": None,
        "status": "pending", "transfer_data": None, "transfer_group": None,
    }


def refund(*, ids, created, charge_obj, amount, reason, metadata,
           method_type):
    if method_type == "card":
        # The card network's reference (ARN) comes days later; until then
        # Stripe leaves ``reference`` and ``reference_type`` out.
        destination = {"card": {"reference_status": "pending",
                                "type": "refund"},
                       "type": "card"}
    else:
        destination = {"type": method_type}
    return {
        "id": ids.new("re"), "object": "refund", "amount": amount,
        "balance_transaction": None, "charge": charge_obj["id"],
        "created": created, "currency": charge_obj["currency"],
        "destination_details": destination, "metadata": metadata,
        "payment_intent": charge_obj["payment_intent"], "reason": reason,
        "receipt_number": None, "source_transfer_reversal": None,
        "status": "pending", "transfer_reversal": None, "customer": None,
        "customer_account": None,
        "payment_method": charge_obj["payment_method"],
    }


def event(*, ids, created, type, obj, api_version, request=None,
          previous_attributes=None, pending_webhooks=0):
    data = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    request = request or {}
    return {
        "id": ids.new("evt"), "object": "event", "api_version": api_version,
        "created": created, "data": data, "livemode": False,
        "pending_webhooks": pending_webhooks,
        "request": {"id": request.get("id"),
                    "idempotency_key": request.get("idempotency_key")},
        "type": type,
    }
