"""Refunds: the part of the in-memory account that gives money back.

A mixin of ``FakeStripeState`` (it uses the state's lock, tables and
``_emit``); kept apart so each module stays small.
"""

import copy

from . import objects, validation
from .errors import StripeError
from .objects import page_of as _page


class RefundsMixin:
    def fail_next_refund(self, reason="declined"):
        with self.lock:
            self.refund_failures.append(reason or "declined")

    def _refundable_charge(self, spec):
        if spec["payment_intent"]:
            intent = self.find(spec["payment_intent"], kind="payment_intent",
                               param="payment_intent", status=400)
            charge = self.charges.get(intent["latest_charge"] or "")
            if charge is None or charge["status"] != "succeeded":
                raise StripeError(
                    "This PaymentIntent does not have a successful charge to "
                    "refund.", param="payment_intent",
                    code="charge_not_refundable")
            if spec["charge"] and spec["charge"] != charge["id"]:
                raise StripeError(
                    f"The charge {spec['charge']} does not belong to the "
                    f"PaymentIntent {intent['id']}.", param="charge")
            return charge
        charge = self.find(spec["charge"], kind="charge", param="charge",
                           status=400)
        if charge["status"] != "succeeded":
            raise StripeError(
                f"Charge {charge['id']} has not succeeded and cannot be "
                "refunded.", param="charge", code="charge_not_refundable")
        return charge

    def create_refund(self, params, request=None):
        spec = validation.refund_create(params)
        with self.lock:
            charge = self._refundable_charge(spec)
            remaining = charge["amount"] - charge["amount_refunded"]
            if remaining <= 0:
                raise StripeError(
                    f"Charge {charge['id']} has already been refunded.",
                    code="charge_already_refunded")
            amount = spec["amount"] or remaining
            if amount > remaining:
                cur = charge["currency"]
                raise StripeError(
                    f"Refund amount ({validation.format_amount(amount, cur)})"
                    " is greater than unrefunded amount on charge "
                    f"({validation.format_amount(remaining, cur)})",
                    param="amount", code="amount_too_large")
            refund = objects.refund(
                ids=self.ids, created=self.now(), charge_obj=charge,
                amount=amount, reason=spec["reason"],
                metadata=spec["metadata"],
                method_type=charge["payment_method_details"]["type"])
            self.refunds[refund["id"]] = refund
            events = []
            if self.refund_failures:
                failure = self.refund_failures.pop(0)
                self._emit(events, "refund.created", refund, request)
                refund.update(status="failed", failure_reason=failure,
                              failure_balance_transaction=self.ids.new("txn"))
                card = refund["destination_details"].get("card")
                if card is not None:
                    card["reference_status"] = "unavailable"
                self._emit(events, "refund.failed", refund)
                self._emit(events, "refund.updated", refund,
                           previous={"status": "pending"})
            else:
                refund.update(status="succeeded",
                              balance_transaction=self.ids.new("txn"))
                charge["amount_refunded"] += amount
                charge["refunded"] = (
                    charge["amount_refunded"] >= charge["amount"])
                self._emit(events, "refund.created", refund, request)
                self._emit(events, "charge.refunded", charge, request)
            return copy.deepcopy(refund), events

    def list_refunds(self, *, charge=None, payment_intent=None, limit=10,
                     starting_after=None):
        """Refunds, newest first, of one charge or payment intent if named."""
        with self.lock:
            if charge:
                self.find(charge, kind="charge", param="charge", status=400)
            if payment_intent:
                self.find(payment_intent, kind="payment_intent",
                          param="payment_intent", status=400)
            return _page(self._refunds_of(charge, payment_intent),
                         "/v1/refunds", limit, starting_after)

    def charge_refunds(self, charge_id):
        """``charge.refunds``, which Stripe includes only when expanded."""
        with self.lock:
            return _page(self._refunds_of(charge_id, None),
                         f"/v1/charges/{charge_id}/refunds", 100, None)

    def _refunds_of(self, charge, payment_intent):
        return [r for r in reversed(list(self.refunds.values()))
                if charge in (None, r["charge"])
                and payment_intent in (None, r["payment_intent"])]
