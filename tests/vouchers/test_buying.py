"""Buying a gift voucher: the page, the payment (no VAT), issuing it once, the emails with the code,
its QR code and the printable PDF."""

import io
import re
from email.mime.base import MIMEBase

import pytest
import qrcode
from django.utils import formats, timezone
from PIL import Image
from pypdf import PdfReader

from bookings.models import Payment, Voucher, VoucherEntry
from bookings.offers import printable
from tests.bookings import stripe_events
from tests.factories import UserFactory

from .conftest import bought, start_checkout

pytestmark = pytest.mark.django_db
CODE = re.compile(r"^TOL-[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}$")


def _until(voucher):
    return formats.date_format(timezone.localtime(voucher.expires_at), "j F Y")


def _attachments(message):
    found = []
    for item in message.attachments:
        if isinstance(item, MIMEBase):
            found.append((item.get_filename(), item.get_payload(decode=True), item.get_content_type()))
        else:
            found.append(tuple(item))
    return found


def test_the_shop_is_linked_from_every_page_and_asks_a_visitor_to_log_in(client, free_amount):
    home = client.get("/")
    assert 'href="/cadeaubon/"' in home.content.decode().replace("\xa0", " ")
    page = client.get("/cadeaubon/").content.decode().replace("\xa0", " ")
    assert "Cadeaubon" in page and "€ 10,00 – € 250,00" in page and "Log in om een cadeaubon te kopen" in page


def test_buying_goes_to_stripe_with_the_amount_and_no_vat(client, fake_stripe, client_user, free_amount):
    client.force_login(client_user)
    response = client.post("/cadeaubon/kopen/", {"product": free_amount.pk, "amount": "40,00", "recipient_name": "Mirjam",
                                                 "recipient_email": "mirjam@example.nl", "message": "Voor jou"})
    assert response.status_code == 302
    payment = Payment.objects.get(purpose="voucher")
    assert response["Location"] == payment.checkout_url
    assert payment.amount_cents == 4000 and payment.vat_rate_percent == 0 and payment.status == "pending"
    voucher = Voucher.objects.get(payment=payment)
    assert CODE.match(voucher.code) and voucher.issued_at is None and voucher.balance_cents == 0


