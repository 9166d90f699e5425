"""Invoice numbers under real concurrency on PostgreSQL: payments completing at the same moment, and
credit invoices of refunds taken from the same series at the same moment, get distinct numbers that
run on without a gap; asking for one invoice many times at once makes one."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bookings.group import services
from bookings.models import Invoice, Payment, Refund
from bookings.payments import checkout, invoices, records, refunds
from tests.bookings import stripe_events
from tests.bookings.parallel import fire_webhooks_at_once
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def all_at_once(jobs) -> list:
    """Run every job in its own thread with its own database connection, released together."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def series(count: int) -> list[str]:
    year = timezone.localtime().year
    return [f"{year}-{n:05d}" for n in range(1, count + 1)]


def test_fifty_payments_completing_at_once_get_fifty_consecutive_invoice_numbers(live_server, fake_stripe):
    start = timezone.now() + timedelta(days=3)
    payloads = []
    for index in range(50):
        session = SessionFactory(starts_at=start + timedelta(hours=index), ends_at=start + timedelta(hours=index, minutes=60))
        booking = services.booking_create(client=UserFactory(email=f"factuur{index}@example.nl"), session=session, pay_with="stripe")
        checkout.checkout_start(payment=booking.payment, line_name="Yin", client=booking.client,
                                success_url=f"{live_server.url}/ok?session_id={{CHECKOUT_SESSION_ID}}", cancel_url=f"{live_server.url}/no")
        booking.payment.refresh_from_db()
        fake_stripe.pay(booking.payment.stripe_checkout_id, method="ideal")
        payloads.append(stripe_events.event("checkout.session.completed", fake_stripe.get(booking.payment.stripe_checkout_id),
                                            event_id=f"evt_invoice_{index}"))

    statuses = fire_webhooks_at_once(live_server, payloads)

    assert statuses == [200] * 50
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == series(50)
    assert Invoice.objects.filter(kind="invoice").count() == 50 == Payment.objects.filter(status="paid").count()
    for invoice in Invoice.objects.select_related("payment"):
        assert invoice.number == invoice.payment.receipt_number and invoice.total_cents == invoice.payment.amount_cents


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
