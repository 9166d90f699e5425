"""A voucher paying part of a class card online: Stripe is charged the rest, the card is issued, and the
teacher takes what is left on the voucher at the studio. A checkout that is abandoned gives it back."""

import pytest
from django.db import transaction

from bookings.group import cards
from bookings.models import ClassCard
from bookings.payments import checkout, fulfilment, voucher_ledger
from core.vat import GENERAL
from tests.factories import ClassCardTypeFactory, UserFactory

from .conftest import bought, start_checkout

pytestmark = pytest.mark.django_db


def test_a_voucher_pays_part_of_a_class_card_and_stripe_the_rest(fake_stripe, client_user, free_amount, committed, teacher_user):
    voucher = bought(fake_stripe, committed, UserFactory(email="koper@example.nl"), free_amount, amount_cents=10000,
                     recipient_email="sanne@example.nl")
    with transaction.atomic():
        payment = cards.card_purchase_create(client=client_user, card_type=ClassCardTypeFactory(price_cents=8000, credits=5))
        voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher_ledger.voucher_find(voucher.code), client=client_user)
    payment.refresh_from_db()
    assert payment.amount_cents == 0 and payment.voucher_cents == 8000  # nothing left for Stripe
    with committed():
        payment = fulfilment.payment_settle_without_money(payment=payment)
    assert payment.status == "paid" and payment.method == "voucher" and payment.stripe_checkout_id is None
    assert ClassCard.objects.get(payment=payment).balance == 5
    assert voucher_ledger.voucher_balance(voucher) == 2000  # the rest stays on the voucher
    voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=None, vat_rate=GENERAL, actor=teacher_user)  # and is used at the studio
    assert voucher_ledger.voucher_balance(voucher) == 0


def test_a_smaller_voucher_leaves_the_rest_for_stripe(fake_stripe, client_user, free_amount, committed, teacher_user):
    voucher = bought(fake_stripe, committed, UserFactory(email="koper@example.nl"), free_amount, amount_cents=3000,
                     recipient_email="sanne@example.nl")
    with transaction.atomic():
        payment = cards.card_purchase_create(client=client_user, card_type=ClassCardTypeFactory(price_cents=8000, credits=5))
        voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=client_user)
    start_checkout(payment, client_user)
    assert fake_stripe.get(payment.stripe_checkout_id)["amount_total"] == 5000
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    with committed():
        payment = fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id)
    assert payment.status == "paid" and payment.amount_cents == 5000 and payment.voucher_cents == 3000
    assert ClassCard.objects.get(payment=payment).balance == 5
    assert voucher_ledger.voucher_balance(voucher) == 0


def test_stopping_to_pay_puts_the_euros_back_on_the_voucher(fake_stripe, client_user, free_amount, committed):
    voucher = bought(fake_stripe, committed, UserFactory(email="koper@example.nl"), free_amount, amount_cents=3000,
                     recipient_email="sanne@example.nl")
    with transaction.atomic():
        payment = cards.card_purchase_create(client=client_user, card_type=ClassCardTypeFactory(price_cents=8000, credits=5))
        voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=client_user)
    start_checkout(payment, client_user)
    with committed():
        checkout.checkout_abandon(payment=payment)
    payment.refresh_from_db()
    assert payment.status == "expired"
    assert voucher_ledger.voucher_balance(voucher) == 3000