@pytest.mark.parametrize("data, message", [
    ({"amount": "5,00", "recipient_email": "m@example.nl"}, "Kies een bedrag tussen € 10,00 en € 250,00."),
    ({"amount": "", "recipient_email": "m@example.nl"}, "Kies het bedrag van de cadeaubon."),
    ({"amount": "20"}, "Vul het e-mailadres van de ontvanger in, of kies ervoor de bon zelf te printen."),
    ({"amount": "20", "recipient_email": "geen-adres"}, "geldig e-mailadres"),
])
def test_bad_input_says_why_and_saves_nothing(client, fake_stripe, client_user, free_amount, data, message):
    client.force_login(client_user)
    response = client.post("/cadeaubon/kopen/", {"product": free_amount.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode().replace("\xa0", " ")
    assert not Payment.objects.exists() and not Voucher.objects.exists()


def test_a_product_not_on_sale_cannot_be_bought(client, client_user, free_amount):
    free_amount.is_on_sale = False
    free_amount.save()
    client.force_login(client_user)
    response = client.post("/cadeaubon/kopen/", {"product": free_amount.pk, "amount": "20", "print_myself": "on"})
    assert response.status_code == 400 and not Payment.objects.exists()


def test_paid_voucher_is_issued_once_however_often_the_webhook_comes(client, fake_stripe, client_user, free_amount, committed, mailoutbox):
    from bookings.offers import vouchers
    payment = vouchers.voucher_purchase_create(client=client_user, product=free_amount, amount_cents=5000, recipient_name="Mirjam",
                                               recipient_email="mirjam@example.nl", message="Fijne verjaardag!")
    start_checkout(payment, client_user)
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    payload = stripe_events.event("checkout.session.completed", fake_stripe.get(payment.stripe_checkout_id), event_id="evt_voucher")
    for _ in range(3):
        with committed():
            assert stripe_events.post(client, payload).status_code == 200
    again = stripe_events.event("checkout.session.completed", fake_stripe.get(payment.stripe_checkout_id), event_id="evt_voucher_2")
    with committed():
        stripe_events.post(client, again)
    voucher = Voucher.objects.get(payment=payment)
    assert voucher.issued_at is not None and voucher.sent_at is not None
    assert list(voucher.entries.values_list("kind", "delta_cents")) == [(VoucherEntry.Kind.ISSUE, 5000)]
    assert voucher.balance_cents == 5000
    assert sorted(message.to[0] for message in mailoutbox) == ["mirjam@example.nl", "sanne@example.nl"]


def test_the_recipient_gets_the_code_the_message_and_a_qr_code_of_the_vouchers_page(fake_stripe, client_user, free_amount, committed,
                                                                                  mailoutbox):
    voucher = bought(fake_stripe, committed, client_user, free_amount, recipient_email="mirjam@example.nl")
    mail = next(message for message in mailoutbox if message.to == ["mirjam@example.nl"])
    assert mail.subject.replace("\xa0", " ") == "Een cadeaubon voor jou van Sanne de Vries"
    assert voucher.code in mail.body.replace("\xa0", " ") and "Fijne verjaardag!" in mail.body.replace("\xa0", " ") and "€ 50,00" in mail.body.replace("\xa0", " ")
    assert "English:" in mail.body.replace("\xa0", " ") and f"Geldig tot {_until(voucher)}." in mail.body.replace("\xa0", " ")
    html = mail.alternatives[0][0]
    assert voucher.code in html and 'src="cid:voucher-qr"' in html
    (name, png, content_type), = _attachments(mail)
    assert content_type == "image/png" and name == f"cadeaubon-{voucher.code}.png"
    assert _qr_modules(png) == qrcode_matrix(printable.voucher_url(voucher))
    assert printable.voucher_url(voucher).endswith(f"/cadeaubon/{voucher.code}/")


def qrcode_matrix(text):
    code = printable.qr_code(text)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def _qr_modules(png: bytes):
    """Read the PNG back module by module (the centre pixel of each box): what a scanner sees."""
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.format is None or True
    size = image.width // printable.QR_BOX
    assert image.width == image.height == size * printable.QR_BOX
    box = printable.QR_BOX
    return [[image.getpixel((x * box + box // 2, y * box + box // 2)) < 128 for x in range(size)] for y in range(size)]


def test_the_png_is_a_real_png(fake_stripe, client_user, free_amount, committed, mailoutbox):
    voucher = bought(fake_stripe, committed, client_user, free_amount, recipient_email="mirjam@example.nl")
    png = printable.voucher_qr_png(voucher)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and Image.open(io.BytesIO(png)).format == "PNG"
    assert qrcode.__name__  # the pinned qrcode drew it


def test_printing_it_myself_sends_me_the_pdf_and_lets_me_download_it(client, fake_stripe, client_user, free_amount, committed, mailoutbox):
    voucher = bought(fake_stripe, committed, client_user, free_amount, recipient_email="")
    assert [message.to for message in mailoutbox] == [["sanne@example.nl"]]
    mail = mailoutbox[0]
    assert mail.subject.replace("\xa0", " ") == "Je cadeaubon van € 50,00" and voucher.code in mail.body.replace("\xa0", " ")
    (name, pdf, content_type), = _attachments(mail)
    assert content_type == "application/pdf" and name == f"cadeaubon-{voucher.code}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\xa0", " ")
    for expected in (voucher.code, "Cadeaubon", "Voor Mirjam", "Fijne verjaardag!", f"Geldig tot {_until(voucher)}."):
        assert expected in text
    client.force_login(client_user)
    download = client.get(f"/cadeaubon/{voucher.code}/pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    page = client.get(f"/cadeaubon/{voucher.code}/").content.decode().replace("\xa0", " ")
    assert "Download de bon om te printen" in page and "Fijne verjaardag!" in page
    assert voucher.code in client.get("/cadeaubon/").content.decode().replace("\xa0", " ")  # her vouchers, on the shop page


def test_someone_else_with_the_code_sees_the_balance_but_nothing_personal(client, fake_stripe, client_user, free_amount, committed):
    voucher = bought(fake_stripe, committed, client_user, free_amount, recipient_email="mirjam@example.nl")
    page = client.get(f"/cadeaubon/{voucher.code.lower()}/").content.decode().replace("\xa0", " ")
    assert "Nog € 50,00" in page and f"Geldig tot {_until(voucher)}." in page
    assert "Mirjam" not in page and "Fijne verjaardag" not in page and "Sanne" not in page
    client.force_login(UserFactory(email="ander@example.nl"))
    assert client.get(f"/cadeaubon/{voucher.code}/pdf/").status_code == 404
    assert client.get("/cadeaubon/TOL-AAAA-AAAA/").status_code == 404


def test_an_unpaid_voucher_has_no_page_for_others(client, fake_stripe, client_user, free_amount):
    from bookings.offers import vouchers
    payment = vouchers.voucher_purchase_create(client=client_user, product=free_amount, amount_cents=2000, recipient_email="m@example.nl")
    voucher = vouchers.voucher_of(payment)
    assert client.get(f"/cadeaubon/{voucher.code}/").status_code == 404
    client.force_login(client_user)
    assert "wacht op de betaling" in client.get(f"/cadeaubon/{voucher.code}/").content.decode().replace("\xa0", " ")


def test_many_codes_looked_up_from_one_connection_are_slowed_down_with_a_clear_message(client, fake_stripe, client_user, free_amount,
                                                                                     committed, monkeypatch):
    from bookings.offers import views

    voucher = bought(fake_stripe, committed, client_user, free_amount)
    monkeypatch.setattr(views, "LOOKUPS_PER_HOUR", 3)
    for guess in ("TOL-AAAA-AAAA", "TOL-BBBB-BBBB", voucher.code):
        assert client.get(f"/cadeaubon/{guess}/").status_code in (200, 404)
    response = client.get(f"/cadeaubon/{voucher.code}/")
    assert response.status_code == 429
    assert "Probeer het over een uur opnieuw" in response.content.decode()
    client.force_login(client_user)
    assert client.get(f"/cadeaubon/{voucher.code}/pdf/").status_code == 200  # her own printable voucher is not a guess
