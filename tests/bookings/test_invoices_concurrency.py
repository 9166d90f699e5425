"""Invoice numbers under real concurrency on PostgreSQL: payments completing at the same moment, and
credit invoices of refunds taken from the same series at the same moment, get distinct numbers that
run on without a gap; asking for one invoice many times at once makes one."""


import pytest
from django.db import transaction
from django.utils import timezone

from bookings.models import Invoice, Payment, Refund
from bookings.payments import invoices, records, refunds
from tests.bookings.parallel import run_at_once
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def all_at_once(jobs) -> list:
    """Every job at the same moment; none may fail."""
    results = run_at_once(jobs)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    return results


def series(count: int) -> list[str]:
    year = timezone.localtime().year
    return [f"{year}-{n:05d}" for n in range(1, count + 1)]


def test_credit_invoices_and_payments_at_the_studio_at_once_share_one_series_without_gaps(db):
    people = [UserFactory(email=f"serie{index}@example.nl") for index in range(20)]
    with transaction.atomic():
        paid = [records.payment_received_at_studio(client=person, purpose="drop_in", amount_cents=1500, method="cash", description="Yin")
                for person in people]
    pending = [Refund.objects.create(payment=payment, amount_cents=500, reason="korting", idempotency_key=f"serie-{payment.pk}")
               for payment in paid]

    def settle(refund):
        return lambda: refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED)

    def take_cash(person):
        def job():
            with transaction.atomic():
                return records.payment_received_at_studio(client=person, purpose="drop_in", amount_cents=2000, method="pin",
                                                          description="Hatha")
        return job

    all_at_once([settle(refund) for refund in pending] + [take_cash(person) for person in people])

    assert sorted(Invoice.objects.values_list("number", flat=True)) == series(60)
    assert Invoice.objects.filter(kind="credit").count() == 20 == Refund.objects.filter(status="succeeded", credit_invoice__isnull=False).count()
    assert Invoice.objects.filter(kind="invoice").count() == 40


def test_one_invoice_asked_for_twenty_times_at_once_is_made_once(db):
    payment = Payment.objects.create(client=UserFactory(), purpose="drop_in", description="Yin", amount_cents=1750, vat_rate_percent=21,
                                     status="paid", paid_at=timezone.now(), receipt_number="2026-00500")

    made = all_at_once([lambda: invoices.invoice_issue(payment).pk for _ in range(20)])

    assert len(set(made)) == 1 and Invoice.objects.get().number == "2026-00500"
