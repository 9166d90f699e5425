"""The voucher ledger: paying part of a purchase online, giving it back, taking at the studio, expiry,
and clear messages (with nothing written or charged) for unknown, expired, used-up and unpaid codes."""

from datetime import timedelta

import pytest

from bookings.errors import PaymentError
from bookings.group import cards
from bookings.models import Voucher, VoucherEntry
from bookings.offers import vouchers
from bookings.payments import kinds, voucher_ledger
from core.vat import GENERAL
from tests.factories import ClassCardTypeFactory, UserFactory

from .conftest import NOW, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return UserFactory(email="koper@example.nl")


@pytest.fixture
def card_type(db):
    return ClassCardTypeFactory(credits=5, price_cents=8000)


def test_issuing_twice_writes_one_issue_row(free_amount, buyer):
    voucher = issued(free_amount, buyer)
    assert vouchers.voucher_deliver(voucher.payment, now=NOW) is None
    assert voucher.entries.count() == 1 and voucher.balance_cents == 5000
    assert voucher.expires_at.date().isoformat() == "2027-03-10"


def test_a_voucher_paying_part_of_a_class_card_leaves_the_right_remainder(free_amount, buyer, client_user, card_type):
    voucher = issued(free_amount, buyer, value=3000)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, now=NOW)
    used = voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=client_user, now=NOW)
    payment.refresh_from_db()
    assert used == 3000 and payment.amount_cents == 5000 and payment.voucher_cents == 3000 and payment.price_cents == 8000
    assert voucher_ledger.voucher_balance(voucher) == 0


def test_a_voucher_worth_more_than_the_card_keeps_the_rest(free_amount, buyer, client_user, card_type):
    voucher = issued(free_amount, buyer, value=10000)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, now=NOW)
    assert voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=client_user, now=NOW) == 8000
    payment.refresh_from_db()
    assert payment.amount_cents == 0 and payment.voucher_cents == 8000
    assert voucher_ledger.voucher_balance(voucher) == 2000
    entry = voucher.entries.get(kind=VoucherEntry.Kind.REDEMPTION)
    assert entry.payment == payment and entry.delta_cents == -8000 and entry.created_by == client_user


def test_codes_are_found_however_they_are_typed(free_amount, buyer):
    voucher = issued(free_amount, buyer)
    bare = voucher.code.replace("-", "")
    for typed in (voucher.code, voucher.code.lower(), f"  {bare} ", bare[3:], f"{bare[3:7]} {bare[7:]}"):
        assert voucher_ledger.voucher_find(typed) == voucher
    assert voucher_ledger.voucher_find("TOL-AAAA-AAAA") is None and voucher_ledger.voucher_find("") is None


def _refused(voucher, payment, client, message, now=NOW):
    before = (payment.amount_cents, VoucherEntry.objects.count())
    with pytest.raises(PaymentError) as refused:
        voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=client, now=now)
    assert str(refused.value) == message
    payment.refresh_from_db()
    assert (payment.amount_cents, VoucherEntry.objects.count()) == before and payment.voucher_cents == 0


def test_an_expired_voucher_says_so_and_charges_nothing(free_amount, buyer, client_user, card_type):
    voucher = issued(free_amount, buyer)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, now=NOW)
    _refused(voucher, payment, client_user, "Deze cadeaubon is verlopen op 10 maart 2027, dus je kunt hem niet meer gebruiken.",
             now=voucher.expires_at + timedelta(seconds=1))


def test_a_used_up_voucher_says_so_and_charges_nothing(free_amount, buyer, client_user, card_type, teacher_user):
    voucher = issued(free_amount, buyer)
    voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=None, vat_rate=GENERAL, actor=teacher_user, now=NOW)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, now=NOW)
    _refused(voucher, payment, client_user, "Deze cadeaubon is al helemaal gebruikt: er staat niets meer op.")


def test_an_unpaid_voucher_cannot_pay(free_amount, buyer, client_user, card_type):
    payment = vouchers.voucher_purchase_create(client=buyer, product=free_amount, amount_cents=5000, recipient_email="m@example.nl", now=NOW)
    voucher = vouchers.voucher_of(payment)
    card_payment = cards.card_purchase_create(client=client_user, card_type=card_type, now=NOW)
    _refused(voucher, card_payment, client_user, "Deze cadeaubon is nog niet betaald, dus je kunt hem nog niet gebruiken.")


