"""Fixtures the bookings tests share."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.group import services
from bookings.models import Payment
from bookings.payments import checkout, fulfilment
from tests.bookings import stripe_events
from tests.factories import AppointmentTypeFactory, SessionFactory, individual_tre_type, teacher_at_work


@pytest.fixture
def teacher(db):
    """The teacher, with free hours for one-to-ones Monday to Friday, 9:00 to 17:00."""
    return teacher_at_work()


@pytest.fixture
def tre(teacher):
    """One-to-one TRE® with her, also the way to follow the TRE® programme one-to-one."""
    return individual_tre_type(teacher=teacher)


@pytest.fixture
def energetic(teacher):
    """Her 90-minute Energetische Sessie."""
    return AppointmentTypeFactory(teacher=teacher, slug="energetische-sessie-90", duration_minutes=90, price_cents=10500)


@pytest.fixture
def desk(client, admin_person):
    """The test client, signed in as the studio's admin at her desk."""
    client.force_login(admin_person)
    return client


@pytest.fixture
def deliver(client, committed):
    """Post a signed Stripe event to the webhook, and let what it queued for after the commit run."""
    def post(payload, **kwargs):
        with committed():
            return stripe_events.post(client, payload, **kwargs)
    return post


@pytest.fixture
def paid_by_card(fake_stripe, client_user) -> Payment:
    """A drop-in booking paid by card through the local Stripe, fulfilled: a payment with a charge to refund."""
    start = timezone.now() + timedelta(days=2)
    booking = services.booking_create(client=client_user, pay_with="stripe",
                                      session=SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1)))
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client_user,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    booking.payment.refresh_from_db()
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="card")
    return fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)
