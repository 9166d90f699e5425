"""A pause that crosses a renewal, on the local Stripe (test clock) with its events handed to our webhook.

Stripe voids the paused renewal's invoice, but the subscription's period moves on. When collection goes
on again (at `resumes_at`, or when she ends the pause early) sync asks Stripe for a new period from that
moment (`billing_cycle_anchor=now`), charged at once: she pays from the day she is back, once, however
often the events come. A pause inside a paid month changes no billing."""

import logging
from datetime import timedelta

import pytest
import stripe
import time_machine
from django.urls import reverse

from bookings.group import services
from bookings.memberships import periods
from bookings.models import Invoice, Membership, Payment
from bookings.payments import billing
from tests.memberships.conftest import buy, stripe_events_payload
from tests.memberships.members import a_class, membership_type

pytestmark = pytest.mark.django_db


def subscription(fake_stripe, membership):
    return fake_stripe.get(membership.stripe_subscription_id)


def update_invoices(fake_stripe):
    """The invoices Stripe made for a new period from now (a re-anchor)."""
    return [invoice for invoice in fake_stripe.state.invoices.values() if invoice["billing_reason"] == "subscription_update"]


def paused_across_the_renewal(client, client_user, fake_stripe, clock, events, *, days_after_renewal):
    """She buys a membership and pauses it from today until some days after its first renewal; the
    clock passes that renewal (its invoice is voided, the period moves on)."""
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    today = periods.local_date(membership.current_period_start)
    back = periods.local_date(membership.current_period_end) + timedelta(days=days_after_renewal)
    client.force_login(client_user)
    response = client.post(reverse("bookings:membership_pause"),
                           {"pause_from": today.isoformat(), "pause_until": back.isoformat()}, follow=True)
    assert "Valt er een maandbetaling in de pauze, dan schuift die op naar de dag dat je terugkomt." in response.content.decode()
    renewal = membership.current_period_end + timedelta(hours=2)
    fake_stripe.advance_clock(clock["id"], int(renewal.timestamp()))
    with time_machine.travel(renewal, tick=False):
        events.deliver_new()
    voided = fake_stripe.get(subscription(fake_stripe, membership)["latest_invoice"])
    assert (voided["status"], voided["billing_reason"]) == ("void", "subscription_cycle")
    first_end = membership.current_period_end
    membership.refresh_from_db()
    assert membership.current_period_start == first_end and membership.paused_at_stripe
    assert Payment.objects.filter(membership=membership).count() == 1 and not update_invoices(fake_stripe)
    return membership, back, voided


def test_passing_resumes_at_starts_a_new_paid_period_from_that_moment_once(client, client_user, fake_stripe, clock, events):
    membership, back, voided = paused_across_the_renewal(client, client_user, fake_stripe, clock, events, days_after_renewal=10)
    resumes = periods.start_of_day(back)
    with time_machine.travel(resumes - timedelta(days=1), tick=False):
        page = client.get(reverse("bookings:my_membership")).content.decode()
    assert f"{back.day} " in page and "(de dag dat je terugkomt: dan begint je nieuwe maand)" in page

    fake_stripe.advance_clock(clock["id"], int(resumes.timestamp()))
    with time_machine.travel(resumes + timedelta(minutes=1), tick=False):
        delivered = events.deliver_new()  # the pause ends: sync asks for a new period after its commit
        delivered += events.deliver_new()  # what that re-anchor sent: the new period and its paid invoice
        events.deliver_again(delivered)  # Stripe may send everything twice

    [charged] = update_invoices(fake_stripe)
    assert (charged["status"], charged["amount_paid"], charged["created"]) == ("paid", 7900, int(resumes.timestamp()))
    sub = subscription(fake_stripe, membership)
    assert sub["latest_invoice"] == charged["id"] and sub["pause_collection"] is None
    membership.refresh_from_db()
    assert membership.current_period_start == resumes and not membership.paused_at_stripe
    assert membership.current_period_end.timestamp() == sub["items"]["data"][0]["current_period_end"]
    payment = Payment.objects.get(stripe_invoice_id=charged["id"])
    assert (payment.membership, payment.amount_cents, payment.status, payment.method) == (membership, 7900, "paid", "sepa_debit")
    assert Invoice.objects.filter(payment=payment).count() == 1
    assert Payment.objects.filter(membership=membership).count() == 2  # the first month and this one; none for the void
    assert not Payment.objects.filter(stripe_invoice_id=voided["id"]).exists()
    with time_machine.travel(resumes + timedelta(hours=1), tick=False):
        assert services.booking_create(client=client_user, session=a_class(resumes + timedelta(days=25)),
                                       pay_with="membership").is_confirmed


