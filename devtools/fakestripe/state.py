"""In-memory Stripe account: the objects and the rules that move them.

Every public method takes the one lock, works on the stored dicts and
returns deep copies, so callers can serialise results without holding the
lock.  Methods that change state also return the events they created; the
server delivers those after the lock is released (a webhook receiver may
call back into the fake while it handles one).
"""

import copy
import threading
import time

from . import expansion, objects, validation
from .billing_state import BillingMixin
from .clocks import ClocksMixin
from .errors import StripeError, no_such
from .objects import METHODS
from .objects import page_of as _page
from .refunds import RefundsMixin
from .subscriptions import SubscriptionsMixin

DEFAULT_API_VERSION = "2026-10-28.endive"

DECLINE_MESSAGE = "Your card was declined."
BANK_DECLINE_MESSAGE = "The customer's bank declined the payment (test)."


class FakeStripeState(RefundsMixin, BillingMixin, SubscriptionsMixin,
                      ClocksMixin):
    def __init__(self, *, seed=None, clock=time.time,
                 api_version=DEFAULT_API_VERSION, wants_webhook=None):
        self.lock = threading.RLock()
        self.seed = seed
        self.clock = clock
        self.api_version = api_version
        self.wants_webhook = wants_webhook or (lambda event_type: False)
        self.public_url = "http://127.0.0.1"
        self.ids = objects.Ids(seed)  # kept across reset(): ids never repeat
        self.reset()

    # ------------------------------------------------------------ basics

    def reset(self):
        with self.lock:
            self.sessions, self.line_items, self.pi_data = {}, {}, {}
            self.payment_intents, self.charges, self.refunds = {}, {}, {}
            self.payment_methods = {}
            self.events, self.events_by_id = [], {}
            self.refund_failures = []
            self.time_offset = 0
            self.reset_billing()
            self.reset_due()

    def now(self):
        return int(self.clock() + self.time_offset)

    def advance_time(self, seconds):
        with self.lock:
            self.time_offset += seconds

    def _emit(self, out, event_type, obj, request=None, previous=None,
              at=None):
        self.watch_due(obj)  # a change that brings work due is told by an event
        event = objects.event(
            ids=self.ids, created=self.now() if at is None else at,
            type=event_type,
            obj=objects.clone(obj), api_version=self.api_version,
            request=request, previous_attributes=previous,
            pending_webhooks=1 if self.wants_webhook(event_type) else 0)
        self.events.append(event)
        self.events_by_id[event["id"]] = event
        out.append(objects.clone(event))

    def mark_delivered(self, event_id, ok):
        with self.lock:
            event = self.events_by_id.get(event_id)
            if event is not None and ok:
                event["pending_webhooks"] = 0

    def find(self, object_id, *, param="id", status=404, kind=None):
        tables = {"cs_": ("checkout.session", self.sessions),
                  "pi_": ("payment_intent", self.payment_intents),
                  "ch_": ("charge", self.charges),
                  "re_": ("refund", self.refunds),
                  "pm_": ("payment_method", self.payment_methods),
                  "evt_": ("event", self.events_by_id),
                  **self.billing_tables()}
        for prefix, (name, table) in tables.items():
            if object_id.startswith(prefix):
                if object_id in table and kind in (None, name):
                    return table[object_id]
                raise no_such(kind or name, object_id, param, status)
        raise no_such(kind or "object", object_id, param, status)

    def get(self, object_id, *, expand=(), kind=None):
        """A copy of one object; ``kind`` (e.g. ``"charge"``) must match."""
        with self.lock:
            obj = self.find(object_id, kind=kind)
            return self.expand(copy.deepcopy(obj), expand)

    def list_events(self, *, event_type=None, limit=10, starting_after=None):
        with self.lock:
            events = list(reversed(self.events))
            if event_type:
                prefix = event_type[:-1] if event_type.endswith("*") else None
                events = [e for e in events if e["type"] == event_type or (
                    prefix is not None and e["type"].startswith(prefix))]
            return _page(events, "/v1/events", limit, starting_after)

    def expand(self, obj, paths):
        """Replace ids named in ``expand[]`` by the objects (in place)."""
        with self.lock:
            return expansion.expand(self, obj, paths)

    # --------------------------------------------------------- checkout

    def create_session(self, params):
        with self.lock:
            now = self.now()
            base = validation.session_basics(params, now=now)
            if base["mode"] != "payment":
                return self.create_billing_session(params, base)
            spec = validation.checkout_session_create(params, now=now,
                                                      base=base)
            session = objects.checkout_session(
                ids=self.ids, created=now, spec=spec,
                url=f"{self.public_url}/c/pay/{{id}}")
            items = []
            for item in spec["items"]:
                price = objects.price(
                    ids=self.ids, created=now, currency=item["currency"],
                    unit_amount=item["unit_amount"],
                    product_id=self.ids.new("prod"))
                items.append(objects.line_item(
                    ids=self.ids, price_obj=price, quantity=item["quantity"],
                    description=item["name"], metadata=item["metadata"]))
            self.sessions[session["id"]] = session
            self.watch_due(session)
            self.line_items[session["id"]] = items
            self.pi_data[session["id"]] = spec["payment_intent_data"]
            return copy.deepcopy(session)

    def line_items_list(self, session_id, *, limit=10, starting_after=None):
        with self.lock:
            self.find(session_id, kind="checkout.session")
            return _page(self.line_items[session_id],
                         f"/v1/checkout/sessions/{session_id}/line_items",
                         limit, starting_after)

    def _open_session(self, session_id):
        session = self.find(session_id, kind="checkout.session")
        if session["status"] != "open":
            raise StripeError(
                f"This Checkout Session is no longer active (its status is "
                f"{session['status']}).", code="checkout_session_inactive")
        return session

    def expire_session(self, session_id, request=None):
        with self.lock:
            session = self.find(session_id, kind="checkout.session")
            if session["status"] != "open":
                raise StripeError(
                    'Only Checkout Sessions with a status in ["open"] can be '
                    "expired. This Checkout Session has a status of "
                    f'"{session["status"]}".')
            events = []
            self._expire(session, events, request)
            return copy.deepcopy(session), events

    def _expire(self, session, events, request):
        session["status"], session["url"] = "expired", None
        intent = self.payment_intents.get(session["payment_intent"] or "")
        if intent is not None and intent["status"] != "canceled":
            intent.update(status="canceled", canceled_at=self.now(),
                          cancellation_reason="abandoned")
            self._emit(events, "payment_intent.canceled", intent, request)
        self._emit(events, "checkout.session.expired", session, request)

    def expire_due(self):
        """Expire open sessions whose ``expires_at`` has passed, and run the
        billing of subscriptions without a test clock up to now; before
        ``next_due()`` (every request, mostly) there is nothing to look at."""
        with self.lock:
            events, now = [], self.now()
            due = self.next_due()
            if due is None or due > now:
                return events
            self.due_scans += 1
            for session in self.sessions.values():
                if session["status"] == "open" and session["expires_at"] <= now:
                    self._expire(session, events, None)
            events += self.run_billing(None, now)
            return events

    # --------------------------------------------------------- payments

    def pay(self, session_id, method, *, email=None, name=None):
        if method not in METHODS:
            raise StripeError(
                f"Unknown test payment method '{method}'; use one of "
                f"{', '.join(METHODS)}.", param="method")
        method_type, outcome = METHODS[method]
        with self.lock:
            session = self._open_session(session_id)
            if session["mode"] != "payment":
                return self.pay_billing_session(session, method, email=email,
                                                name=name)
            if method_type not in session["payment_method_types"]:
                raise StripeError(
                    f"The payment method {method_type} is not enabled for "
                    "this Checkout Session.", param="method")
            now, events = self.now(), []
            intent = self.payment_intents.get(session["payment_intent"] or "")
            if intent is None:
                intent = objects.payment_intent(
                    ids=self.ids, created=now, session=session,
                    pi_data=self.pi_data[session_id], method_type=method_type)
                self.payment_intents[intent["id"]] = intent
                session["payment_intent"] = intent["id"]
            email = email or session["customer_email"] or "klant@example.com"
            name = name or "Test Klant"
            method = objects.payment_method(
                ids=self.ids, created=now, method_type=method_type,
                billing_email=email, billing_name=name,
                declined=outcome == "decline")
            self.payment_methods[method["id"]] = method
            charge = objects.charge(
                ids=self.ids, created=now, intent=intent,
                method_type=method_type,
                payment_method_id=method["id"], billing_email=email,
                billing_name=name, declined=outcome == "decline",
                receipt_url=f"{self.public_url}/receipts/{{id}}")
            self.charges[charge["id"]] = charge
            intent.update(payment_method=charge["payment_method"],
                          latest_charge=charge["id"],
                          payment_method_types=[method_type],
                          last_payment_error=None)
            if outcome == "decline":
                self._fail_charge(charge, intent, "card_declined",
                                  DECLINE_MESSAGE, decline_code="generic_decline")
                self._emit(events, "charge.failed", charge)
                self._emit(events, "payment_intent.payment_failed", intent)
                return copy.deepcopy(session), events
            session.update(status="complete", url=None,
                           customer_details=objects.customer_details(
                               email=email, name=name))
            if outcome == "succeed":
                self._succeed_charge(charge, intent)
                session["payment_status"] = "paid"
                self._emit(events, "charge.succeeded", charge)
                self._emit(events, "payment_intent.succeeded", intent)
            else:
                intent["status"] = "processing"
                self._emit(events, "charge.pending", charge)
                self._emit(events, "payment_intent.processing", intent)
            self._emit(events, "checkout.session.completed", session)
            return copy.deepcopy(session), events

    def _succeed_charge(self, charge, intent):
        charge.update(status="succeeded", paid=True, captured=True,
                      amount_captured=charge["amount"],
                      balance_transaction=self.ids.new("txn"),
                      outcome=objects.outcome("succeeded"))
        intent.update(status="succeeded", amount_received=intent["amount"])

    def _fail_charge(self, charge, intent, code, message, decline_code=None):
        charge.update(status="failed", paid=False, failure_code=code,
                      failure_message=message,
                      outcome=objects.outcome("failed"))
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = objects.payment_error(
            charge_obj=charge, code=code, message=message,
            decline_code=decline_code,
            payment_method_obj=copy.deepcopy(
                self.payment_methods[charge["payment_method"]]))

    def settle(self, session_id, succeed):
        """Finish a delayed payment: the bank said yes (or no)."""
        with self.lock:
            session = self.find(session_id, kind="checkout.session")
            intent = self.payment_intents.get(session["payment_intent"] or "")
            if (session["status"] != "complete" or intent is None
                    or intent["status"] != "processing"):
                raise StripeError(
                    "This Checkout Session has no delayed payment waiting to "
                    "be settled.", code="payment_intent_unexpected_state")
            charge, events = self.charges[intent["latest_charge"]], []
            if succeed:
                self._succeed_charge(charge, intent)
                session["payment_status"] = "paid"
                self._emit(events, "charge.succeeded", charge)
                self._emit(events, "payment_intent.succeeded", intent)
                self._emit(events, "checkout.session.async_payment_succeeded",
                           session)
            else:
                self._fail_charge(charge, intent,
                                  "payment_method_provider_decline",
                                  BANK_DECLINE_MESSAGE)
                self._emit(events, "charge.failed", charge)
                self._emit(events, "payment_intent.payment_failed", intent)
                self._emit(events, "checkout.session.async_payment_failed",
                           session)
            return copy.deepcopy(session), events

    # ------------------------------------------------------------ views

    def page(self, session_id):
        """A session and its line items, for the hosted checkout page."""
        with self.lock:
            session = self.find(session_id, kind="checkout.session")
            intent = self.payment_intents.get(session["payment_intent"] or "")
            return (copy.deepcopy(session),
                    copy.deepcopy(self.line_items[session_id]),
                    copy.deepcopy(intent))

    def all_events(self):
        with self.lock:
            return copy.deepcopy(self.events)
