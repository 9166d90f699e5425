"""Test clocks, and time moving subscriptions on: renewals, retries, pauses.

A mixin of ``FakeStripeState``.  Stripe's test-helpers API shape: a clock
has a ``frozen_time``; customers created with ``test_clock`` live on it, and
so do their subscriptions and invoices.  Advancing a clock answers with
``status: "advancing"`` and sends ``test_helpers.test_clock.advancing``;
the stand-in then does, in time order, whatever fell due (below), moves
``frozen_time`` and sends ``test_helpers.test_clock.ready`` (all before the
request answers, so a later GET shows ``ready``).  Subscriptions of
customers without a clock run on the stand-in's own clock
(``advance_time``): a request at or after ``next_due()`` does what fell due
first (``expire_due``); one before it looks at nothing.

What falls due, at its own time:

- a period's end: with ``cancel_at_period_end`` the subscription ends
  (``customer.subscription.deleted``); else its items get the next period
  (``customer.subscription.updated``) and an invoice (billing_reason
  ``subscription_cycle``) is ``invoice.created``.  Paused collection: the
  invoice follows ``pause_collection.behavior`` (``void``: finalized and
  ``invoice.voided``; ``mark_uncollectible``: ``invoice.marked_uncollectible``;
  ``keep_as_draft``: left a draft).  Otherwise ``invoice.finalized`` and a
  charge of the default method: ``invoice.paid`` +
  ``invoice.payment_succeeded``, or ``invoice.payment_failed`` (and the
  subscription ``past_due``), retried after ``RETRY_DAYS``;
- a retry of an open invoice (``next_payment_attempt``): paid, or failed
  again; after the last the subscription is canceled (reason
  ``payment_failed``);
- ``pause_collection.resumes_at``: the pause is cleared
  (``customer.subscription.updated``).

Not time but an update: ``billing_cycle_anchor=now`` (``_reanchor``) starts
a new period at once and invoices it (billing_reason ``subscription_update``)
with the events of a renewal.

The next due moment without a clock (``next_due``) is the earliest of open
Checkout Sessions' ``expires_at`` and those subscriptions' and invoices'
moments above.  A queue holds a moment for each (``watch_due``: a new
session, and every object an event tells about, since each change that
brings work due sends one: a subscription started, renewed, re-anchored or
paused, a retry scheduled); a moment whose object has since moved on
(paid, expired, canceled, renewed) is dropped when it comes first, so the
answer is exact and a request before it scans nothing.

Simplifications: an invoice is finalized and charged at once (Stripe waits
about an hour), and SEPA Direct Debit succeeds or fails at once (Stripe
takes days).
"""

import copy
import heapq

from . import billing_objects as bo
from . import subscription_validation as sv
from .errors import StripeError
from .objects import page_of as _page
from .subscriptions import _day

ORDER = {"resume": 0, "cycle": 1, "retry": 2}
# What can fall due, by the ``object`` of what an event tells about.
WATCHED = {"checkout.session": ("expire",), "subscription": ("resume", "cycle"),
           "invoice": ("retry",)}