def test_a_voucher_cannot_pay_for_another_voucher(free_amount, buyer, client_user):
    voucher = issued(free_amount, buyer)
    other = vouchers.voucher_purchase_create(client=client_user, product=free_amount, amount_cents=2000, recipient_email="x@example.nl", now=NOW)
    _refused(voucher, other, client_user, "Hiervoor kun je niet met een cadeaubon betalen.")


def test_a_payment_that_never_comes_gives_the_euros_back_once(free_amount, buyer, client_user, card_type):
    voucher = issued(free_amount, buyer, value=3000)
    payment = cards.card_purchase_create(client=client_user, card_type=card_type, now=NOW)
    voucher_ledger.voucher_redeem_online(payment=payment, voucher=voucher, client=client_user, now=NOW)
    assert voucher_ledger.voucher_give_back(payment, NOW) == 3000
    assert voucher_ledger.voucher_give_back(payment, NOW) == 0
    assert voucher_ledger.voucher_balance(voucher) == 3000
    assert list(voucher.entries.values_list("kind", flat=True)) == ["issue", "redemption", "return"]


def test_taking_at_the_studio_never_goes_below_zero(free_amount, buyer, teacher_user):
    voucher = issued(free_amount, buyer, value=3000)
    entry = voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=1750, vat_rate=GENERAL, actor=teacher_user, reason="Yin", now=NOW)
    assert entry.kind == "at_studio" and entry.delta_cents == -1750 and entry.created_by == teacher_user
    with pytest.raises(PaymentError, match="Er staat nog maar €\xa012,50 op deze cadeaubon; neem hoogstens dat bedrag."):
        voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=1251, vat_rate=GENERAL, actor=teacher_user, now=NOW)
    with pytest.raises(PaymentError, match="Vul een bedrag in van minstens"):
        voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=0, vat_rate=GENERAL, actor=teacher_user, now=NOW)
    assert voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=None, vat_rate=GENERAL, actor=teacher_user, now=NOW).delta_cents == -1250
    assert voucher_ledger.voucher_balance(voucher) == 0 and voucher.entries.count() == 3


def test_the_expiry_job_writes_off_what_is_left_once(free_amount, buyer, client_user, card_type):
    voucher = issued(free_amount, buyer, value=3000)
    used_up = issued(free_amount, buyer, value=1000)
    voucher_ledger.voucher_at_studio(voucher=used_up, amount_cents=None, vat_rate=GENERAL, actor=buyer, now=NOW)
    assert voucher_ledger.vouchers_expire(now=NOW + timedelta(days=300)) == 0
    later = voucher.expires_at + timedelta(minutes=1)
    assert voucher_ledger.vouchers_expire(now=later) == 1
    assert voucher_ledger.vouchers_expire(now=later) == 0
    assert voucher.entries.get(kind="expiry").delta_cents == -3000 and voucher_ledger.voucher_balance(voucher) == 0
    assert not used_up.entries.filter(kind="expiry").exists()


def test_the_expiry_task_runs_the_job(free_amount, buyer):
    from bookings.tasks import expire_gift_vouchers
    issued(free_amount, buyer, value=3000, now=NOW - timedelta(days=800))
    assert expire_gift_vouchers.delay().get() == 1
    assert Voucher.objects.with_balance().get().balance_value == 0


def test_a_refunded_voucher_purchase_takes_the_money_back_off_the_voucher(free_amount, buyer, client_user):
    from bookings.models import Refund
    from bookings.payments import refunds

    voucher = issued(free_amount, buyer, value=5000)
    payment = voucher.payment
    payment.receipt_number = "2026-00077"
    payment.save(update_fields=["receipt_number"])
    effect = kinds.kind_for("voucher").refund_effect(payment, 2000)
    assert "Er gaat € 20,00 af van cadeaubon" in effect.replace("\u00a0", " ")
    refund = Refund.objects.create(payment=payment, amount_cents=2000, reason="changed her mind", idempotency_key="r-1")
    refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED)
    refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED)  # told twice: once
    assert voucher_ledger.voucher_balance(voucher) == 3000
    # Spent in part meanwhile: only what is left comes off, never below zero.
    voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=2500, vat_rate=GENERAL, actor=None, now=NOW)
    second = Refund.objects.create(payment=payment, amount_cents=3000, reason="the rest", idempotency_key="r-2")
    refunds.refund_settled(refund=second, status=Refund.Status.SUCCEEDED)
    assert voucher_ledger.voucher_balance(voucher) == 0
