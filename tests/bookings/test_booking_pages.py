"""The booking pages with bad input, and the admin's money pages: a clear message, nothing half-saved."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from bookings.group import services
from bookings.models import Booking, ClassCard, CreditEntry, Payment, Refund
from bookings.payments import checkout, fulfilment
from tests.factories import ClassCardTypeFactory, UserFactory, class_card

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_card_type_not_for_sale_cannot_be_bought(logged_in, fake_stripe):
    hidden = ClassCardTypeFactory(name_nl="Oude kaart", is_on_sale=False)
    response = logged_in.post(reverse("bookings:card_buy", args=[hidden.pk]), follow=True)
    assert "Deze lessenkaart is niet te koop." in response.content.decode()
    assert not Payment.objects.exists() and not fake_stripe.events


def test_an_unknown_card_type_is_a_404(logged_in):
    assert logged_in.post(reverse("bookings:card_buy", args=[999999])).status_code == 404
    assert not Payment.objects.exists()


def test_an_unknown_payment_choice_on_the_page_saves_nothing(logged_in, session):
    response = logged_in.post(reverse("bookings:book", args=[session.pk]), {"pay_with": "cash-in-hand"}, follow=True)
    assert "Kies hoe je wilt betalen." in response.content.decode()
    assert not Booking.objects.exists()


def test_paying_for_an_expired_hold_is_refused(logged_in, client_user, session, fake_stripe):
    booking = services.booking_create(client=client_user, session=session, pay_with="stripe", now=timezone.now() - timedelta(minutes=20))
    response = logged_in.post(reverse("bookings:checkout_resume", args=[booking.payment_id]), follow=True)
    assert "De tijd om voor deze plek te betalen is voorbij" in response.content.decode()
    assert not fake_stripe.events and not Payment.objects.filter(stripe_checkout_id__isnull=False).exists()


def test_the_drop_in_flow_sends_the_client_to_checkout(logged_in, client_user, session, fake_stripe):
    response = logged_in.post(reverse("bookings:book", args=[session.pk]), {"pay_with": "stripe"})
    assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url)
    payment = Payment.objects.get()
    assert payment.stripe_checkout_id and payment.amount_cents == session.offering.drop_in_price_cents
    checkout = fake_stripe.get(payment.stripe_checkout_id)
    assert checkout["amount_total"] == payment.amount_cents and checkout["currency"] == "eur"
    assert checkout["customer_email"] == client_user.email and checkout["locale"] == "nl"
    assert set(checkout["payment_method_types"]) >= {"ideal", "card", "bancontact"}


def test_stopping_at_checkout_frees_the_place_at_once(logged_in, session, fake_stripe, django_capture_on_commit_callbacks):
    logged_in.post(reverse("bookings:book", args=[session.pk]), {"pay_with": "stripe"})
    payment = Payment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.get(reverse("bookings:checkout_cancelled", args=[payment.pk]), follow=True)
    assert "er is niets afgeschreven" in response.content.decode().lower()
    session.refresh_from_db()
    assert session.places_taken == 0 and Booking.objects.get().status == "released"
    assert Payment.objects.get().status == "expired" and fake_stripe.get(payment.stripe_checkout_id)["status"] == "expired"


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="beheer@example.nl", is_staff=True)
    admin.groups.add(Group.objects.get(name="Admin"))
    client.force_login(admin)
    return client


def paid_drop_in(fake_stripe, client, session):
    booking = services.booking_create(client=client, session=session, pay_with="stripe")
    checkout.checkout_start(payment=booking.payment, line_name="Yin", client=client, success_url="http://t/ok?s={CHECKOUT_SESSION_ID}",
                            cancel_url="http://t/no")
    booking.payment.refresh_from_db()
    fake_stripe.pay(booking.payment.stripe_checkout_id, method="card")
    return fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)


def test_the_admin_refunds_part_of_a_payment_through_stripe(admin_client, fake_stripe, session, django_capture_on_commit_callbacks):
    payment = paid_drop_in(fake_stripe, UserFactory(email="betaler@example.nl"), session)
    url = reverse("admin:bookings_payment_refund", args=[payment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"amount": "5,00", "reason": "Les ingekort"})
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount_cents, refund.reason, refund.status) == (500, "Les ingekort", "succeeded")
    payment.refresh_from_db()
    assert payment.status == "partially_refunded" and payment.refunded_cents == 500
    assert fake_stripe.events_of_type("refund.created")[0]["data"]["object"]["amount"] == 500


def test_the_admin_cannot_refund_more_than_is_left(admin_client, fake_stripe, session):
    payment = paid_drop_in(fake_stripe, UserFactory(email="betaler@example.nl"), session)
    response = admin_client.post(reverse("admin:bookings_payment_refund", args=[payment.pk]), {"amount": "99,00", "reason": "te veel"})
    assert response.status_code == 200 and "kan niet worden terugbetaald" in response.content.decode()
    assert not Refund.objects.exists()


def test_card_corrections_are_ledger_rows_with_a_reason(admin_client):
    card = class_card(UserFactory(email="kaart@example.nl"), credits=5)
    url = reverse("admin:bookings_classcard_correct", args=[card.pk])
    assert admin_client.post(url, {"delta": "2", "reason": ""}).status_code == 200  # no reason: refused
    assert admin_client.post(url, {"delta": "2", "reason": "Les uitgevallen"}).status_code == 302
    entry = CreditEntry.objects.get(kind="correction")
    assert (entry.delta, entry.reason) == (2, "Les uitgevallen") and entry.created_by is not None
    assert ClassCard.objects.with_balance().get(pk=card.pk).balance == 7
    change = admin_client.get(reverse("admin:bookings_classcard_change", args=[card.pk])).content.decode()
    assert 'name="balance' not in change  # the balance itself is never a field to edit
