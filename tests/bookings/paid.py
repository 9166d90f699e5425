"""A drop-in paid online through the local Stripe and fulfilled: a payment with a charge to refund,
for the admin's desk (its tests and its browser journey)."""

from datetime import timedelta

from django.utils import timezone

from bookings.group import services
from bookings.models import Payment
from bookings.payments import checkout, fulfilment
from tests.factories import OfferingFactory, SessionFactory


def paid_online(fake_stripe, person, *, price_cents=7500, method="card", fulfil=True, name="Yin yoga") -> Payment:
    start = timezone.now() + timedelta(days=2)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1),
                             offering=OfferingFactory(slug=f"te-betalen-{price_cents}", name_nl=name, name_en=name,
                                                      drop_in_price_cents=price_cents))
    booking = services.booking_create(client=person, pay_with="stripe", session=session)
    checkout.checkout_start(payment=booking.payment, line_name=name, client=person,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    booking.payment.refresh_from_db()
    fake_stripe.pay(booking.payment.stripe_checkout_id, method=method)
    if not fulfil:
        return booking.payment
    return fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)
