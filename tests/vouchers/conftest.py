"""Fixtures of the gift-voucher tests: a product, a voucher bought and paid through the local Stripe."""

from datetime import datetime

import pytest
import time_machine

from bookings.models import VoucherProduct
from bookings.offers import vouchers
from bookings.payments import checkout, fulfilment
from classes.models import STUDIO_TZ

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=STUDIO_TZ)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def free_amount(db):
    return VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Gift voucher", minimum_cents=1000, maximum_cents=25000,
                                         validity_months=12)


def start_checkout(payment, person):
    checkout.checkout_start(payment=payment, line_name="Cadeaubon", client=person,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    payment.refresh_from_db()
    return payment


def bought(fake_stripe, committed, person, product, *, amount_cents=5000, recipient_email="", recipient_name="Mirjam",
           message="Fijne verjaardag!"):
    """A voucher bought by `person` and paid by iDEAL on the stand-in, fulfilled (emails sent)."""
    payment = vouchers.voucher_purchase_create(client=person, product=product, amount_cents=amount_cents, recipient_name=recipient_name,
                                               recipient_email=recipient_email, message=message)
    start_checkout(payment, person)
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    with committed():
        fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id)
    return vouchers.voucher_of(payment)


def issued(product, buyer, value=5000, now=NOW):
    payment = vouchers.voucher_purchase_create(client=buyer, product=product, amount_cents=value, recipient_email="m@example.nl", now=now)
    payment.status = "paid"
    payment.save()
    voucher = vouchers.voucher_of(payment)
    assert vouchers.voucher_deliver(payment, now=now) is not None
    voucher.refresh_from_db()
    return voucher
