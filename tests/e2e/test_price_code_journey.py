"""In Chromium: a discount code typed at the class card, paid with iDEAL on the stand-in for the lowered
amount, with the discount on the receipt; a code that covers it all skips Stripe; the intro offer
refused the second time; and no page logs a console error."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import ClassCard, DiscountCode, Payment
from tests.e2e.pagecheck import watch_console
from tests.factories import ClassCardTypeFactory, SessionFactory, UserFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_discount_code_at_the_class_card_then_the_receipt(page, live_server, stripe_webhooks_to):
    client = UserFactory(email="korting@example.nl")
    ClassCardTypeFactory(name_nl="10-lessenkaart", name_en="10-class card", credits=10, price_cents=13500)
    DiscountCode.objects.create(code="WELKOM10", kind="percent", percent=10, products=["class_card"], max_uses=100)
    errors = watch_console(page, live_server)
    sign_in(page, live_server, client)
    page.goto("/lessenkaarten/")
    page.get_by_text("Heb je een kortingscode of cadeaubon?").click()
    page.get_by_label("Kortingscode of cadeaubon").fill("welkom10")
    page.get_by_role("button", name="Koop de 10-lessenkaart").click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    assert Payment.objects.get().amount_cents == 12150
    page.get_by_role("button", name=re.compile("iDEAL", re.I)).first.click()
    page.wait_for_url(re.compile(r"/betaling/klaar/"))
    assert "Dank je wel, je betaling is binnen" in page.content()
    assert ClassCard.objects.get(client=client).balance == 10
    page.get_by_role("link", name="Bon", exact=True).click()
    assert "Kortingscode WELKOM10" in page.content()
    assert not errors, "\n".join(errors)


def test_a_drop_in_fully_paid_by_a_code_and_the_intro_offer_once(page, live_server):
    client = UserFactory(email="kennismaking@example.nl")
    start = (timezone.now() + timedelta(days=3)).replace(hour=19, minute=30, second=0, microsecond=0)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(minutes=75), capacity=4)
    DiscountCode.objects.create(code="VRIENDIN", kind="percent", percent=100, products=["drop_in", "class_card"], max_uses=5,
                                max_uses_per_person=2)
    ClassCardTypeFactory(name_nl="Kennismaking", name_en="Intro offer", credits=2, validity_months=1, price_cents=2500, once_per_person=True)
    errors = watch_console(page, live_server)
    sign_in(page, live_server, client)

    page.goto(f"/boeken/{session.pk}/")
    page.get_by_label("Kortingscode of cadeaubon").fill("VRIENDIN")
    page.get_by_role("button", name=re.compile("online")).click()
    page.wait_for_url(re.compile(r"/betaling/\d+/bedankt/"))
    assert "Dank je wel, alles is geregeld" in page.content()

    page.goto("/lessenkaarten/")
    page.get_by_text("Heb je een kortingscode of cadeaubon?").click()
    page.get_by_label("Kortingscode of cadeaubon").fill("VRIENDIN")
    page.get_by_role("button", name="Koop de Kennismaking").click()
    page.wait_for_url(re.compile(r"/betaling/\d+/bedankt/"))
    page.goto("/lessenkaarten/")
    assert "Al gebruikt" in page.content()
    assert page.get_by_role("button", name="Koop de Kennismaking").count() == 0
    assert ClassCard.objects.get(client=client).balance == 2
    assert not errors, "\n".join(errors)
