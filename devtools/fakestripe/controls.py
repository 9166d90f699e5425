"""Python helpers for tests and the demo: act as the customer, the bank or time.

Mixed into ``FakeStripeServer``: each helper changes the state as the
matching ``/_test/`` control does, delivers the events it caused (signed
webhooks, in order) and returns the object, as a dict.
"""

from .errors import StripeError


class TestControls:
    def pay(self, session_id, method="ideal", *, email=None, name=None):
        """Pay a session as the customer would; returns the session."""
        session, events = self.state.pay(session_id, method, email=email,
                                         name=name)
        self.deliver(events)
        return session

    def async_succeed(self, session_id):
        session, events = self.state.settle(session_id, succeed=True)
        self.deliver(events)
        return session

    def async_fail(self, session_id):
        session, events = self.state.settle(session_id, succeed=False)
        self.deliver(events)
        return session

    def expire(self, session_id):
        """Expire an open session as if its time ran out."""
        session, events = self.state.expire_session(session_id)
        self.deliver(events)
        return session

    def fail_next_refund(self, failure_reason="declined"):
        self.state.fail_next_refund(failure_reason)

    def advance_time(self, seconds, deliver=True):
        """Move the fake's clock on; sessions past expires_at expire."""
        self.state.advance_time(seconds)
        events = self.state.expire_due()
        if deliver:
            self.deliver(events)
        return events

    def get(self, object_id, expand=()):
        obj = self.state.get(object_id, expand=expand)
        self.observe(f"get {object_id}", obj, expand)
        return obj

    # ------------------------------------------------------------ billing

    def pay_subscription_checkout(self, session_id, method="ideal", *,
                                  email=None, name=None):
        """Pay a ``mode=subscription`` session on the hosted page: the
        customer (if new), the subscription, its paid first invoice and the
        events in Stripe's order.  ``method``: ideal (sets up SEPA Direct
        Debit for renewals), bancontact (likewise), card, sepa_debit, or
        card_declined (nothing happens; the session stays open)."""
        self._mode_is(session_id, "subscription")
        return self.pay(session_id, method, email=email, name=name)

    def complete_setup(self, session_id, method="ideal", *, email=None,
                       name=None):
        """Finish a ``mode=setup`` session: a new payment method (ideal and
        bancontact give a sepa_debit one), attached to the session's
        customer; ``setup_intent.succeeded``, ``payment_method.attached``,
        ``checkout.session.completed``."""
        self._mode_is(session_id, "setup")
        return self.pay(session_id, method, email=email, name=name)

    def _mode_is(self, session_id, mode):
        session = self.state.get(session_id, kind="checkout.session")
        if session["mode"] != mode:
            raise StripeError(f"Checkout Session {session_id} is in "
                              f"{session['mode']} mode, not {mode}.")

    def create_clock(self, frozen_time, name=None):
        """A test clock (``POST /v1/test_helpers/test_clocks``)."""
        clock, events = self.state.create_clock(
            {"frozen_time": str(int(frozen_time)),
             **({"name": name} if name else {})})
        self.deliver(events)
        return clock

    def advance_clock(self, clock_id, to):
        """Advance a test clock to ``to`` (a unix time): renewals, retries,
        pauses and cancellations fall due in order; returns the clock, ready."""
        _, events = self.state.advance_clock(
            clock_id, {"frozen_time": str(int(to))})
        self.deliver(events)
        return self.state.get(clock_id)

    def fail_renewals(self, customer_id, on=True):
        """From now on, charges to the customer's current payment methods
        fail (renewals, retries, invoice payments); a method added later
        (setup mode, the hosted invoice page) works.  ``on=False`` undoes it.
        Returns the failing method ids."""
        return self.state.fail_renewals(customer_id, on=on)

    def pay_invoice(self, invoice_id, method="card"):
        """Pay an open invoice on its hosted page with a new ``method``
        (card or sepa_debit); returns the invoice (paid)."""
        invoice, events, error = self.state.pay_invoice_as_customer(
            invoice_id, method)
        self.deliver(events)
        if error is not None:
            raise error
        return invoice

    def subscription_of_session(self, session_id):
        """The subscription a paid subscription-mode session started."""
        session = self.state.get(session_id, kind="checkout.session")
        return self.state.get(session["subscription"]) if session[
            "subscription"] else None
