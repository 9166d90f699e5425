"""A fixed set of books for the reports and exports tests: September and October-November 2026,
every moment fixed in the past, refunds made through the refund service at their own moments.

Money (receipt, product, VAT rate, amount, paid, refunds):
  2026-00100  class card  21%   80,00  20 Sep 2026 (Q3)   30,00 back on 2 Oct (Q4)
  2026-00101  drop-in      9%   17,50  15 Oct 2026
  2026-00102  class card  21%  120,00  20 Oct 2026        45,00 back on 25 Oct
  2026-00103  one-to-one  21%   75,00   5 Nov 2026        75,00 back on 10 Nov (all)
  and, not counted: a payment still pending, a failed one, a refund still pending.

Classes (October; September is compared with it):
  Yin   6 Oct  10 places: 8 booked (1 no-show), 1 late and 1 timely cancellation
  Hatha 13 Oct  8 places: 8 booked (1 no-show)
  Yin  20 Oct  10 places: 5 booked
  Yin  27 Oct  cancelled by the studio (1 booking, cancelled with it)
  Yin   8 Sep  10 places: 6 booked
  Yin  22 Sep  10 places: 4 booked (1 no-show), 1 late cancellation
Each booking was made (confirmed) three days before its class.
"""

from datetime import date, timedelta

import time_machine
from django.contrib.auth.models import Group
from django.db import transaction

from bookings.models import Booking, Payment, Refund
from bookings.payments import refunds
from tests.factories import BookingFactory, OfferingFactory, PaymentFactory, SessionFactory, StyleFactory, UserFactory, local

NOW = local(2026, 12, 15, 12, 0)  # every figure is asked for from here
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def admin():
    user = UserFactory(email="beheer@example.nl", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Admin")[0])
    return user


def _refund(payment, cents, moment):
    with time_machine.travel(moment, tick=False):
        with transaction.atomic():
            refund = refunds.refund_create(payment=payment, amount_cents=cents, reason="test", key=f"test-{payment.pk}-{cents}")
        refunds.refund_submit(refund_id=refund.pk)  # paid at the studio: settled at once, at that moment
    return refund


def money():
    people = [UserFactory(email=f"betaler{i}@example.nl", first_name=f"Betaler{i}", last_name="Jansen") for i in range(6)]
    paid = Payment.Status.PAID
    september = PaymentFactory(client=people[0], purpose="class_card", amount_cents=8000, vat_rate_percent=21, status=paid,
                               method="card", paid_at=local(2026, 9, 20, 11, 0), receipt_number="2026-00100")
    drop_in = PaymentFactory(client=people[1], purpose="drop_in", amount_cents=1750, vat_rate_percent=9, status=paid,
                             method="ideal", paid_at=local(2026, 10, 15, 10, 0), receipt_number="2026-00101")
    card = PaymentFactory(client=people[2], purpose="class_card", amount_cents=12000, vat_rate_percent=21, status=paid,
                          method="card", paid_at=local(2026, 10, 20, 14, 30), receipt_number="2026-00102")
    session = PaymentFactory(client=people[3], purpose="appointment", amount_cents=7500, vat_rate_percent=21, status=paid,
                             method="cash", paid_at=local(2026, 11, 5, 9, 15), receipt_number="2026-00103")
    PaymentFactory(client=people[4], purpose="drop_in", amount_cents=1750, status=Payment.Status.PENDING,
                   created_at=local(2026, 10, 16, 9, 0))
    PaymentFactory(client=people[5], purpose="drop_in", amount_cents=1750, status=Payment.Status.FAILED,
                   created_at=local(2026, 10, 17, 9, 0))
    _refund(september, 3000, local(2026, 10, 2, 16, 0))
    _refund(card, 4500, local(2026, 10, 25, 12, 0))
    _refund(session, 7500, local(2026, 11, 10, 10, 0))
    # Asked for and not settled (Stripe has not answered): not money back yet.
    Refund.objects.create(payment=drop_in, amount_cents=500, reason="test", idempotency_key="test-pending",
                          status=Refund.Status.PENDING, created_at=local(2026, 10, 28, 12, 0))
    return {"september": september, "drop_in": drop_in, "card": card, "session": session}


def _bookings(session, count, *, no_shows=0, late=0, timely=0):
    made = session.starts_at - timedelta(days=3)
    for i in range(count):
        booking = BookingFactory(session=session, client=UserFactory(email=f"k{session.pk}-{i}@example.nl"), confirmed_at=made)
        if i < no_shows:
            Booking.objects.filter(pk=booking.pk).update(attendance="no_show")
    for i in range(late + timely):
        BookingFactory(session=session, client=UserFactory(email=f"a{session.pk}-{i}@example.nl"), confirmed_at=made,
                       status="cancelled", late_cancellation=i < late, cancelled_at=made + timedelta(days=2))


def classes():
    yin = OfferingFactory()
    hatha = OfferingFactory(style=StyleFactory(slug="hatha"))

    def session(offering, month, day, capacity, **kwargs):
        return SessionFactory(offering=offering, starts_at=local(2026, month, day, 19, 30), ends_at=local(2026, month, day, 20, 45),
                              capacity=capacity, **kwargs)

    _bookings(session(yin, 10, 6, 10), 8, no_shows=1, late=1, timely=1)
    _bookings(session(hatha, 10, 13, 8), 8, no_shows=1)
    _bookings(session(yin, 10, 20, 10), 5)
    cancelled = session(yin, 10, 27, 10, status="cancelled")
    BookingFactory(session=cancelled, client=UserFactory(email="weg@example.nl"), status="cancelled", cancelled_by_studio=True,
                   confirmed_at=cancelled.starts_at - timedelta(days=3))
    _bookings(session(yin, 9, 8, 10), 6)
    _bookings(session(yin, 9, 22, 10), 4, no_shows=1, late=1)
