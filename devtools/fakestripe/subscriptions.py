"""Subscriptions and their invoices in the in-memory account.

A mixin of ``FakeStripeState``.  A subscription starts when its Checkout
Session is paid (``start_subscription``); its first invoice is paid then.
Later invoices come from ``clocks.py`` when time passes a period's end.
Charging an invoice makes a PaymentIntent and a Charge (so refunds work as
for one-off payments) and an ``invoice_payment``; an invoice's retries reuse
its PaymentIntent, as Stripe's do.  A customer's methods fail when a test
asked so (``fail_renewals``).
"""

import copy
from datetime import UTC, datetime

from . import billing_objects as bo
from . import billing_validation as bv
from . import objects
from . import subscription_validation as sv
from .errors import StripeError, no_such
from .objects import page_of as _page

# Days after the previous attempt that a failed renewal is tried again (as a
# custom retry schedule in Stripe's settings); after the last, the
# subscription is canceled (Stripe's "cancel the subscription" setting).
RETRY_DAYS = (3, 5, 7)
FAILURES = {
    "card": ("card_declined", "Your card was declined.", "generic_decline"),
    "sepa_debit": ("insufficient_funds", "The customer's account has "
                   "insufficient funds to cover this payment.", None),
}
NO_METHOD = ("This customer has no attached payment source or default "
             "payment method. Please consider adding a default payment "
             "method.")


def _day(timestamp):
    return datetime.fromtimestamp(timestamp, UTC).day


def _not_supported_paused():
    return StripeError(
        "This local fake does not support `billing_cycle_anchor=now` on a "
        "subscription whose collection is paused; clear pause_collection "
        "first.", param="billing_cycle_anchor")


