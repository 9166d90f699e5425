"""Every field the app reads that Stripe's schema marks nullable, optional or expandable, in each form
Stripe may send it: an id, the expanded object, null, or left out. The objects are the stand-in's
own (checked against Stripe's schemas), changed only in the field under test."""

import copy
from datetime import timedelta

import pytest
import stripe
from django.utils import timezone

from bookings.errors import PaymentError
from bookings.group import services
from bookings.models import Payment, Refund
from bookings.payments import checkout, fulfilment, gateway, refunds
from tests.doctored_stripe import DoctoredStripe
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def as_sent(obj: dict):
    """A plain Stripe JSON object as the SDK hands it to the app."""
    return stripe.StripeObject.construct_from(copy.deepcopy(obj), "sk_test_forms")


@pytest.fixture
def session_forms(paid_by_card, fake_stripe):
    """The paid Checkout Session with its payment intent (and that one's charge) in every form."""
    checkout_id = paid_by_card.stripe_checkout_id
    plain = fake_stripe.get(checkout_id)
    intent_expanded = fake_stripe.get(checkout_id, expand=["payment_intent"])
    both_expanded = fake_stripe.get(checkout_id, expand=["payment_intent.latest_charge"])
    no_details = copy.deepcopy(both_expanded)
    no_details["payment_intent"]["latest_charge"]["payment_method_details"] = None
    no_charge = copy.deepcopy(intent_expanded)
    no_charge["payment_intent"]["latest_charge"] = None
    return {"intent as id": plain, "intent expanded, charge as id": intent_expanded, "both expanded": both_expanded,
            "charge without method details": no_details, "intent without a charge": no_charge,
            "no intent": {**plain, "payment_intent": None}}


@pytest.mark.parametrize("form, intent_known, method", [
    ("intent as id", True, ""),
    ("intent expanded, charge as id", True, ""),
    ("both expanded", True, "card"),
    ("charge without method details", True, ""),
    ("intent without a charge", True, ""),
    ("no intent", False, ""),
])
def test_checkout_payment_intent_and_its_charge_in_every_form(session_forms, paid_by_card, form, intent_known, method):
    session = as_sent(session_forms[form])
    assert gateway.payment_intent_id_of(session) == (paid_by_card.stripe_payment_intent_id if intent_known else "")
    assert gateway.payment_method_of(session) == method


def test_the_app_asks_for_the_expanded_form_it_needs(paid_by_card):
    assert paid_by_card.method == "card"  # read from the expanded intent and charge of the retrieve
    assert paid_by_card.stripe_payment_intent_id.startswith("pi_")


@pytest.mark.parametrize("metadata, expected", [({"refund_id": "12"}, "12"), ({}, ""), (None, ""), ("absent", ""),
                                                ({"refund_id": 12}, "")])
def test_metadata_present_empty_null_or_left_out(metadata, expected):
    obj = {"id": "re_1", "object": "refund", "amount": 100, "currency": "eur", "created": 1}
    if metadata != "absent":
        obj["metadata"] = metadata
    assert gateway.metadata_value(as_sent(obj), "refund_id") == expected


@pytest.fixture
def dashboard_refund(paid_by_card, fake_stripe) -> dict:
    """A refund made in Stripe's dashboard, as the stand-in answers it (payment_intent as an id)."""
    made = gateway.client().v1.refunds.create({"payment_intent": paid_by_card.stripe_payment_intent_id, "amount": 250})
    return fake_stripe.get(made.id)


@pytest.mark.parametrize("form", ["id", "expanded"])
def test_a_refunds_payment_intent_as_id_or_expanded_finds_the_payment(dashboard_refund, fake_stripe, paid_by_card, form):
    obj = dashboard_refund if form == "id" else fake_stripe.get(dashboard_refund["id"], expand=["payment_intent"])
    assert isinstance(obj["payment_intent"], str if form == "id" else dict)
    refund = refunds.refund_from_stripe(as_sent(obj))
    assert (refund.payment_id, refund.amount_cents, refund.status) == (paid_by_card.pk, 250, "succeeded")


def test_a_refund_without_a_payment_intent_is_none_of_ours(dashboard_refund):
    assert refunds.refund_from_stripe(as_sent({**dashboard_refund, "payment_intent": None})) is None
    assert not Refund.objects.exists()


