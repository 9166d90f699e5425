"""Payments serve kinds of purchase that register themselves. A kind defined here, in the test, is
paid, delivered, refunded when it cannot be delivered, released when its Checkout expires, gets the
Stripe events it claims, and shows on the return page, the receipt and in the reports, with no
line of bookings/payments/ knowing it. Every purpose the studio stores or offers has exactly one kind."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from bookings.books import reports
from bookings.group import cards, roster, services
from bookings.memberships import selling, sync
from bookings.models import Booking, MembershipType, Payment, Refund, StripeEvent, VoucherProduct
from bookings.offers import vouchers
from bookings.payments import checkout, kinds, records
from bookings.personal import appointments, programmes
from tests.bookings import stripe_events
from tests.factories import (
    ClassCardTypeFactory,
    SessionFactory,
    TeacherAvailabilityFactory,
    TeacherFactory,
    WorkingHoursFactory,
    individual_tre_type,
    intake_for,
    local,
    programme_run,
)

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 8, 0)


class TeaVoucher(kinds.PurchaseKind):
    """A made-up purchase (a pot of tea after class), kept in memory: what it was asked to do."""

    purpose = "test_tea_voucher"
    label = "Tea voucher"
    event_types = frozenset({"charge.dispute.created"})

    def __init__(self, *, can_deliver=True):
        self.can_deliver = can_deliver
        self.delivered, self.released, self.events, self.locked = [], [], [], []

    def lock(self, payment):
        self.locked.append(payment.pk)

    def deliver(self, payment, *, now):
        if self.can_deliver and payment.pk not in self.delivered:
            self.delivered.append(payment.pk)
        return self.can_deliver

    def release(self, payment, *, reason, now):
        self.released.append((payment.pk, reason))

    def is_delivered(self, payment):
        return payment.pk in self.delivered

    def thanks(self, payment):
        return "Your tea is waiting at the studio."

    def receipt_line(self, payment):
        return "A pot of tea, after class"

    def handle_event(self, event, *, now):
        self.events.append(event.id)


@pytest.fixture
def tea():
    kind = kinds.register(TeaVoucher())
    yield kind
    kinds.unregister(TeaVoucher.purpose)


def tea_payment(client_user, fake_stripe):
    payment = records.payment_create(client=client_user, purpose=TeaVoucher.purpose, amount_cents=450, description="Thee")
    checkout.checkout_start(payment=payment, line_name="Thee", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    payment.refresh_from_db()
    return payment


def completed(fake_stripe, payment, event_id="evt_tea"):
    return stripe_events.event("checkout.session.completed", fake_stripe.get(payment.stripe_checkout_id), event_id=event_id)


def test_a_new_kind_is_paid_delivered_and_shown_without_a_change_in_payments(tea, logged_in, client_user, fake_stripe, deliver):
    payment = tea_payment(client_user, fake_stripe)
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    assert deliver(completed(fake_stripe, payment)).status_code == 200
    assert deliver(completed(fake_stripe, payment, event_id="evt_tea_again")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.receipt_number and tea.delivered == [payment.pk]
    assert payment.pk in tea.locked  # its lock comes before the payment's own

    page = logged_in.get(reverse("bookings:checkout_return") + f"?session_id={payment.stripe_checkout_id}").content.decode()
    assert "Your tea is waiting at the studio." in page
    receipt = logged_in.get(reverse("bookings:receipt", args=[payment.pk])).content.decode()
    assert "A pot of tea, after class" in receipt
    figures = reports.revenue(reports.Period(payment.paid_at.date() - timedelta(days=1), payment.paid_at.date() + timedelta(days=1)))
    assert {"purpose": TeaVoucher.purpose, "label": "Tea voucher", "amount": 450} in figures["products"]


def test_a_new_kind_that_cannot_deliver_gets_its_money_back(client_user, fake_stripe, deliver):
    tea = kinds.register(TeaVoucher(can_deliver=False))
    try:
        payment = tea_payment(client_user, fake_stripe)
        fake_stripe.pay(payment.stripe_checkout_id, method="card")
        deliver(completed(fake_stripe, payment))
        refund = Refund.objects.get(payment=payment)
        assert refund.amount_cents == 450 and refund.status == "succeeded" and tea.delivered == []
        assert Payment.objects.get(pk=payment.pk).status == "refunded"
    finally:
        kinds.unregister(TeaVoucher.purpose)


def test_an_expired_checkout_of_a_new_kind_releases_what_it_held(tea, client_user, fake_stripe, deliver):
    payment = tea_payment(client_user, fake_stripe)
    fake_stripe.expire(payment.stripe_checkout_id)
    deliver(stripe_events.event("checkout.session.expired", fake_stripe.get(payment.stripe_checkout_id), event_id="evt_tea_exp"))
    assert Payment.objects.get(pk=payment.pk).status == "expired"
    assert tea.released == [(payment.pk, "checkout expired")]


def test_a_kind_gets_the_stripe_events_it_claims_once(tea, deliver):
    payload = stripe_events.event("charge.dispute.created", {"id": "dp_1", "object": "dispute"}, event_id="evt_invoice")
    assert deliver(payload).status_code == 200
    assert deliver(payload).status_code == 200
    assert tea.events == ["evt_invoice"]
    assert StripeEvent.objects.get(event_id="evt_invoice").processed_at is not None


def test_a_purpose_or_an_event_type_belongs_to_one_kind(tea):
    class OtherTea(TeaVoucher):
        pass

    with pytest.raises(ValueError, match="already belongs"):
        kinds.register(OtherTea())

    class InvoiceGrabber(kinds.PurchaseKind):
        purpose = "test_invoice_grabber"
        event_types = frozenset({"charge.dispute.created"})

    with pytest.raises(ValueError, match="already belong"):
        kinds.register(InvoiceGrabber())
    assert kinds.claiming("charge.dispute.created") is tea


def test_an_unknown_purpose_cannot_become_a_payment(client_user):
    with pytest.raises(kinds.UnknownPurpose):
        records.payment_create(client=client_user, purpose="lottery_ticket", amount_cents=100, description="?")
    assert not Payment.objects.exists()


def test_every_purpose_stored_or_offered_has_exactly_one_kind(client_user, fake_stripe):
    """The studio's own kinds: each purpose its services store has one kind, and no kind is left over."""
    offered = {services.DROP_IN, cards.CLASS_CARD, programmes.PROGRAMME, appointments.APPOINTMENT, vouchers.VOUCHER, sync.MEMBERSHIP}
    assert sorted(kinds.purposes()) == sorted(offered)
    assert len({type(kind) for kind in kinds.kinds()}) == len(offered)

    # Every way the studio makes a payment, once.
    intake_for(client_user)
    session = SessionFactory(starts_at=NOW + timedelta(days=2), ends_at=NOW + timedelta(days=2, hours=1))
    services.booking_create(client=client_user, session=session, pay_with="stripe", now=NOW)
    at_studio = services.booking_create(client=client_user, session=SessionFactory(starts_at=NOW + timedelta(days=3),
                                        ends_at=NOW + timedelta(days=3, hours=1)), pay_with="studio", now=NOW, by_staff=True)
    roster.mark_paid_at_studio(booking=at_studio, method="pin", actor=client_user, now=NOW)
    cards.card_purchase_create(client=client_user, card_type=ClassCardTypeFactory(), now=NOW)
    programmes.group_enrol(client=client_user, run=programme_run(starts=local(2026, 6, 11, 19, 30)), now=NOW)
    teacher = TeacherFactory()
    TeacherAvailabilityFactory(teacher=teacher)
    WorkingHoursFactory(teacher=teacher, weekday=1, start_time=time(9), end_time=time(17))
    kind = individual_tre_type(teacher=teacher)
    programmes.individual_buy(client=client_user, appointment_type=kind, now=NOW)
    appointments.appointment_book(client=client_user, appointment_type=kind, starts_at=local(2026, 6, 9, 10, 0), pay_with="stripe", now=NOW)
    vouchers.voucher_purchase_create(client=client_user, product=VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Voucher"),
                                     amount_cents=2500, recipient_email="m@example.nl", now=NOW)
    membership = selling.membership_buy(client=client_user, membership_type=MembershipType.objects.create(
        name_nl="Onbeperkt", name_en="Unlimited", price_cents=7900), now=NOW)
    selling.checkout_start(membership=membership, success_url="http://testserver/ok", cancel_url="http://testserver/no")
    fake_stripe.pay_subscription_checkout(membership.stripe_checkout_id, method="card")
    selling.checkout_returned(client=client_user, checkout_id=membership.stripe_checkout_id, now=NOW)  # its first month

    stored = set(Payment.objects.values_list("purpose", flat=True))
    assert stored == offered
    for purpose in stored:
        assert kinds.kind_for(purpose).purpose == purpose
    assert Booking.objects.filter(payment__purpose=services.DROP_IN).count() == 2