class SubscriptionsMixin:
    retry_days = RETRY_DAYS

    # ------------------------------------------------------------ start

    def start_subscription(self, session, spec, customer, method_type, email,
                           name, now, events):
        """A paid subscription-mode session: subscription, first invoice, payment (lock held)."""
        data = spec["subscription_data"]
        sub = bo.subscription(
            ids=self.ids, created=now, customer_obj=customer,
            currency=session["currency"], metadata=dict(data["metadata"]),
            description=data["description"], payment_method_id=None)
        for line in self.line_items[session["id"]]:
            price = copy.deepcopy(self.prices[line["price"]["id"]])
            end = bo.period_end(now, price["recurring"], _day(now))
            sub["items"]["data"].append(bo.subscription_item(
                ids=self.ids, created=now, price_obj=price,
                quantity=line["quantity"], subscription_id=sub["id"],
                start=now, end=end))
        customer["currency"] = customer["currency"] or sub["currency"]
        saved = self.saved_method(method_type, customer=customer,
                                  email=email, name=name, now=now)
        paid = saved
        if saved["type"] != method_type:  # iDEAL/Bancontact: set up SEPA
            paid = objects.payment_method(
                ids=self.ids, created=now, method_type=method_type,
                billing_email=email, billing_name=name)
            self.payment_methods[paid["id"]] = paid
        sub["default_payment_method"] = saved["id"]
        self.subscriptions[sub["id"]] = sub
        invoice = self.new_invoice(sub, "subscription_create", now, now, now)
        self._emit(events, "customer.subscription.created", sub, at=now)
        self._emit(events, "invoice.created", invoice, at=now)
        self.finalize(invoice, now)
        self._emit(events, "invoice.finalized", invoice, at=now)
        self.attempt(invoice, paid, now)
        if paid is not saved:
            charge = self.charges[self.payment_intents[
                self.invoice_payments[invoice["id"]][-1]["payment"][
                    "payment_intent"]]["latest_charge"]]
            mandate = self.ids.new("mandate")
            charge["payment_method_details"][method_type].update(
                generated_sepa_debit=saved["id"],
                generated_sepa_debit_mandate=mandate)
            saved["sepa_debit"]["generated_from"]["charge"] = charge["id"]
        self._emit(events, "invoice.paid", invoice, at=now)
        self._emit(events, "invoice.payment_succeeded", invoice, at=now)
        session.update(subscription=sub["id"], invoice=invoice["id"])

    # --------------------------------------------------------- invoices

    def new_invoice(self, sub, reason, now, period_start, period_end):
        """A draft invoice for the subscription's current item periods (lock held)."""
        customer = self.customers[sub["customer"]]
        invoice = bo.invoice(ids=self.ids, created=now, customer_obj=customer,
                             subscription_obj=sub, billing_reason=reason,
                             period_start=period_start, period_end=period_end)
        invoice["lines"]["url"] = f"/v1/invoices/{invoice['id']}/lines"
        for item in sub["items"]["data"]:
            invoice["lines"]["data"].append(bo.invoice_line(
                ids=self.ids, item=item, subscription_obj=sub,
                invoice_id=invoice["id"], start=item["current_period_start"],
                end=item["current_period_end"],
                product_name=self.products[item["price"]["product"]]["name"]))
        total = sum(line["amount"] for line in invoice["lines"]["data"])
        invoice.update(amount_due=total, amount_remaining=total,
                       subtotal=total, subtotal_excluding_tax=total,
                       total=total, total_excluding_tax=total)
        self.invoices[invoice["id"]] = invoice
        self.invoice_payments[invoice["id"]] = []
        sub["latest_invoice"] = invoice["id"]
        return invoice

    def finalize(self, invoice, now):
        customer = self.customers[invoice["customer"]]
        number = customer["next_invoice_sequence"]
        customer["next_invoice_sequence"] += 1
        invoice.update(status="open", number=f"{customer['invoice_prefix']}-"
                       f"{number:04d}", effective_at=now, ending_balance=0,
                       automatically_finalizes_at=None,
                       hosted_invoice_url=f"{self.public_url}/i/"
                       f"{invoice['id']}")
        invoice["status_transitions"]["finalized_at"] = now

    def _fails(self, customer_id, method_id):
        return method_id in self.failing_methods.get(customer_id, ())

    def attempt(self, invoice, method, now):
        """Try to collect an open invoice with ``method``; True when paid (lock held)."""
        invoice.update(attempted=True, attempt_count=invoice["attempt_count"]
                       + 1)
        if method is None:
            return False
        payments = self.invoice_payments[invoice["id"]]
        if payments and payments[-1]["status"] == "open":
            payment = payments[-1]
            intent = self.payment_intents[payment["payment"]["payment_intent"]]
        else:
            intent = objects.payment_intent(
                ids=self.ids, created=now,
                session={"amount_total": invoice["amount_due"],
                         "currency": invoice["currency"]},
                pi_data={"description": "Subscription creation"
                         if invoice["billing_reason"] == "subscription_create"
                         else "Subscription update"},
                method_type=method["type"])
            intent["customer"] = invoice["customer"]
            self.payment_intents[intent["id"]] = intent
            payment = bo.invoice_payment(ids=self.ids, created=now,
                                         invoice_obj=invoice,
                                         intent_id=intent["id"])
            payments.append(payment)
        fails = self._fails(invoice["customer"], method["id"])
        charge = objects.charge(
            ids=self.ids, created=now, intent=intent,
            method_type=method["type"], payment_method_id=method["id"],
            billing_email=method["billing_details"]["email"],
            billing_name=method["billing_details"]["name"],
            declined=fails and method["type"] == "card",
            receipt_url=f"{self.public_url}/receipts/{{id}}")
        charge["customer"] = invoice["customer"]
        if method["type"] == "sepa_debit":
            charge["payment_method_details"] = bo.sepa_debit_charge_details(
                self.ids.new("mandate"))
        self.charges[charge["id"]] = charge
        intent.update(payment_method=method["id"], latest_charge=charge["id"],
                      payment_method_types=[method["type"]],
                      last_payment_error=None)
        if fails:
            code, message, decline = FAILURES.get(method["type"],
                                                  FAILURES["sepa_debit"])
            self._fail_charge(charge, intent, code, message,
                              decline_code=decline)
            return False
        self._succeed_charge(charge, intent)
        payment.update(status="paid", amount_paid=invoice["amount_due"])
        payment["status_transitions"]["paid_at"] = now
        self._mark_paid(invoice, now)
        return True

    def _mark_paid(self, invoice, now, out_of_band=False):
        paid_field = "amount_paid_off_stripe" if out_of_band else "amount_paid"
        invoice.update(status="paid", amount_remaining=0,
                       next_payment_attempt=None)
        invoice[paid_field] = invoice["amount_due"]
        invoice["status_transitions"]["paid_at"] = now

    def after_paid(self, invoice, now, events, request=None, *,
                   out_of_band=False):
        self._emit(events, "invoice.paid", invoice, request, at=now)
        if not out_of_band:
            self._emit(events, "invoice.payment_succeeded", invoice, request,
                       at=now)
        sub = self.subscriptions.get(self.subscription_of(invoice) or "")
        latest = self.invoices.get((sub or {}).get("latest_invoice") or "")
        if (sub is not None and sub["status"] == "past_due"
                and latest["status"] != "open"):
            sub["status"] = "active"
            self._emit(events, "customer.subscription.updated", sub, request,
                       previous={"status": "past_due"}, at=now)

    def after_failed(self, invoice, now, events, request=None, *,
                     automatic=True):
        """``invoice.payment_failed``; Stripe's retries and, after the last, cancellation."""
        if automatic:
            count = invoice["attempt_count"]
            invoice["next_payment_attempt"] = (
                now + self.retry_days[count - 1] * 86400
                if count <= len(self.retry_days) else None)
        self._emit(events, "invoice.payment_failed", invoice, request, at=now)
        sub = self.subscriptions.get(self.subscription_of(invoice) or "")
        if sub is None or sub["status"] == "canceled":
            return
        if sub["status"] == "active" and sub["latest_invoice"] == invoice["id"]:
            sub["status"] = "past_due"
            self._emit(events, "customer.subscription.updated", sub, request,
                       previous={"status": "active"}, at=now)
        if automatic and invoice["next_payment_attempt"] is None:
            self.end_subscription(sub, now, "payment_failed", events)

    @staticmethod
    def subscription_of(invoice):
        parent = invoice["parent"] or {}
        return (parent.get("subscription_details") or {}).get("subscription")

    def pay_invoice(self, invoice_id, params, request=None):
        """``POST /v1/invoices/:id/pay``: ``(invoice, events, error or None)``."""
        spec = sv.invoice_pay(params)
        with self.lock:
            invoice = self.find(invoice_id, kind="invoice")
            customer = self.customers[invoice["customer"]]
            if invoice["status"] in ("paid", "void"):
                raise StripeError(f"Invoice is already {invoice['status']}.",
                                  code="invoice_not_open")
            now, events = self.now_for(customer["id"]), []
            if invoice["status"] == "draft":
                self.finalize(invoice, now)
                self._emit(events, "invoice.finalized", invoice, request,
                           at=now)
            if spec["paid_out_of_band"]:
                self._mark_paid(invoice, now, out_of_band=True)
                self.after_paid(invoice, now, events, request,
                                out_of_band=True)
                return copy.deepcopy(invoice), events, None
            if spec["payment_method"]:
                method = self._attached_method(customer, spec["payment_method"],
                                               "payment_method")
            else:
                sub = self.subscriptions.get(self.subscription_of(invoice) or "")
                method_id = ((sub or {}).get("default_payment_method")
                             or customer["invoice_settings"][
                                 "default_payment_method"])
                if method_id is None:
                    raise StripeError(NO_METHOD, code="invoice_no_payment_method")
                method = self.payment_methods[method_id]
            if self.attempt(invoice, method, now):
                self.after_paid(invoice, now, events, request)
                return copy.deepcopy(invoice), events, None
            self.after_failed(invoice, now, events, request, automatic=False)
            code, message, decline = FAILURES.get(method["type"],
                                                  FAILURES["sepa_debit"])
            error = StripeError(message, status=402, type="card_error",
                                code=code, extra={"decline_code": decline}
                                if decline else None)
            return copy.deepcopy(invoice), events, error

    def pay_invoice_as_customer(self, invoice_id, method_type):
        """The hosted invoice page: the customer pays with a new method."""
        with self.lock:
            invoice = self.find(invoice_id, kind="invoice")
            customer = self.customers[invoice["customer"]]
            method = self.saved_method(
                method_type, customer=customer, email=customer["email"],
                name=customer["name"] or "Test Klant",
                now=self.now_for(customer["id"]))
        return self.pay_invoice(invoice_id, {"payment_method": method["id"]})

    def invoice_payments_list(self, invoice_id):
        """``invoice.payments``, which Stripe includes only when expanded."""
        return objects.list_object(
            copy.deepcopy(list(reversed(self.invoice_payments[invoice_id]))),
            f"/v1/invoice_payments?invoice={invoice_id}")

    def list_invoices(self, *, customer=None, subscription=None, status=None,
                      limit=10, starting_after=None):
        with self.lock:
            if customer:
                self.find(customer, kind="customer", param="customer",
                          status=400)
            found = [i for i in reversed(self.invoices.values())
                     if customer in (None, i["customer"])
                     and subscription in (None, self.subscription_of(i))
                     and status in (None, i["status"])]
            return _page(found, "/v1/invoices", limit, starting_after)

    # ---------------------------------------------------- subscriptions

    def update_subscription(self, sub_id, params, request=None):
        with self.lock:
            sub = self.find(sub_id, kind="subscription")
            now = self.now_for(sub["customer"])
            spec = sv.subscription_update(params, now=now)
            if sub["status"] == "canceled" and set(spec) - {
                    "metadata", "cancellation_details"}:
                raise StripeError(
                    "A canceled subscription can only update its "
                    "cancellation_details and metadata.")
            previous = {}

            def change(field, value):
                if sub[field] != value:
                    previous[field] = copy.deepcopy(sub[field])
                    sub[field] = value

            if spec.get("default_payment_method"):  # checks first: nothing half-done
                self._attached_method(self.customers[sub["customer"]],
                                      spec["default_payment_method"],
                                      "default_payment_method")
            reanchor = spec.get("billing_cycle_anchor") == "now"
            if reanchor and spec.get("pause_collection",
                                     sub["pause_collection"]) is not None:
                raise _not_supported_paused()
            if "metadata" in spec:
                spec["metadata"] = bv.metadata_update(sub["metadata"],
                                                      spec["metadata"])
            for field in ("pause_collection", "default_payment_method",
                          "description", "metadata"):
                if field in spec:
                    change(field, spec[field])
            details = dict(sub["cancellation_details"])
            details.update(spec.get("cancellation_details", {}))
            ending = spec.get("cancel_at_period_end")
            if ending is not None and ending != sub["cancel_at_period_end"]:
                change("cancel_at_period_end", ending)
                change("cancel_at", self.period_end_of(sub) if ending else None)
                change("canceled_at", now if ending else None)
                details["reason"] = "cancellation_requested" if ending else None
            change("cancellation_details", details)
            events = []
            if reanchor:
                self._reanchor(sub, now, previous, events, request)
            elif previous:
                self._emit(events, "customer.subscription.updated", sub,
                           request, previous=previous, at=now)
            return copy.deepcopy(sub), events

    @staticmethod
    def period_end_of(sub):
        return min(item["current_period_end"] for item in sub["items"]["data"])

    def cancel_subscription(self, sub_id, params, request=None):
        spec = sv.subscription_cancel(params)
        with self.lock:
            sub = self.find(sub_id, kind="subscription")
            if sub["status"] == "canceled":
                raise StripeError(
                    "This subscription is already canceled; a canceled "
                    "subscription can not be canceled again.",
                    code="resource_missing", status=404)
            sub["cancellation_details"].update(spec["cancellation_details"])
            events, now = [], self.now_for(sub["customer"])
            self.end_subscription(sub, now, "cancellation_requested", events,
                                  request)
            return copy.deepcopy(sub), events

    def end_subscription(self, sub, now, reason, events, request=None):
        sub.update(status="canceled", ended_at=now,
                   canceled_at=sub["canceled_at"] or now)
        sub["cancellation_details"]["reason"] = reason
        self._emit(events, "customer.subscription.deleted", sub, request,
                   at=now)

    def list_subscriptions(self, *, customer=None, status=None, limit=10,
                           starting_after=None):
        with self.lock:
            if customer:
                self.find(customer, kind="customer", param="customer",
                          status=400)
            found = [s for s in reversed(self.subscriptions.values())
                     if customer in (None, s["customer"])
                     and (status == "all" or status == s["status"] or (
                         status is None and s["status"] != "canceled"))]
            return _page(found, "/v1/subscriptions", limit, starting_after)

    def fail_renewals(self, customer_id, on=True):
        """From now on, charges to the customer's current payment methods fail
        (methods added later work); ``on=False`` lets them work again."""
        with self.lock:
            if customer_id not in self.customers:
                raise no_such("customer", customer_id, "customer")
            if not on:
                self.failing_methods.pop(customer_id, None)
                return []
            failing = {m["id"] for m in self.payment_methods.values()
                       if m["customer"] == customer_id}
            self.failing_methods[customer_id] = failing
            return sorted(failing)
