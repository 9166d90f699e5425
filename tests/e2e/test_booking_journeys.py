"""Clients book and pay in Chromium, through the local Stripe stand-in's hosted checkout page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking, ClassCard
from tests.factories import ClassCardTypeFactory, SessionFactory, UserFactory, class_card
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def yin_class():
    start = (timezone.now() + timedelta(days=3)).replace(hour=19, minute=30, second=0, microsecond=0)
    return SessionFactory(starts_at=start, ends_at=start + timedelta(minutes=75), capacity=2)


def test_buy_a_card_with_ideal_and_book_with_it(page, live_server, stripe_webhooks_to, yin_class):
    client = UserFactory(email="kaart@example.nl")
    ClassCardTypeFactory(name_nl="5-lessenkaart", credits=5, price_cents=8000)
    sign_in(page, live_server, client)
    page.goto("/lessenkaarten/")
    page.get_by_role("button", name="Koop de 5-lessenkaart").click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    page.get_by_role("button", name=re.compile("iDEAL", re.I)).first.click()
    page.wait_for_url(re.compile(r"/betaling/klaar/"))
    assert "Dank je wel, je betaling is binnen" in page.content()
    assert ClassCard.objects.get(client=client).balance == 5

    page.goto(yin_class.get_absolute_url())
    page.get_by_role("link", name="Boek deze les").click()
    page.get_by_role("button", name="Gebruik mijn lessenkaart").click()
    page.wait_for_url(re.compile(r"/mijn-boekingen/"))
    assert "Je hebt een plek" in page.content()
    assert ClassCard.objects.get(client=client).balance == 4


def test_book_a_drop_in_and_pay(page, live_server, stripe_webhooks_to, yin_class):
    client = UserFactory(email="losse@example.nl")
    sign_in(page, live_server, client)
    page.goto(f"/boeken/{yin_class.pk}/")
    page.get_by_role("button", name=re.compile("online")).click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    page.get_by_role("button", name=re.compile("kaart|card", re.I)).first.click()
    page.wait_for_url(re.compile(r"/betaling/klaar/"))
    assert Booking.objects.get(client=client).status == "confirmed"
    page.get_by_role("link", name="Bon", exact=True).click()
    assert "Waarvan btw 21%" in page.content()


def test_cancel_early_and_see_the_credit_back(page, live_server, yin_class):
    client = UserFactory(email="annuleer@example.nl")
    card = class_card(client, credits=5)
    from bookings.group import services

    services.booking_create(client=client, session=yin_class, pay_with="card")
    sign_in(page, live_server, client)
    page.goto("/mijn-boekingen/")
    page.get_by_role("link", name="Annuleren").click()
    assert "de les komt terug op je lessenkaart" in page.content()
    page.get_by_role("button", name="Ja, annuleer mijn boeking").click()
    page.wait_for_url(re.compile(r"/mijn-boekingen/$"))
    assert "terug op je lessenkaart" in page.content()
    assert card.balance == 5
    assert "nog 5 lessen" in page.content()


def test_fill_a_class_join_the_waitlist_and_claim_the_freed_place(page, live_server, yin_class, mailoutbox):
    first, second, waiting = (UserFactory(email=f"{name}@example.nl") for name in ("een", "twee", "wacht"))
    for person in (first, second, waiting):
        class_card(person, credits=3)
    from bookings.group import services

    services.booking_create(client=first, session=yin_class, pay_with="card")
    services.booking_create(client=second, session=yin_class, pay_with="card")

    sign_in(page, live_server, waiting)
    page.goto(f"/boeken/{yin_class.pk}/")
    page.get_by_role("button", name="Zet me op de wachtlijst").click()
    page.wait_for_url(re.compile(r"/wachtlijst/\d+/"))
    assert "nummer 1" in page.content()

    services.booking_cancel(booking=Booking.objects.get(client=first))  # frees a place: the offer goes out
    offer = next(m for m in mailoutbox if m.to == ["wacht@example.nl"])
    claim_url = re.search(r"https?://\S+/wachtlijst/\d+/", offer.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, claim_url))
    page.get_by_role("button", name="Neem hem met mijn lessenkaart").click()
    page.wait_for_url(re.compile(r"/mijn-boekingen/"))
    assert Booking.objects.get(client=waiting, session=yin_class).status == "confirmed"


def test_join_a_full_class_with_automatic_booking_and_cancel_the_place_free_of_charge(page, live_server, mailoutbox):
    """Eight hours before class (inside the 12-hour window), so only the waitlist's free hours make cancelling free."""
    start = (timezone.now() + timedelta(hours=8)).replace(second=0, microsecond=0)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(minutes=75), capacity=1)
    holder, sanne = UserFactory(email="houder@example.nl"), UserFactory(email="auto@example.nl")
    class_card(holder, credits=3)
    card = class_card(sanne, credits=3)
    from bookings.group import services

    services.booking_create(client=holder, session=session, pay_with="card")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server, sanne)
    page.goto(f"/boeken/{session.pk}/")
    page.get_by_label("Boek me automatisch in met mijn lessenkaart als er een plek vrijkomt").check()
    page.get_by_role("button", name="Zet me op de wachtlijst").click()
    page.wait_for_url(re.compile(r"/wachtlijst/\d+/"))
    assert "Automatisch boeken staat aan" in page.content()

    services.booking_cancel(booking=Booking.objects.get(client=holder))  # frees the place: she is booked at once
    assert card.balance == 2
    told = next(m for m in mailoutbox if m.to == ["auto@example.nl"])
    assert "zoals je op de wachtlijst vroeg" in told.body

    page.goto("/mijn-boekingen/")
    row = page.locator(".booking-row", has_text=session.offering.name)
    assert "kosteloos tot" in row.inner_text()
    row.get_by_role("link", name="Annuleren").click()
    assert "de les komt terug op je lessenkaart" in page.content()
    page.get_by_role("button", name="Ja, annuleer mijn boeking").click()
    page.wait_for_url(re.compile(r"/mijn-boekingen/$"))
    assert card.balance == 3
    booking = Booking.objects.get(client=sanne, session=session)
    assert booking.status == "cancelled" and not booking.late_cancellation
    assert errors == []
