"""Acceptance of the intro offer and the membership in Chromium, on the Stripe stand-in: a new client
buys the intro offer with iDEAL and books with it, and is refused a second one; another client starts
a monthly membership, books two classes, pauses for two weeks (booking refused meanwhile), resumes,
and when the stand-in's clock passes the month it renews: a new period, and an invoice as PDF."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bookings.memberships import changes
from bookings.models import Booking, ClassCard, Invoice, Membership, Payment
from tests.e2e.pagecheck import watch_console
from tests.factories import ClassCardTypeFactory, OfferingFactory, SessionFactory, StyleFactory, UserFactory
from tests.memberships.members import membership_type
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def yin_classes(days):
    offering = OfferingFactory(style=StyleFactory(slug="yin"), slug="yin-abonnement")
    sessions = []
    for day in days:
        start = (timezone.now() + timedelta(days=day)).replace(hour=19, minute=30, second=0, microsecond=0)
        sessions.append(SessionFactory(offering=offering, starts_at=start, ends_at=start + timedelta(minutes=75), capacity=8))
    return sessions


def test_the_intro_offer_once_then_a_membership_that_pauses_and_renews(page, live_server, stripe_webhooks_to, fake_stripe):
    first_class, second_class, in_the_pause, after_pause = yin_classes([2, 3, 8, 20])
    ClassCardTypeFactory(name_nl="Kennismaking", name_en="Intro offer", credits=2, validity_months=1, price_cents=2500,
                         once_per_person=True)
    membership_type(name="Onbeperkt yoga", price_cents=7900)
    errors = watch_console(page, live_server)

    # A new client buys the intro offer with iDEAL and books with it.
    newcomer = UserFactory(email="nieuw@example.nl")
    sign_in(page, live_server, newcomer)
    page.goto("/lessenkaarten/")
    page.get_by_role("button", name="Koop de Kennismaking").click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    page.get_by_role("button", name=re.compile("iDEAL", re.I)).first.click()
    page.wait_for_url(re.compile(r"/betaling/klaar/"))
    assert ClassCard.objects.get(client=newcomer).balance == 2
    page.goto(first_class.get_absolute_url())
    page.get_by_role("link", name="Boek deze les").click()
    page.get_by_role("button", name="Gebruik mijn lessenkaart").click()
    page.wait_for_url(re.compile(r"/mijn-boekingen/"))
    assert ClassCard.objects.get(client=newcomer).balance == 1

    # A second intro offer is refused: the page says it was used, and a forced post is refused too.
    page.goto("/lessenkaarten/")
    assert "Al gebruikt" in page.content()
    assert page.get_by_role("button", name="Koop de Kennismaking").count() == 0
    assert Payment.objects.filter(client=newcomer).count() == 1

    # Another client starts a monthly membership with iDEAL.
    member = UserFactory(email="lid@example.nl")
    sign_in(page, live_server, member)
    page.goto("/abonnementen/")
    page.get_by_role("button", name="Start Onbeperkt yoga").click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    page.get_by_role("button", name=re.compile("iDEAL", re.I)).first.click()
    page.wait_for_url(lambda url: url.startswith(live_server.url))
    membership = Membership.objects.get(client=member)
    assert membership.status == Membership.Status.ACTIVE
    first_end = membership.current_period_end

    # She books two classes with it.
    for session in (first_class, second_class):
        page.goto(f"/boeken/{session.pk}/")
        page.get_by_role("button", name="Boeken met mijn abonnement").click()
        page.wait_for_url(re.compile(r"/mijn-boekingen/"))
    assert Booking.objects.filter(client=member, paid_with="membership", status="confirmed").count() == 2

    # After those two classes she pauses for two weeks: booking a class in that time is refused.
    pause_from = timezone.localdate() + timedelta(days=4)
    page.goto("/mijn-abonnement/")
    page.get_by_label("Eerste dag van de pauze").fill(pause_from.isoformat())
    page.get_by_label("De dag dat je terugkomt").fill((pause_from + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Mijn abonnement pauzeren").click()
    assert "Gepauzeerd van" in page.inner_text("main")
    page.goto(f"/boeken/{in_the_pause.pk}/")
    assert page.get_by_role("button", name="Boeken met mijn abonnement").count() == 0
    assert "Je abonnement staat op pauze van" in page.inner_text("main")
    assert not Booking.objects.filter(client=member, session=in_the_pause).exists()

    # On its first day the scheduled job pauses the collection at Stripe, until the day she comes back.
    assert changes.pauses_start(now=timezone.now() + timedelta(days=4, hours=1)) == 1
    assert fake_stripe.get(membership.stripe_subscription_id)["pause_collection"]["behavior"] == "void"
    # Stripe's clock passes that day: the pause ends by itself, and she books with her membership again.
    fake_stripe.advance_time(19 * 24 * 3600)
    assert fake_stripe.get(membership.stripe_subscription_id)["pause_collection"] is None
    membership.refresh_from_db()
    assert not membership.paused_at_stripe
    page.goto(f"/boeken/{after_pause.pk}/")
    page.get_by_role("button", name="Boeken met mijn abonnement").click()
    page.wait_for_url(re.compile(r"/mijn-boekingen/"))

    # The month ends on the stand-in's clock: Stripe renews it, and the webhook brings the new period.
    fake_stripe.advance_time(13 * 24 * 3600)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE and membership.current_period_start >= first_end
    renewal = Payment.objects.filter(membership=membership, status="paid").order_by("-paid_at", "-pk").first()
    assert Payment.objects.filter(membership=membership, status="paid").count() == 2
    invoice = Invoice.objects.get(payment=renewal)

    # Her membership page lists the renewal; its receipt links the invoice PDF.
    page.goto("/mijn-abonnement/")
    assert page.get_by_role("link", name="Bon", exact=True).count() == 2
    page.goto(renewal.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(f"Factuur {invoice.number}")).click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(sheet.extract_text() for sheet in pdf.pages)
    assert invoice.number in text and "21%" in text
    assert not errors, "\n".join(errors)