def test_ending_the_pause_early_after_a_voided_renewal_charges_her_from_today(client, client_user, fake_stripe, clock, events):
    membership, back, _ = paused_across_the_renewal(client, client_user, fake_stripe, clock, events, days_after_renewal=20)
    today_at_stripe = membership.current_period_start + timedelta(days=3)
    fake_stripe.advance_clock(clock["id"], int(today_at_stripe.timestamp()))
    with time_machine.travel(today_at_stripe, tick=False):
        events.deliver_new()
        assert not update_invoices(fake_stripe)  # still paused
        response = client.post(reverse("bookings:membership_pause_end"), follow=True)  # changes.pause_end
        assert "De pauze is voorbij: welkom terug." in response.content.decode()
        events.deliver_new()  # Stripe's subscription.updated (pause cleared): sync re-anchors after its commit
        events.deliver_new()

    [charged] = update_invoices(fake_stripe)
    assert charged["status"] == "paid" and charged["lines"]["data"][0]["period"]["start"] == int(today_at_stripe.timestamp())
    membership.refresh_from_db()
    assert membership.current_period_start == today_at_stripe and membership.pause_until is None
    assert Payment.objects.filter(stripe_invoice_id=charged["id"], amount_cents=7900).count() == 1


def test_a_pause_inside_a_paid_month_changes_no_billing(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    first_start, first_end = membership.current_period_start, membership.current_period_end
    today = periods.local_date(first_start)
    client.force_login(client_user)
    client.post(reverse("bookings:membership_pause"),
                {"pause_from": today.isoformat(), "pause_until": (today + timedelta(days=7)).isoformat()})
    page = client.get(reverse("bookings:my_membership")).content.decode()
    assert "dan begint je nieuwe maand)" not in page  # the next payment stays where it was

    resumes = periods.start_of_day(today + timedelta(days=7))
    fake_stripe.advance_clock(clock["id"], int(resumes.timestamp()))
    with time_machine.travel(resumes + timedelta(minutes=1), tick=False):
        events.deliver_new()
        events.deliver_new()
    assert subscription(fake_stripe, membership)["pause_collection"] is None and not update_invoices(fake_stripe)
    membership.refresh_from_db()
    assert (membership.current_period_start, membership.current_period_end) == (first_start, first_end)
    assert Payment.objects.filter(membership=membership).count() == 1

    renewal = first_end + timedelta(hours=2)  # and the next month renews as always
    fake_stripe.advance_clock(clock["id"], int(renewal.timestamp()))
    with time_machine.travel(renewal, tick=False):
        events.deliver_new()
    membership.refresh_from_db()
    assert membership.current_period_start == first_end and Payment.objects.filter(membership=membership).count() == 2
    assert not update_invoices(fake_stripe)


@pytest.mark.django_db(transaction=True)  # commits as in production: the re-anchor runs inside the webhook's request
def test_when_stripe_cannot_be_reached_the_event_fails_and_stripes_retry_starts_the_new_period(
        client, client_user, fake_stripe, clock, events, monkeypatch, caplog):
    membership, back, voided = paused_across_the_renewal(client, client_user, fake_stripe, clock, events, days_after_renewal=5)
    resumes = periods.start_of_day(back)
    fake_stripe.advance_clock(clock["id"], int(resumes.timestamp()))
    reanchor = billing.subscription_reanchor

    def unreachable(*args, **kwargs):
        raise stripe.APIConnectionError("Stripe is away")

    monkeypatch.setattr(billing, "subscription_reanchor", unreachable)
    with time_machine.travel(resumes + timedelta(minutes=1), tick=False), caplog.at_level(logging.ERROR):
        answers = {event["type"]: events._deliver(stripe_events_payload(event)).status_code for event in events.new()}
    assert answers["customer.subscription.updated"] == 500  # Stripe will send it again
    assert f"no new period after the pause (void invoice {voided['id']})" in caplog.text
    membership.refresh_from_db()
    assert not membership.paused_at_stripe and membership.status == Membership.Status.ACTIVE  # what the sync saved stays
    assert not update_invoices(fake_stripe) and Payment.objects.filter(membership=membership).count() == 1

    monkeypatch.setattr(billing, "subscription_reanchor", reanchor)
    with time_machine.travel(resumes + timedelta(minutes=5), tick=False):
        events.deliver_again(fake_stripe.events_of_type("customer.subscription.updated")[-1:])  # Stripe's retry
        events.deliver_new()
    [charged] = update_invoices(fake_stripe)
    assert charged["status"] == "paid" and Payment.objects.filter(stripe_invoice_id=charged["id"]).count() == 1
