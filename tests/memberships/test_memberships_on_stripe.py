"""A membership on the local Stripe (devtools/fakestripe, through the official SDK), its events handed
to our webhook: buying it with iDEAL, a renewal on the test clock, a failed renewal (the email, the
grace days, a new payment method through Checkout in setup mode that pays the open invoice), pausing
(at once and by the job), and cancelling at the end of the period."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookings.errors import BookingError
from bookings.group import services
from bookings.memberships import changes, jobs, periods, privacy
from bookings.models import Invoice, Membership, MembershipType, Payment, StripeEvent
from bookings.payments import kinds, refunds
from tests.factories import UserFactory
from tests.memberships.conftest import buy
from tests.memberships.members import a_class, membership_type

pytestmark = pytest.mark.django_db


def subscription(fake_stripe, membership):
    return fake_stripe.get(membership.stripe_subscription_id)


def test_buying_with_ideal_starts_it_with_a_paid_month_a_receipt_an_invoice_and_a_welcome(client, client_user, fake_stripe,
                                                                                          clock, events):
    kind = membership_type(classes=4, name="4 lessen per maand", price_cents=4900)
    membership = buy(client, client_user, kind, fake_stripe, events)

    assert membership.status == Membership.Status.ACTIVE and membership.stripe_subscription_id
    item = subscription(fake_stripe, membership)["items"]["data"][0]
    assert membership.current_period_start.timestamp() == item["current_period_start"]
    assert membership.current_period_end.timestamp() == item["current_period_end"]
    assert membership.stripe_customer_id == subscription(fake_stripe, membership)["customer"]
    payment = Payment.objects.get(membership=membership)
    assert (payment.purpose, payment.amount_cents, payment.status, payment.method) == ("membership", 4900, "paid", "ideal")
    assert payment.receipt_number and payment.stripe_invoice_id and payment.vat_rate_percent == kind.vat_rate_percent
    assert Invoice.objects.filter(payment=payment).count() == 1
    welcome = [m for m in mail.outbox if m.subject == "Welkom: je abonnement 4 lessen per maand is begonnen"]
    assert len(welcome) == 1 and "4 lessen per maand zitten erbij" in welcome[0].body
    kind.refresh_from_db()
    assert kind.stripe_price_id and kind.stripe_price_cents == 4900

    response = client.get(reverse("bookings:membership_return") + f"?session_id={membership.stripe_checkout_id}", follow=True)
    page = response.content.decode()
    assert "Welkom! Je abonnement is actief" in page and "Nog over deze periode" in page and "4 lessen" in page
    assert reverse("bookings:receipt", kwargs={"pk": payment.pk}) in page


def test_a_second_client_reuses_the_price_and_one_membership_at_a_time_is_possible(client, client_user, fake_stripe, clock, events):
    kind = membership_type()
    buy(client, client_user, kind, fake_stripe, events)
    buy(client, UserFactory(email="tweede@example.nl"), kind, fake_stripe, events)
    assert len(fake_stripe.events_of_type("price.created")) == 1

    client.force_login(client_user)
    response = client.post(reverse("bookings:membership_buy"), {"membership_type": kind.pk}, follow=True)
    assert ("Je hebt al een abonnement (Onbeperkt yoga). Je vindt het op je abonnementspagina; je kunt één abonnement "
            "tegelijk hebben.") in response.content.decode()
    assert Membership.objects.filter(client=client_user).count() == 1


def test_a_type_not_on_sale_cannot_be_bought(client, client_user, fake_stripe):
    kind = membership_type(is_on_sale=False)
    client.force_login(client_user)
    response = client.post(reverse("bookings:membership_buy"), {"membership_type": kind.pk}, follow=True)
    assert "Dit abonnement is niet te koop." in response.content.decode()
    assert not Membership.objects.exists() and not fake_stripe.events


def test_the_clock_renews_it_with_a_new_period_and_a_second_payment_by_direct_debit(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    first_end = membership.current_period_end
    fake_stripe.advance_clock(clock["id"], int((first_end + timedelta(hours=2)).timestamp()))
    events.deliver_new()

    membership.refresh_from_db()
    assert membership.current_period_start == first_end and membership.status == Membership.Status.ACTIVE
    payments = list(Payment.objects.filter(membership=membership).order_by("pk"))
    assert len(payments) == 2 and payments[1].method == "sepa_debit" and payments[1].receipt_number != payments[0].receipt_number
    assert any(m.subject == "Je abonnement Onbeperkt yoga is weer voor een maand betaald" for m in mail.outbox)


@pytest.mark.parametrize("method", ["ideal", "card"])
def test_a_failed_renewal_emails_once_blocks_after_the_grace_days_and_a_new_method_pays_it(client, client_user, fake_stripe, clock,
                                                                                         events, method):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    fake_stripe.fail_renewals(membership.stripe_customer_id)
    renewal = membership.current_period_end + timedelta(hours=2)
    with time_machine.travel(renewal, tick=True):  # our clock and the test clock at the renewal
        fake_stripe.advance_clock(clock["id"], int(renewal.timestamp()))
        delivered = events.deliver_new()
        events.deliver_again(delivered)  # Stripe may send everything twice
        paying_it_later(client, client_user, membership, fake_stripe, events, method=method)


def paying_it_later(client, client_user, membership, fake_stripe, events, method="card"):
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PAST_DUE and membership.payment_failed_at is not None
    failed = [m for m in mail.outbox if m.subject == "De betaling van je abonnement is niet gelukt"]
    assert len(failed) == 1
    link = reverse("bookings:membership_payment_method")
    assert f"{settings.SITE_URL}{link}" in failed[0].body

    session = a_class(timezone.now() + timedelta(days=12))
    assert services.booking_create(client=client_user, session=a_class(timezone.now() + timedelta(days=1), style="hatha"),
                                   pay_with="membership").is_confirmed  # within the grace days
    with pytest.raises(BookingError, match="De laatste betaling van je abonnement is niet gelukt"):
        services.booking_create(client=client_user, session=session, pay_with="membership",
                                now=membership.payment_failed_at + timedelta(days=7, minutes=1))

    # She follows the link: our page, then the stand-in's setup page, where she gives a card or sets up iDEAL.
    client.force_login(client_user)
    assert "Een betaalmethode opgeven" in client.get(link).content.decode()
    to_stripe = client.post(link)
    assert to_stripe.status_code == 302
    setup_id = to_stripe["Location"].rstrip("/").split("/")[-1]
    fake_stripe.complete_setup(setup_id, method=method)
    events.deliver_new()
    events.deliver_new()  # what paying the open invoice sent

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE and membership.payment_failed_at is None
    sub = subscription(fake_stripe, membership)
    assert sub["status"] == "active"
    # iDEAL cannot be charged again: what is kept for the next months is the SEPA Direct Debit it set up.
    assert fake_stripe.get(sub["default_payment_method"])["type"] == ("sepa_debit" if method == "ideal" else "card")
    assert fake_stripe.get(sub["latest_invoice"])["status"] == "paid"
    assert Payment.objects.filter(membership=membership).count() == 2
    done = client.get(reverse("bookings:membership_payment_method_done") + f"?session_id={setup_id}", follow=True)
    assert "je abonnement is betaald" in done.content.decode()
    assert services.booking_create(client=client_user, session=session, pay_with="membership",
                                   now=timezone.now() + timedelta(days=8)).is_confirmed


def test_a_pause_from_today_goes_to_stripe_at_once_and_ending_it_early_clears_it(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    today = periods.local_date(timezone.now())
    client.force_login(client_user)
    response = client.post(reverse("bookings:membership_pause"),
                           {"pause_from": today.isoformat(), "pause_until": (today + timedelta(days=14)).isoformat()}, follow=True)
    assert "Je abonnement staat op pauze van" in response.content.decode()
    pause = subscription(fake_stripe, membership)["pause_collection"]
    assert pause["behavior"] == "void" and pause["resumes_at"] == int(periods.start_of_day(today + timedelta(days=14)).timestamp())
    with pytest.raises(BookingError, match="staat op pauze tot"):
        services.booking_create(client=client_user, session=a_class(timezone.now() + timedelta(days=20)), pay_with="membership")

    response = client.post(reverse("bookings:membership_pause_end"), follow=True)
    assert "De pauze is voorbij: welkom terug." in response.content.decode()
    assert subscription(fake_stripe, membership)["pause_collection"] is None
    membership.refresh_from_db()
    assert membership.pause_from is None and not membership.paused_at_stripe
    assert services.booking_create(client=client_user, session=a_class(timezone.now() + timedelta(days=2)),
                                   pay_with="membership").is_confirmed


def test_a_later_pause_is_started_by_the_job_on_its_first_day(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    today = periods.local_date(timezone.now())
    changes.pause_plan(membership=membership, pause_from=today + timedelta(days=3), pause_until=today + timedelta(days=10))
    assert subscription(fake_stripe, membership)["pause_collection"] is None
    assert jobs.memberships_due(now=timezone.now())["pauses_started"] == 0

    first_day = periods.start_of_day(today + timedelta(days=3)) + timedelta(minutes=10)
    with time_machine.travel(first_day, tick=False):
        assert jobs.memberships_due(now=first_day) == {"pauses_started": 1, "cancellations_sent": 0}
        assert jobs.memberships_due(now=first_day)["pauses_started"] == 0  # once
    assert subscription(fake_stripe, membership)["pause_collection"]["resumes_at"] == int(
        periods.start_of_day(today + timedelta(days=10)).timestamp())


def test_cancelling_ends_it_at_the_period_end_confirmed_by_email_and_can_be_undone(client, client_user, fake_stripe, clock, events,
                                                                                  django_capture_on_commit_callbacks):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    client.force_login(client_user)
    page = client.get(reverse("bookings:membership_cancel")).content.decode()
    end = periods.local_date(membership.current_period_end)
    assert f'value="{end.isoformat()}"' in page

    wrong = client.post(reverse("bookings:membership_cancel"), {"ends": (end + timedelta(days=31)).isoformat()}, follow=True)
    assert "De einddatum is nu" in wrong.content.decode()
    assert not subscription(fake_stripe, membership)["cancel_at_period_end"]

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("bookings:membership_cancel"), {"ends": end.isoformat()}, follow=True)
    assert "Je abonnement is opgezegd en stopt op" in done.content.decode()
    assert subscription(fake_stripe, membership)["cancel_at_period_end"]
    assert [m.subject for m in mail.outbox].count("Je abonnement Onbeperkt yoga is opgezegd") == 1

    client.post(reverse("bookings:membership_cancel_undo"))
    assert not subscription(fake_stripe, membership)["cancel_at_period_end"]
    membership.refresh_from_db()
    assert membership.ends_at is None and membership.cancel_requested_at is None

    client.post(reverse("bookings:membership_cancel"), {"ends": end.isoformat()})
    fake_stripe.advance_clock(clock["id"], int((membership.current_period_end + timedelta(hours=1)).timestamp()))
    events.deliver_new()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.CANCELLED and membership.ended_at is not None
    assert Payment.objects.filter(membership=membership).count() == 1  # nothing charged after the end
    assert client.get(reverse("bookings:my_membership")).status_code == 200


def test_a_minimum_term_moves_the_end_and_the_job_sends_it_when_its_last_period_runs(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(minimum_months=3), fake_stripe, events)
    end = changes.cancel_end(membership)
    assert end > membership.current_period_end + timedelta(days=50)
    changes.membership_cancel(membership=membership, shown_end=periods.local_date(end).isoformat())
    assert not subscription(fake_stripe, membership)["cancel_at_period_end"]
    assert jobs.memberships_due(now=timezone.now())["cancellations_sent"] == 0
    membership.refresh_from_db()
    assert membership.ends_at == end and MembershipType.objects.get().minimum_months == 3


def test_coming_back_before_stripe_s_events_already_starts_it_and_the_late_events_change_nothing(client, client_user, fake_stripe,
                                                                                                 clock, events, django_capture_on_commit_callbacks):
    client.force_login(client_user)
    client.post(reverse("bookings:membership_buy"), {"membership_type": membership_type().pk})
    membership = Membership.objects.get(client=client_user)
    fake_stripe.pay_subscription_checkout(membership.stripe_checkout_id, method="card")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("bookings:membership_return") + f"?session_id={membership.stripe_checkout_id}", follow=True)
    assert "Welkom! Je abonnement is actief" in response.content.decode()
    membership.refresh_from_db()
    before = (membership.status, membership.current_period_start, membership.current_period_end, membership.started_at)
    events.deliver_new()
    membership.refresh_from_db()
    assert (membership.status, membership.current_period_start, membership.current_period_end, membership.started_at) == before
    payment = Payment.objects.get(membership=membership)
    assert payment.method == "card"
    receipt = client.get(reverse("bookings:receipt", kwargs={"pk": payment.pk})).content.decode()
    assert "Abonnement Onbeperkt yoga" in receipt and payment.receipt_number in receipt
    assert [m.subject for m in mail.outbox].count("Welkom: je abonnement Onbeperkt yoga is begonnen") == 1


def test_stopping_at_checkout_closes_it_and_charges_nothing(client, client_user, fake_stripe, clock, events):
    client.force_login(client_user)
    kind = membership_type()
    client.post(reverse("bookings:membership_buy"), {"membership_type": kind.pk})
    membership = Membership.objects.get(client=client_user)
    response = client.get(reverse("bookings:membership_stopped"), follow=True)
    assert "Je bent gestopt met betalen, dus er is niets afgeschreven." in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.NOT_STARTED
    assert fake_stripe.get(membership.stripe_checkout_id)["status"] == "expired"
    events.deliver_new()  # checkout.session.expired changes nothing more
    membership.refresh_from_db()
    assert membership.status == Membership.Status.NOT_STARTED and not Payment.objects.exists()
    again = buy(client, client_user, kind, fake_stripe, events)  # she may start again, with the same Stripe customer
    assert again.status == Membership.Status.ACTIVE and again.stripe_customer_id == membership.stripe_customer_id


def test_a_running_membership_keeps_the_account_open_and_is_in_her_data(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    assert privacy.blockers(client_user, timezone.now()) == [
        "Je hebt nog een lopend abonnement. Zeg het eerst op via je abonnementspagina; als het afgelopen is, kun je je account sluiten."]
    changes.membership_cancel(membership=membership)
    assert privacy.blockers(client_user, timezone.now())[0].startswith("Je abonnement loopt tot ")
    section = privacy.sections(client_user)[0].as_json()
    assert "Onbeperkt yoga" in str(section)


def test_a_month_refunded_at_the_desk_goes_back_through_its_payment_and_the_membership_goes_on(client, client_user, fake_stripe,
                                                                                              clock, events,
                                                                                              django_capture_on_commit_callbacks):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    payment = Payment.objects.get(membership=membership)
    assert kinds.kind_for(payment.purpose).refund_effect(payment, 1000).startswith("Het abonnement loopt gewoon door")
    with django_capture_on_commit_callbacks(execute=True):
        refund = refunds.refund_create(payment=payment, amount_cents=1000, reason="goodwill", key="membership-goodwill")
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.stripe_refund_id
    payment.refresh_from_db()
    assert payment.refunded_cents == 1000
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_the_events_about_a_paid_month_belong_to_its_payment_in_the_payment_s_story(client, client_user, fake_stripe, clock, events):
    membership = buy(client, client_user, membership_type(), fake_stripe, events)
    payment = Payment.objects.get(membership=membership)
    assert set(StripeEvent.objects.filter(payment=payment).values_list("type", flat=True)) >= {"invoice.paid", "invoice.payment_succeeded"}


def test_the_page_after_a_new_method_acts_only_on_her_own_membership(client, client_user, fake_stripe, clock, events):
    kind = membership_type()
    hers = buy(client, client_user, kind, fake_stripe, events)
    other = UserFactory(email="ander@example.nl")
    theirs = buy(client, other, kind, fake_stripe, events)
    client.force_login(client_user)
    to_stripe = client.post(reverse("bookings:membership_payment_method"))
    setup_id = to_stripe["Location"].rstrip("/").split("/")[-1]
    fake_stripe.complete_setup(setup_id, method="card")
    before = subscription(fake_stripe, hers)["default_payment_method"]

    # Someone else with a running membership opens the return page with her Checkout's id: nothing changes.
    client.force_login(other)
    client.get(reverse("bookings:membership_payment_method_done") + f"?session_id={setup_id}")
    assert subscription(fake_stripe, hers)["default_payment_method"] == before
    assert subscription(fake_stripe, theirs)["default_payment_method"] != fake_stripe.get(setup_id)["setup_intent"]
    # She herself does, and her card becomes the method of her membership.
    client.force_login(client_user)
    client.get(reverse("bookings:membership_payment_method_done") + f"?session_id={setup_id}")
    assert subscription(fake_stripe, hers)["default_payment_method"] != before
    assert fake_stripe.get(subscription(fake_stripe, hers)["default_payment_method"])["type"] == "card"
