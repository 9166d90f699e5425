"""Acceptance of the gift voucher in Chromium: a buyer buys one with iDEAL on the Stripe stand-in, the
recipient's email carries its code and a QR code, she pays a class card with it online (the voucher
keeps what is left), and the teacher takes the rest at the studio."""

import io
import re

import pytest
from PIL import Image

from bookings.models import ClassCard, Payment, Voucher, VoucherProduct
from tests.e2e.pagecheck import watch_console
from tests.factories import ClassCardTypeFactory, UserFactory, teacher_with_role
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_voucher_bought_with_ideal_pays_a_class_card_and_the_rest_is_taken_at_the_studio(
        page, live_server, stripe_webhooks_to, mailoutbox):
    VoucherProduct.objects.create(name_nl="Cadeaubon naar keuze", name_en="Gift voucher of your choice", minimum_cents=1000,
                                  maximum_cents=25000, validity_months=12)
    ClassCardTypeFactory(name_nl="5-lessenkaart", name_en="5-class card", credits=5, price_cents=8000)
    buyer, sanne = UserFactory(email="gever@example.nl", first_name="Ineke"), UserFactory(email="sanne@example.nl")
    errors = watch_console(page, live_server)

    # The buyer finds the vouchers in the footer, chooses € 100 for Sanne and pays with iDEAL.
    sign_in(page, live_server, buyer)
    page.goto("/")
    page.get_by_role("link", name="Cadeaubonnen").click()
    page.get_by_label("Bedrag").fill("100")
    page.get_by_label("Voor (naam)").fill("Sanne")
    page.get_by_label("E-mailadres van de ontvanger").fill("sanne@example.nl")
    page.get_by_label("Je boodschap").fill("Voor een rustig uur voor jezelf. Liefs!")
    page.get_by_role("button", name="Naar betalen").click()
    page.wait_for_url(re.compile(r"/c/pay/"))
    page.get_by_role("button", name=re.compile("iDEAL", re.I)).first.click()
    page.wait_for_url(lambda url: url.startswith(live_server.url))
    voucher = Voucher.objects.get()
    assert voucher.balance_cents == 10000 and voucher.payment.status == Payment.Status.PAID

    # Sanne's email: the code, the buyer's message, and a QR code as a PNG.
    email = next(message for message in mailoutbox if message.to == ["sanne@example.nl"])
    assert voucher.code in email.body and "Voor een rustig uur voor jezelf" in email.body
    pngs = [attachment for attachment in _attachments(email) if attachment[2] == "image/png"]
    assert pngs, "the voucher email carries its QR code"
    qr = Image.open(io.BytesIO(pngs[0][1]))
    assert qr.size[0] == qr.size[1] and qr.size[0] >= 100  # a square code, big enough to scan

    # Sanne pays the € 80 card with the voucher online: nothing is left to pay; € 20 stays on it.
    sign_in(page, live_server, sanne)
    page.goto("/lessenkaarten/")
    page.get_by_text("Heb je een kortingscode of cadeaubon?").click()
    page.get_by_label("Kortingscode of cadeaubon").fill(voucher.code.lower())
    page.get_by_role("button", name="Koop de 5-lessenkaart").click()
    page.wait_for_url(re.compile(r"/betaling/\d+/bedankt/|/betaling/klaar/"))
    assert ClassCard.objects.get(client=sanne).balance == 5
    card_payment = Payment.objects.get(client=sanne)
    assert (card_payment.voucher_cents, card_payment.amount_cents) == (8000, 0)
    assert Voucher.objects.get().balance_cents == 2000

    # The teacher takes the rest at the studio.
    teacher = teacher_with_role()
    sign_in(page, live_server, teacher.user)
    page.goto("/lesgeven/")
    page.get_by_role("link", name="Cadeaubon innemen").click()
    page.get_by_label("Code").first.fill(voucher.code)
    page.get_by_role("button", name="Opzoeken").click()
    assert "20,00" in page.content()
    page.get_by_label("Alles wat er nog op staat").check()
    page.get_by_label("Waarvoor").select_option(label="5-lessenkaart · 21%")
    page.get_by_role("button", name="Van de bon afhalen").click()
    assert Voucher.objects.get().balance_cents == 0
    assert Voucher.objects.get().entries.get(kind="at_studio").vat_rate_percent == 21
    assert not errors, "\n".join(errors)


def _attachments(email):
    """(name, bytes, mimetype) of every attachment, inline images included."""
    found = [(name, content if isinstance(content, bytes) else content.encode(), mimetype)
             for name, content, mimetype in (a for a in email.attachments if isinstance(a, tuple))]
    for part in email.attachments:
        if not isinstance(part, tuple):
            found.append((part.get_filename(), part.get_payload(decode=True), part.get_content_type()))
    return found
