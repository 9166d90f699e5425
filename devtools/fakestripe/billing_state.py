"""Stripe Billing in the in-memory account: customers, products, prices, and
Checkout in ``subscription`` and ``setup`` mode.

A mixin of ``FakeStripeState`` (its lock, tables, ids and ``_emit``).  The
subscriptions and invoices it starts live in ``subscriptions.py``; time
moving them on (test clocks, renewals, retries) in ``clocks.py``.
"""

import copy

from . import billing_objects as bo
from . import billing_validation as bv
from . import objects
from .errors import StripeError
from .objects import page_of as _page


class BillingMixin:
    def reset_billing(self):
        self.customers, self.products, self.prices = {}, {}, {}
        self.subscriptions, self.invoices, self.invoice_payments = {}, {}, {}
        self.setup_intents, self.clocks, self.billing_specs = {}, {}, {}
        self.setup_attempts = {}
        self.failing_methods = {}  # customer id -> payment method ids that fail

    def billing_tables(self):
        return {"cus_": ("customer", self.customers),
                "prod_": ("product", self.products),
                "price_": ("price", self.prices),
                "sub_": ("subscription", self.subscriptions),
                "in_": ("invoice", self.invoices),
                "seti_": ("setup_intent", self.setup_intents),
                "setatt_": ("setup_attempt", self.setup_attempts),
                "clock_": ("test_helpers.test_clock", self.clocks)}

    def now_for(self, customer_id):
        """The time for a customer: its test clock's frozen time, else now."""
        customer = self.customers.get(customer_id or "")
        if customer is not None and customer["test_clock"]:
            return self.clocks[customer["test_clock"]]["frozen_time"]
        return self.now()

    # -------------------------------------------------------- customers

    def create_customer(self, params, request=None):
        spec = bv.customer_create(params)
        spec["metadata"] = bv.metadata_update({}, params.get("metadata", {}))
        with self.lock:
            clock_id = spec.pop("test_clock")
            if clock_id:
                self.find(clock_id, kind="test_helpers.test_clock",
                          param="test_clock", status=400)
            now = (self.clocks[clock_id]["frozen_time"] if clock_id
                   else self.now())
            method, default = None, spec.get("default_payment_method")
            if spec["payment_method"]:
                method = self.find(spec["payment_method"],
                                   kind="payment_method",
                                   param="payment_method", status=400)
            if default and default != spec["payment_method"]:
                raise StripeError(
                    f"The customer does not have a payment method with the "
                    f"ID {default}. The payment method must be attached to "
                    "the customer.",
                    param="invoice_settings[default_payment_method]",
                    code="resource_missing")
            customer = bo.customer(ids=self.ids, created=now, spec=spec,
                                   test_clock=clock_id)
            if method is not None:
                method["customer"] = customer["id"]
            customer["invoice_settings"]["default_payment_method"] = default
            self.customers[customer["id"]] = customer
            events = []
            self._emit(events, "customer.created", customer, request, at=now)
            return copy.deepcopy(customer), events

    def _attached_method(self, customer, method_id, param):
        method = self.find(method_id, kind="payment_method", param=param,
                           status=400)
        if method["customer"] != customer["id"]:
            raise StripeError(
                f"The customer does not have a payment method with the ID "
                f"{method_id}. The payment method must be attached to the "
                "customer.", param=param, code="resource_missing")
        return method

    def update_customer(self, customer_id, params, request=None):
        spec = bv.customer_update(params)
        with self.lock:
            customer = self.find(customer_id, kind="customer")
            previous = {}
            if "metadata" in spec:
                spec["metadata"] = bv.metadata_update(customer["metadata"],
                                                      spec["metadata"])
            if "default_payment_method" in spec:
                method_id = spec.pop("default_payment_method")
                if method_id:
                    self._attached_method(
                        customer, method_id,
                        "invoice_settings[default_payment_method]")
                settings = customer["invoice_settings"]
                if settings["default_payment_method"] != method_id:
                    previous["invoice_settings"] = copy.deepcopy(settings)
                    settings["default_payment_method"] = method_id
            for key, value in spec.items():
                if customer[key] != value:
                    previous[key] = customer[key]
                    customer[key] = value
            events = []
            if previous:
                self._emit(events, "customer.updated", customer, request,
                           previous=previous, at=self.now_for(customer_id))
            return copy.deepcopy(customer), events

    def list_customers(self, *, email=None, limit=10, starting_after=None):
        with self.lock:
            found = [c for c in reversed(self.customers.values())
                     if email in (None, c["email"])]
            return _page(found, "/v1/customers", limit, starting_after)

    # -------------------------------------------------- products, prices

    def create_product(self, params, request=None):
        spec = bv.product_create(params)
        with self.lock:
            events = []
            product = self._new_product(spec, events, request)
            return copy.deepcopy(product), events

    def _new_product(self, spec, events, request=None):
        product = bo.product(ids=self.ids, created=self.now(), spec=spec)
        self.products[product["id"]] = product
        if events is not None:
            self._emit(events, "product.created", product, request)
        return product

    def create_price(self, params, request=None):
        spec = bv.price_create(params)
        with self.lock:
            events = []
            price = self._new_price(spec, events, "product", request)
            return copy.deepcopy(price), events

    def _new_price(self, spec, events, param, request=None):
        if spec["product"]:
            product = self.find(spec["product"], kind="product", param=param,
                                status=400)
        else:
            product = self._new_product(dict(spec["product_data"],
                                             active=True), events, request)
        price = bo.price(ids=self.ids, created=self.now(), spec=spec,
                         product_id=product["id"])
        self.prices[price["id"]] = price
        if events is not None:  # inline prices of a session send none
            self._emit(events, "price.created", price, request)
        return price

    def list_prices(self, *, product=None, active=None, lookup_keys=(),
                    limit=10, starting_after=None):
        with self.lock:
            found = [p for p in reversed(self.prices.values())
                     if product in (None, p["product"])
                     and active in (None, p["active"])
                     and (not lookup_keys or p["lookup_key"] in lookup_keys)]
            return _page(found, "/v1/prices", limit, starting_after)

    # ------------------------------------------- checkout: subscription, setup

    def create_billing_session(self, params, base):
        """A Checkout Session in ``subscription`` or ``setup`` mode (lock held)."""
        spec = bv.billing_session(params, base)
        now, customer = self.now(), None
        if spec["customer"]:
            customer = self.find(spec["customer"], kind="customer",
                                 param="customer", status=400)
        found = [self._session_price(item) for item in spec["items"]]
        currencies = {price["currency"] for price in found}
        intervals = {(p["recurring"]["interval"],
                      p["recurring"]["interval_count"]) for p in found}
        if len(currencies) > 1:
            raise StripeError("All line items must have the same currency.",
                              param="line_items")
        if len(intervals) > 1:
            raise StripeError(
                "Checkout does not support multiple prices with different "
                "billing intervals.", param="line_items")
        total = sum(price["unit_amount"] * item["quantity"]
                    for price, item in zip(found, spec["items"], strict=True))
        currency = found[0]["currency"] if found else None
        if found:
            bv.check_session_total(total, currency)
        prices = [self._inline_price(price) for price in found]
        session = objects.checkout_session(
            ids=self.ids, created=now,
            spec=dict(spec, amount_total=total, currency=currency),
            url=f"{self.public_url}/c/pay/{{id}}")
        session.update(customer=customer and customer["id"],
                       customer_creation=None if customer else "always",
                       payment_method_collection="always",
                       invoice_creation=None)
        if spec["mode"] == "setup":
            intent = bo.setup_intent(
                ids=self.ids, created=now,
                customer_id=customer and customer["id"],
                metadata=spec["setup_intent_data"]["metadata"],
                description=spec["setup_intent_data"]["description"],
                method_types=[
                    "sepa_debit" if t in ("ideal", "bancontact") else t
                    for t in spec["payment_method_types"]])
            self.setup_intents[intent["id"]] = intent
            session.update(amount_subtotal=None, amount_total=None,
                           payment_status="no_payment_required",
                           setup_intent=intent["id"], total_details=None,
                           customer_creation=None)
        self.sessions[session["id"]] = session
        self.watch_due(session)
        self.line_items[session["id"]] = [
            objects.line_item(ids=self.ids, price_obj=copy.deepcopy(price),
                              quantity=item["quantity"],
                              description=self.products[price["product"]][
                                  "name"], metadata=item["metadata"])
            for price, item in zip(prices, spec["items"], strict=True)]
        self.pi_data[session["id"]] = {}
        self.billing_specs[session["id"]] = spec
        return copy.deepcopy(session)

    def _session_price(self, item):
        """The price a line item names (stored), or its ``price_data`` (made later)."""
        if item["price_data"] is not None:
            if item["price_data"]["product"]:
                self.find(item["price_data"]["product"], kind="product",
                          param=f"{item['path']}[price_data][product]",
                          status=400)
            return item["price_data"]
        param = f"{item['path']}[price]"
        price = self.find(item["price"], kind="price", param=param,
                          status=400)
        if price["type"] != "recurring":
            raise StripeError(
                "The price specified is set to `type=one_time` but this field "
                "only accepts prices with `type=recurring`.", param=param)
        if not price["active"]:
            raise StripeError(f"The price specified is inactive: "
                              f"{price['id']}.", param=param)
        return price

    def _inline_price(self, found):
        if "id" in found:
            return found
        price = self._new_price(found, None, "product")
        price["active"] = False  # an inline price, as Stripe makes it
        return price

    def pay_billing_session(self, session, method, *, email=None, name=None):
        """The hosted page's pay button in subscription or setup mode (lock held)."""
        method_type, outcome = objects.METHODS[method]
        if outcome == "delay":
            raise StripeError(
                f"The test method {method} is only for payment mode.",
                param="method")
        if method_type not in session["payment_method_types"]:
            raise StripeError(
                f"The payment method {method_type} is not enabled for this "
                "Checkout Session.", param="method")
        if outcome == "decline":
            return copy.deepcopy(session), []
        spec, events = self.billing_specs[session["id"]], []
        customer = self.customers.get(session["customer"] or "")
        email = email or (customer or {}).get("email") or (
            session["customer_email"] or "klant@example.com")
        name = name or (customer or {}).get("name") or "Test Klant"
        if customer is None and session["mode"] == "subscription":
            customer = bo.customer(ids=self.ids, created=self.now(),
                                   spec={"email": email, "name": name})
            self.customers[customer["id"]] = customer
            self._emit(events, "customer.created", customer)
        session["customer"] = customer and customer["id"]
        now = self.now_for(session["customer"])
        if session["mode"] == "setup":
            self._complete_setup(session, method_type, email, name, now,
                                 events)
        else:
            self.start_subscription(session, spec, customer, method_type,
                                    email, name, now, events)
            session["payment_status"] = "paid"
        session.update(status="complete", url=None,
                       customer_details=objects.customer_details(
                           email=email, name=name))
        self._emit(events, "checkout.session.completed", session, at=now)
        return copy.deepcopy(session), events

    def saved_method(self, method_type, *, customer, email, name, now,
                     charge_id=None, setup_attempt=None):
        """The method kept for later payments: iDEAL and Bancontact set up
        SEPA Direct Debit (a generated ``sepa_debit`` method), as Stripe does."""
        if method_type in ("ideal", "bancontact", "sepa_debit"):
            method = bo.sepa_debit_method(
                ids=self.ids, created=now, billing_email=email,
                billing_name=name, generated_from_charge=charge_id,
                setup_attempt=setup_attempt)
            if method_type == "sepa_debit":
                method["sepa_debit"]["generated_from"] = None
        else:
            method = objects.payment_method(
                ids=self.ids, created=now, method_type=method_type,
                billing_email=email, billing_name=name)
        method["customer"] = customer and customer["id"]
        self.payment_methods[method["id"]] = method
        return method

    def _complete_setup(self, session, method_type, email, name, now, events):
        """As Stripe: with iDEAL or Bancontact the intent's ``payment_method``
        is that (one-off) method, and the SEPA Direct Debit method it sets up
        for later payments is on the attempt, under
        ``payment_method_details.<type>.generated_sepa_debit``."""
        intent = self.setup_intents[session["setup_intent"]]
        customer = self.customers.get(intent["customer"] or "")
        attempt_id = self.ids.new("setatt")
        method = self.saved_method(
            method_type, customer=customer, email=email, name=name, now=now,
            setup_attempt=attempt_id
            if method_type in ("ideal", "bancontact") else None)
        details = {"type": method_type, method_type: {}}
        if method_type in ("ideal", "bancontact"):
            redirect = objects.payment_method(
                ids=self.ids, created=now, method_type=method_type,
                billing_email=email, billing_name=name)
            redirect["customer"] = None  # a one-off method: only its SEPA child is kept
            self.payment_methods[redirect["id"]] = redirect
            details[method_type] = {"generated_sepa_debit": method["id"],
                                    "generated_sepa_debit_mandate": self.ids.new("mandate")}
            intent_method = redirect
        else:
            intent_method = method
        self.setup_attempts[attempt_id] = {
            "id": attempt_id, "object": "setup_attempt", "created": now, "livemode": False,
            "setup_intent": intent["id"], "customer": intent["customer"],
            "payment_method": intent_method["id"], "payment_method_details": details,
            "status": "succeeded", "usage": "off_session", "setup_error": None}
        intent.update(status="succeeded", payment_method=intent_method["id"],
                      latest_attempt=attempt_id,
                      payment_method_types=[intent_method["type"]])
        if method["type"] == "sepa_debit":
            intent["mandate"] = self.ids.new("mandate")
        self._emit(events, "setup_intent.succeeded", intent, at=now)
        if customer is not None:
            self._emit(events, "payment_method.attached", method, at=now)