class ClocksMixin:
    # ------------------------------------------------------------ clocks

    def create_clock(self, params, request=None):
        spec = sv.clock_create(params)
        with self.lock:
            clock = bo.test_clock(ids=self.ids, created=self.now(),
                                  frozen_time=spec["frozen_time"],
                                  name=spec["name"])
            self.clocks[clock["id"]] = clock
            events = []
            self._emit(events, "test_helpers.test_clock.created", clock,
                       request)
            return copy.deepcopy(clock), events

    def list_clocks(self, *, limit=10, starting_after=None):
        with self.lock:
            return _page(list(reversed(self.clocks.values())),
                         "/v1/test_helpers/test_clocks", limit,
                         starting_after)

    def delete_clock(self, clock_id, request=None):
        """Delete a clock and every customer, subscription and invoice on it."""
        with self.lock:
            clock = self.find(clock_id, kind="test_helpers.test_clock")
            events = []
            self._emit(events, "test_helpers.test_clock.deleted", clock,
                       request)
            for table in (self.customers, self.subscriptions, self.invoices):
                for key in [k for k, v in table.items()
                            if v["test_clock"] == clock_id]:
                    del table[key]
            del self.clocks[clock_id]
            return {"id": clock_id, "object": clock["object"],
                    "deleted": True}, events

    def advance_clock(self, clock_id, params, request=None):
        """``(the clock as it answers: advancing, events)``."""
        target = sv.clock_advance(params)
        with self.lock:
            clock = self.find(clock_id, kind="test_helpers.test_clock")
            if target <= clock["frozen_time"]:
                raise StripeError(
                    "The frozen_time must be after the test clock's current "
                    f"frozen_time ({clock['frozen_time']}).",
                    param="frozen_time")
            limit = self._advance_limit(clock)
            if limit is not None and target > limit:
                raise StripeError(
                    "A test clock can not be advanced more than two intervals "
                    "of the shortest subscription on it at once; advance to "
                    f"{limit} or earlier first.", param="frozen_time")
            events = []
            clock.update(status="advancing", status_details={
                "advancing": {"target_frozen_time": target}})
            answer = copy.deepcopy(clock)
            self._emit(events, "test_helpers.test_clock.advancing", clock,
                       request)
            events += self.run_billing(clock_id, target)
            clock.update(status="ready", status_details={},
                         frozen_time=target)
            self._emit(events, "test_helpers.test_clock.ready", clock)
            return answer, events

    def _advance_limit(self, clock):
        limits = []
        for sub in self._subscriptions_on(clock["id"]):
            recurring = sub["items"]["data"][0]["price"]["recurring"]
            anchor = _day(sub["billing_cycle_anchor"])
            once = bo.period_end(clock["frozen_time"], recurring, anchor)
            limits.append(bo.period_end(once, recurring, anchor))
        return min(limits) if limits else None

    def _subscriptions_on(self, clock_id):
        return [sub for sub in self.subscriptions.values()
                if sub["status"] != "canceled"
                and self.customers[sub["customer"]]["test_clock"] == clock_id]

    # ------------------------------------- when work next falls due, no clock

    def reset_due(self):
        self.due_queue, self.due_queued = [], set()  # heap of (when, kind, id)
        self.due_scans = 0  # requests that found work due and looked for it

    def watch_due(self, obj):
        """Note when ``obj`` (a session, or a subscription or invoice of no
        test clock) next falls due (lock held).  Each new session, and every
        object ``_emit`` tells about, comes here."""
        if obj.get("test_clock"):
            return
        for kind in WATCHED.get(obj.get("object"), ()):
            when = self._due(kind, obj)
            entry = (when, kind, obj["id"])
            if when is not None and entry not in self.due_queued:
                self.due_queued.add(entry)
                heapq.heappush(self.due_queue, entry)

    def next_due(self):
        """The earliest moment something without a test clock falls due: a
        session expires, a subscription resumes or renews, an invoice is
        retried (``None``: nothing will).  Moments whose object moved on are
        dropped."""
        with self.lock:
            queue = self.due_queue
            while queue:
                when, kind, object_id = queue[0]
                table = {"expire": self.sessions, "retry": self.invoices}.get(
                    kind, self.subscriptions)
                obj = table.get(object_id)
                if (obj is not None and not obj.get("test_clock")
                        and self._due(kind, obj) == when):
                    return when
                self.due_queued.discard(heapq.heappop(queue))
            return None

    # ----------------------------------------------------- what is due

    def run_billing(self, clock_id, target):
        """Do, in time order, what falls due up to ``target`` for the
        subscriptions on ``clock_id`` (``None``: those without a clock)."""
        with self.lock:
            if clock_id is None and not any(
                    sub["test_clock"] is None
                    for sub in self.subscriptions.values()):
                return []  # the common case on every request: nothing to do
            events, heap, seq = [], [], 0
            subs = self._subscriptions_on(clock_id)
            invoices = [inv for inv in self.invoices.values()
                        if inv["test_clock"] == clock_id
                        and inv["status"] == "open"]

            def push(kind, obj):
                nonlocal seq
                when = self._due(kind, obj)
                if when is not None and when <= target:
                    seq += 1
                    heapq.heappush(heap, (when, ORDER[kind], seq, kind,
                                          obj["id"]))

            for sub in subs:
                push("resume", sub)
                push("cycle", sub)
            for invoice in invoices:
                push("retry", invoice)
            while heap:
                when, _, _, kind, object_id = heapq.heappop(heap)
                table = self.invoices if kind == "retry" else self.subscriptions
                obj = table.get(object_id)
                if obj is None or self._due(kind, obj) != when:
                    continue  # stale: already moved on
                for again_kind, again in getattr(self, f"_do_{kind}")(
                        obj, when, events):
                    push(again_kind, again)
            return events

    def _due(self, kind, obj):
        if kind == "expire":
            return obj["expires_at"] if obj["status"] == "open" else None
        if kind == "retry":
            return obj["next_payment_attempt"] if obj["status"] == "open" else None
        if obj["status"] == "canceled":
            return None
        if kind == "resume":
            pause = obj["pause_collection"]
            return pause["resumes_at"] if pause else None
        return self.period_end_of(obj)

    def _do_resume(self, sub, when, events):
        previous = {"pause_collection": copy.deepcopy(sub["pause_collection"])}
        sub["pause_collection"] = None
        self._emit(events, "customer.subscription.updated", sub,
                   previous=previous, at=when)
        return [("cycle", sub)]

    def _do_cycle(self, sub, when, events):
        if sub["cancel_at_period_end"] or (sub["cancel_at"]
                                           and sub["cancel_at"] <= when):
            self.end_subscription(sub, when, "cancellation_requested", events)
            return []
        previous = {"items": copy.deepcopy(sub["items"]),
                    "latest_invoice": sub["latest_invoice"]}
        period_start = sub["items"]["data"][0]["current_period_start"]
        anchor = _day(sub["billing_cycle_anchor"])
        for item in sub["items"]["data"]:
            start = item["current_period_end"]
            item.update(current_period_start=start,
                        current_period_end=bo.period_end(
                            start, item["price"]["recurring"], anchor))
        invoice = self.new_invoice(sub, "subscription_cycle", when,
                                   period_start, when)
        self._emit(events, "customer.subscription.updated", sub,
                   previous=previous, at=when)
        self._emit(events, "invoice.created", invoice, at=when)
        pause = sub["pause_collection"]
        if pause and pause["behavior"] == "keep_as_draft":
            invoice.update(auto_advance=False, automatically_finalizes_at=None)
            return [("cycle", sub), ("resume", sub)]
        self.finalize(invoice, when)
        self._emit(events, "invoice.finalized", invoice, at=when)
        if pause:
            if pause["behavior"] == "void":
                invoice.update(status="void", amount_remaining=0,
                               auto_advance=False)
                invoice["status_transitions"]["voided_at"] = when
                self._emit(events, "invoice.voided", invoice, at=when)
            else:
                invoice.update(status="uncollectible", auto_advance=False)
                invoice["status_transitions"]["marked_uncollectible_at"] = when
                self._emit(events, "invoice.marked_uncollectible", invoice,
                           at=when)
            return [("cycle", sub), ("resume", sub)]
        self._collect(invoice, sub, when, events)
        return [("cycle", sub), ("retry", invoice)]

    def _reanchor(self, sub, now, previous, events, request=None):
        """``billing_cycle_anchor=now`` (no prorations): a new period starts
        now and is invoiced at once for the full price (billing_reason
        ``subscription_update``), collected as a renewal is (lock held)."""
        previous.update(items=copy.deepcopy(sub["items"]),
                        latest_invoice=sub["latest_invoice"],
                        billing_cycle_anchor=sub["billing_cycle_anchor"])
        sub["billing_cycle_anchor"] = now
        for item in sub["items"]["data"]:
            item.update(current_period_start=now, current_period_end=(
                bo.period_end(now, item["price"]["recurring"], _day(now))))
        if sub["cancel_at_period_end"]:
            previous.setdefault("cancel_at", sub["cancel_at"])
            sub["cancel_at"] = self.period_end_of(sub)
        invoice = self.new_invoice(sub, "subscription_update", now, now, now)
        self._emit(events, "customer.subscription.updated", sub, request,
                   previous=previous, at=now)
        self._emit(events, "invoice.created", invoice, request, at=now)
        self.finalize(invoice, now)
        self._emit(events, "invoice.finalized", invoice, request, at=now)
        self._collect(invoice, sub, now, events)  # paid, or failed and retried later

    def _do_retry(self, invoice, when, events):
        sub = self.subscriptions.get(self.subscription_of(invoice) or "")
        if sub is None or sub["status"] == "canceled":
            invoice["next_payment_attempt"] = None
            return []
        self._collect(invoice, sub, when, events)
        return [("retry", invoice)]

    def _collect(self, invoice, sub, when, events):
        customer = self.customers[sub["customer"]]
        method_id = (sub["default_payment_method"]
                     or customer["invoice_settings"]["default_payment_method"])
        method = self.payment_methods.get(method_id or "")
        if self.attempt(invoice, method, when):
            self.after_paid(invoice, when, events)
        else:
            self.after_failed(invoice, when, events)