@pytest.mark.parametrize("status, failure_reason, expected", [
    ("succeeded", "absent", ("succeeded", "")),
    (None, "absent", ("pending", "")),  # status is nullable: not known yet
    ("pending", "absent", ("pending", "")),
    ("failed", "insufficient_funds", ("failed", "insufficient_funds")),
    ("failed", "absent", ("failed", "")),
])
def test_a_refunds_status_null_and_failure_reason_left_out(dashboard_refund, paid_by_card, status, failure_reason, expected):
    obj = {**dashboard_refund, "status": status}
    if failure_reason != "absent":
        obj["failure_reason"] = failure_reason
    refund = refunds.refund_from_stripe(as_sent(obj))
    assert (refund.status, refund.failure_reason) == expected
    assert Payment.objects.get(pk=paid_by_card.pk).refunded_cents == (250 if expected[0] == "succeeded" else 0)


@pytest.mark.parametrize("form", ["id", "expanded", "null"])
def test_a_refunded_charges_payment_intent_in_every_form(dashboard_refund, fake_stripe, paid_by_card, form):
    charge = fake_stripe.get(dashboard_refund["charge"], expand=["payment_intent"] if form == "expanded" else ())
    if form == "null":
        charge["payment_intent"] = None
    recorded = refunds.charge_refunded(as_sent(charge))
    assert [refund.amount_cents for refund in recorded] == ([] if form == "null" else [250])


# Nullable fields of a Checkout Session: the stand-in never sends these nulls, so a local "Stripe" in
# front of it changes the one answer (tests/doctored_stripe.py).


@pytest.fixture
def doctored(fake_stripe, settings):
    proxy = DoctoredStripe(settings.STRIPE_API_BASE).start()
    settings.STRIPE_API_BASE = proxy.url
    yield proxy
    proxy.stop()


def held_booking(client_user):
    start = timezone.now() + timedelta(days=2)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    return services.booking_create(client=client_user, pay_with="stripe", session=session)


def test_a_checkout_created_without_a_page_url_fails_to_start_and_frees_the_place(doctored, fake_stripe, client_user,
                                                                                 committed):
    doctored.change("POST", "/v1/checkout/sessions", lambda body: body.update(url=None))
    booking = held_booking(client_user)
    with committed(), pytest.raises(PaymentError, match="kon niet worden gestart"):
        checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                                success_url="http://testserver/ok", cancel_url="http://testserver/no")
    payment = Payment.objects.get(pk=booking.payment.pk)
    assert (payment.status, payment.checkout_url) == ("failed", "") and payment.stripe_checkout_id
    assert fake_stripe.get(payment.stripe_checkout_id)["status"] == "expired"  # closed at Stripe: it cannot be paid
    booking.refresh_from_db()
    booking.session.refresh_from_db()
    assert booking.status == "released" and booking.session.places_taken == 0
    assert doctored.changed == 1


@pytest.mark.parametrize("field", ["amount_total", "currency"])
def test_a_paid_checkout_whose_amount_or_currency_is_null_is_not_taken_as_paid(doctored, fake_stripe, client_user, field):
    booking = held_booking(client_user)
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                            success_url="http://testserver/ok", cancel_url="http://testserver/no")
    booking.payment.refresh_from_db()
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="ideal")
    doctored.change("GET", r"/v1/checkout/sessions/\w+", lambda body: body.update({field: None}))
    payment = fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)
    assert payment.status == "failed" and payment.problem.startswith("amount mismatch")
    assert not payment.receipt_number and doctored.changed == 1


def test_an_open_checkout_whose_status_is_null_changes_nothing(doctored, client_user):
    booking = held_booking(client_user)
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                            success_url="http://testserver/ok", cancel_url="http://testserver/no")
    doctored.change("GET", r"/v1/checkout/sessions/\w+", lambda body: body.update(status=None))
    payment = fulfilment.payment_fulfil(checkout_id=Payment.objects.get(pk=booking.payment.pk).stripe_checkout_id)
    assert payment.status == "pending" and doctored.changed == 1
    booking.refresh_from_db()
    assert booking.status == "pending_payment"
