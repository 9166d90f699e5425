"""Invoices (facturen): one for every paid payment, with its receipt number, the product's own VAT
rate, a discount and a gift voucher's part; a credit invoice with the next number for every refund
that went through; the PDF (read back with pypdf), attached to the emails that confirm a payment
and downloadable by the client (and the admin's desk), nobody else."""

import io
from datetime import timedelta
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookings.group import cards, roster
from bookings.models import (
    Appointment,
    DiscountCode,
    DiscountUse,
    Invoice,
    Payment,
    Refund,
    Voucher,
    VoucherEntry,
    VoucherProduct,
)
from bookings.payments import checkout, fulfilment, invoice_pdf, invoices, records, refunds
from bookings.personal import appointments
from tests.bookings.paid import paid_online
from tests.factories import (
    BookingFactory,
    ClassCardTypeFactory,
    PaymentFactory,
    SessionFactory,
    UserFactory,
    intake_for,
    local,
)

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The PDF's text, each run of white space (the no-break space of '€ 17,50' too) one space."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pay_online(fake_stripe, payment: Payment, *, method="ideal") -> Payment:
    checkout.checkout_start(payment=payment, line_name=payment.description, client=payment.client,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    payment.refresh_from_db()
    fake_stripe.pay(payment.stripe_checkout_id, method=method)
    return fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id)


def card_bought_online(fake_stripe, client, **card):
    card_type = ClassCardTypeFactory(**card)
    return pay_online(fake_stripe, cards.card_purchase_create(client=client, card_type=card_type))


# Issuing ------------------------------------------------------------------------------------------


def test_a_drop_in_paid_online_gets_one_invoice_with_its_receipt_number_at_the_classes_rate(fake_stripe, client_user):
    payment = paid_online(fake_stripe, client_user, price_cents=1750)

    invoice = Invoice.objects.get(payment=payment)
    assert invoice.number == payment.receipt_number and invoice.kind == Invoice.Kind.INVOICE
    assert invoice.client_name == "Sanne de Vries" and invoice.client_email == "sanne@example.nl"
    assert invoice.total_cents == 1750 and invoice.paid_cents == 1750
    [line] = invoice.lines
    assert line["kind"] == "product" and line["total_cents"] == 1750 and line["vat_rate"] == "21.0"
    assert line["description"].startswith("Yin yoga ")
    assert invoices.invoice_issue(payment) == invoice
    fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id)  # Stripe's word again: nothing new
    assert Invoice.objects.filter(payment=payment).count() == 1


def test_each_product_keeps_its_own_vat_rate_on_the_payment_and_the_invoice(fake_stripe, client_user):
    payment = card_bought_online(fake_stripe, client_user, price_cents=6000, vat_rate_percent=Decimal("9.0"))
    assert payment.vat_rate_percent == Decimal("9.0")
    assert Invoice.objects.get(payment=payment).lines[0]["vat_rate"] == "9.0"
    [part] = invoices.vat_summary(Invoice.objects.get(payment=payment))
    assert part == {"rate": Decimal("9.0"), "gross_cents": 6000, "vat_cents": 495, "net_cents": 5505}


def test_a_product_without_a_rate_falls_back_on_the_studios_default(client_user):
    payment = records.payment_create(client=client_user, purpose="drop_in", amount_cents=1000, description="Yin")
    assert payment.vat_rate_percent == Decimal("21.0")
    payment = records.payment_create(client=client_user, purpose="drop_in", amount_cents=1000, description="Yin",
                                     vat_rate_percent=Decimal("0.0"))
    assert payment.vat_rate_percent == 0


def test_a_drop_in_paid_at_the_studio_gets_its_invoice_at_once(teacher_user):
    start = timezone.now() + timedelta(hours=2)
    booking = BookingFactory(session=SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1),
                                                    offering__vat_rate_percent=Decimal("9.0")))
    payment = roster.mark_paid_at_studio(booking=booking, method="pin", actor=teacher_user)
    invoice = Invoice.objects.get(payment=payment)
    assert invoice.number == payment.receipt_number and invoice.lines[0]["vat_rate"] == "9.0"
    assert payment.vat_rate_percent == Decimal("9.0")


def test_an_exempt_one_to_one_paid_online_gets_an_exempt_invoice_in_its_confirmation(fake_stripe, client_user, energetic, committed):
    now = local(2026, 6, 1, 8, 0)  # a Monday
    energetic.vat_rate_percent = Decimal("0.0")
    energetic.save()
    intake_for(client_user)
    appointment = appointments.appointment_book(client=client_user, appointment_type=energetic, starts_at=local(2026, 6, 9, 10, 0),
                                                pay_with="stripe", now=now)
    with committed():
        payment = pay_online(fake_stripe, appointment.payment)

    invoice = Invoice.objects.get(payment=payment)
    assert payment.vat_rate_percent == 0 and invoice.lines[0]["vat_rate"] == "0.0"
    [message] = [m for m in mail.outbox if m.to == ["sanne@example.nl"]]
    [(name, data, _kind)] = [part for part in message.attachments if isinstance(part, tuple)]
    assert name == f"factuur-{payment.receipt_number}.pdf"
    text = pdf_text(data)
    assert "vrijgesteld van btw € 105,00" in text and "artikel 11 Wet OB" in text and "Btw 0%" not in text


def test_a_one_to_one_paid_at_the_studio_gets_its_invoice_at_the_types_rate(client_user, energetic, teacher):
    energetic.vat_rate_percent = Decimal("9.0")
    energetic.save()
    start = timezone.now() + timedelta(days=1)
    appointment = Appointment.objects.create(client=client_user, appointment_type=energetic, teacher=teacher, starts_at=start,
                                             ends_at=start + timedelta(minutes=90), paid_with="studio", status="confirmed",
                                             price_cents=10500)
    payment = appointments.mark_paid_at_studio(appointment=appointment, method="cash", actor=teacher.user)
    assert payment.vat_rate_percent == Decimal("9.0")
    assert Invoice.objects.get(payment=payment).lines[0]["vat_rate"] == "9.0"


def test_a_payment_covered_by_a_discount_is_settled_without_money_with_one_invoice(client_user, committed):
    card_type = ClassCardTypeFactory(price_cents=2500)
    code = DiscountCode.objects.create(code="GRATIS", kind="percent", percent=100, products=["class_card"])
    payment = records.payment_create(client=client_user, purpose=cards.CLASS_CARD, card_type=card_type, amount_cents=0,
                                     discount_cents=2500, description=card_type.name_nl, vat_rate_percent=card_type.vat_rate_percent)
    DiscountUse.objects.create(code=code, client=client_user, payment=payment, amount_cents=2500)

    with committed():
        payment = fulfilment.payment_settle_without_money(payment=payment)
        fulfilment.payment_settle_without_money(payment=payment)

    invoice = Invoice.objects.get(payment=payment)
    assert payment.status == "paid" and invoice.number == payment.receipt_number
    assert [(line["kind"], line["total_cents"]) for line in invoice.lines] == [("product", 2500), ("discount", -2500)]
    assert invoice.total_cents == 0 and invoice.paid_cents == 0
    text = pdf_text(invoice_pdf.invoice_pdf(invoice))
    assert "Korting (code GRATIS) 21% -€ 25,00" in text and "Totaal incl. btw € 0,00" in text


def test_an_unpaid_payment_gets_no_invoice(client_user):
    payment = records.payment_create(client=client_user, purpose="drop_in", amount_cents=1000, description="Yin")
    with pytest.raises(invoices.InvoiceError):
        invoices.invoice_issue(payment)
    assert invoices.invoice_of(payment) is None and not Invoice.objects.exists()


def test_a_discount_and_a_gift_voucher_are_lines_of_their_own_and_vat_is_on_the_discounted_price(fake_stripe, client_user):
    card_type = ClassCardTypeFactory(name_nl="Tienrittenkaart", price_cents=15000)
    code = DiscountCode.objects.create(code="WELKOM10", kind="percent", percent=10, products=["class_card"])
    voucher = Voucher.objects.create(code="TOL-ABCD-EFGH", product=VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Gift"),
                                     value_cents=5000, expires_at=timezone.now() + timedelta(days=300), issued_at=timezone.now())
    VoucherEntry.objects.create(voucher=voucher, delta_cents=5000, kind="issue")
    payment = records.payment_create(client=client_user, purpose=cards.CLASS_CARD, card_type=card_type, amount_cents=8500,
                                     discount_cents=1500, voucher_cents=5000, description="Tienrittenkaart",
                                     vat_rate_percent=card_type.vat_rate_percent)
    DiscountUse.objects.create(code=code, client=client_user, payment=payment, amount_cents=1500)
    VoucherEntry.objects.create(voucher=voucher, delta_cents=-5000, kind="redemption", payment=payment)

    payment = pay_online(fake_stripe, payment)

    invoice = Invoice.objects.get(payment=payment)
    assert [(line["kind"], line["total_cents"], line["vat_rate"]) for line in invoice.lines] == [
        ("product", 15000, "21.0"), ("discount", -1500, "21.0"), ("voucher", -5000, None)]
    assert invoice.total_cents == 13500 and invoice.paid_cents == 8500 and invoices.voucher_cents(invoice) == 5000
    text = pdf_text(invoice_pdf.invoice_pdf(invoice))
    assert "Tienrittenkaart 21% € 150,00" in text
    assert "Korting (code WELKOM10) 21% -€ 15,00" in text
    assert "Cadeaubon TOL-ABCD-EFGH -€ 50,00" in text
    assert "Totaal excl. btw € 111,57" in text and "Btw 21% over € 111,57 € 23,43" in text
    assert "Totaal incl. btw € 135,00" in text
    assert "Betaald met een cadeaubon € 50,00" in text and "Betaald (iDEAL) € 85,00" in text


def test_a_gift_voucher_sold_carries_no_vat_until_it_is_used(client_user):
    payment = PaymentFactory(client=client_user, status="paid", paid_at=timezone.now(), receipt_number="2026-00077",
                             amount_cents=4000, vat_rate_percent=0, description="Cadeaubon € 40", method="ideal")
    Voucher.objects.create(code="TOL-GIFT-0001", product=VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Gift"),
                           value_cents=4000, expires_at=timezone.now() + timedelta(days=300), payment=payment)
    invoice = invoices.invoice_issue(payment)
    assert invoice.lines[0]["vat_rate"] is None and invoices.vat_summary(invoice) == []
    text = pdf_text(invoice_pdf.invoice_pdf(invoice))
    assert "Cadeaubon € 40 geen btw € 40,00" in text
    assert "Totaal excl. btw € 40,00" in text and "de btw volgt bij wat hij betaalt" in text


# The PDF ------------------------------------------------------------------------------------------


def test_the_pdf_shows_the_studio_the_client_and_the_vat_of_each_rate(client_user, settings):
    payment = PaymentFactory(client=client_user, status="paid", paid_at=timezone.now(), receipt_number="2026-00042", method="pin")
    # One payment is one product, with one rate; the drawing itself handles any number of rates.
    invoice = Invoice(number="2026-00042", payment=payment, issued_at=timezone.now(), client_name="Zoë Łukasz", client_email="zoe@example.nl",
                      language="nl", total_cents=14000, paid_cents=14000, lines=[
                          {"kind": "product", "description": "Yin yoga", "quantity": 1, "unit_cents": 2000, "total_cents": 2000, "vat_rate": "21.0"},
                          {"kind": "product", "description": "Lesmateriaal", "quantity": 1, "unit_cents": 5000, "total_cents": 5000,
                           "vat_rate": "9.0"},
                          {"kind": "product", "description": "Energetische Sessie", "quantity": 1, "unit_cents": 7000, "total_cents": 7000,
                           "vat_rate": "0.0"}])

    data = invoice_pdf.invoice_pdf(invoice)

    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    studio = settings.STUDIO
    assert text.startswith("Studio Tree of Life")
    assert f"KvK: {studio['kvk']}" in text and f"Btw-nummer: {studio['vat_number']}" in text
    assert "Ginnekenweg 100" in text and "4818 JK Breda" in text
    assert "Factuur Factuurnummer 2026-00042" in text and "Aan Zoë Łukasz zoe@example.nl" in text
    assert "Yin yoga 21% € 20,00" in text and "Lesmateriaal 9% € 50,00" in text
    assert "Energetische Sessie vrijgesteld van btw € 70,00" in text
    assert "Btw 21% over € 16,53 € 3,47" in text and "Btw 9% over € 45,87 € 4,13" in text
    assert "Vrijgesteld van btw € 70,00" in text and "artikel 11 Wet OB" in text
    assert "Totaal excl. btw € 132,40" in text and "Totaal incl. btw € 140,00" in text
    assert "Betaald (Pin in de studio) € 140,00" in text


def test_a_client_who_reads_english_gets_her_invoice_in_english(fake_stripe):
    reader = UserFactory(first_name="Emma", last_name="Brown", email="emma@example.com", language="en")
    payment = card_bought_online(fake_stripe, reader, name_en="Ten-class card", price_cents=15000, vat_rate_percent=Decimal("0.0"))
    invoice = Invoice.objects.get(payment=payment)
    assert invoice.language == "en" and invoice.lines[0]["description"] == "Ten-class card"
    text = pdf_text(invoice_pdf.invoice_pdf(invoice))
    assert text.split(" Invoice number ")[0].endswith("Invoice") and "Ten-class card exempt from VAT €150.00" in text
    assert "Total including VAT €150.00" in text and "article 11" in text
    assert invoice_pdf.invoice_filename(invoice) == f"invoice-{invoice.number}.pdf"


# Credit invoices ----------------------------------------------------------------------------------


def test_a_refund_that_goes_through_gets_a_credit_invoice_with_the_next_number(fake_stripe, client_user, committed):
    payment = paid_online(fake_stripe, client_user, price_cents=7500)
    with committed():
        refund = refunds.refund_create(payment=payment, amount_cents=2500, reason="korting", key="credit-1")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED

    credit = Invoice.objects.get(refund=refund)
    year, number = payment.receipt_number.split("-")
    assert credit.kind == Invoice.Kind.CREDIT and credit.number == f"{year}-{int(number) + 1:05d}"
    assert credit.total_cents == -2500 and credit.lines[0]["total_cents"] == -2500 and credit.lines[0]["vat_rate"] == "21.0"
    assert invoices.credited_number(credit) == payment.receipt_number
    refunds.refund_settled(refund=refund, status=Refund.Status.SUCCEEDED)  # Stripe's event after the reply: nothing new
    assert invoices.credit_invoice_issue(refund) == credit and Invoice.objects.filter(kind="credit").count() == 1

    text = pdf_text(invoice_pdf.invoice_pdf(credit))
    assert f"Creditfactuur Factuurnummer {credit.number}" in text and f"Crediteert factuur {payment.receipt_number}" in text
    assert "Terugbetaling: Yin yoga" in text and "-€ 25,00" in text and "Terugbetaald € 25,00" in text
    # The next payment runs on in the same series.
    assert paid_online(fake_stripe, UserFactory(), price_cents=1000).receipt_number == f"{year}-{int(number) + 2:05d}"


def test_a_refund_that_fails_gets_no_credit_invoice(client_user):
    payment = PaymentFactory(client=client_user, status="paid", paid_at=timezone.now(), receipt_number="2026-00050")
    refund = Refund.objects.create(payment=payment, amount_cents=500, reason="x", idempotency_key="fails")
    refunds.refund_settled(refund=refund, status=Refund.Status.FAILED, failure_reason="card closed")
    with pytest.raises(invoices.InvoiceError):
        invoices.credit_invoice_issue(refund)
    assert not Invoice.objects.filter(kind="credit").exists()


# Emails ---------------------------------------------------------------------------------------------


def test_the_class_card_email_carries_the_invoice_as_pdf(fake_stripe, client_user, committed):
    with committed():
        payment = card_bought_online(fake_stripe, client_user, price_cents=9000)
    [message] = [m for m in mail.outbox if m.to == ["sanne@example.nl"]]
    [(name, data, kind)] = [part for part in message.attachments if isinstance(part, tuple)]
    assert name == f"factuur-{payment.receipt_number}.pdf" and kind == "application/pdf"
    assert f"Factuurnummer {payment.receipt_number}" in pdf_text(data)


def test_the_booking_confirmation_of_a_paid_drop_in_carries_the_invoice(fake_stripe, client_user, committed):
    with committed():
        payment = paid_online(fake_stripe, client_user, price_cents=1750)
    [message] = [m for m in mail.outbox if m.to == ["sanne@example.nl"]]
    names = [part[0] for part in message.attachments if isinstance(part, tuple)]
    assert f"factuur-{payment.receipt_number}.pdf" in names


def test_the_refund_email_carries_the_credit_invoice(fake_stripe, client_user, committed):
    payment = paid_online(fake_stripe, client_user, price_cents=7500)
    mail.outbox.clear()
    with committed():
        refund = refunds.refund_create(payment=payment, amount_cents=7500, reason="korting", key="credit-mail", tell_client=True)
    credit = Invoice.objects.get(refund=refund)
    [message] = mail.outbox
    [(name, data, _kind)] = [part for part in message.attachments if isinstance(part, tuple)]
    assert name == f"creditfactuur-{credit.number}.pdf" and "Creditfactuur" in pdf_text(data)


# Downloading ----------------------------------------------------------------------------------------


def test_the_client_downloads_her_invoice_and_credit_invoice_from_her_receipt(fake_stripe, client, client_user, committed):
    payment = paid_online(fake_stripe, client_user, price_cents=7500)
    with committed():
        refund = refunds.refund_create(payment=payment, amount_cents=500, reason="korting", key="credit-page")
    credit = Invoice.objects.get(refund=refund)
    client.force_login(client_user)

    receipt = client.get(reverse("bookings:receipt", args=[payment.pk])).content.decode()
    invoice_url = reverse("bookings:invoice_pdf", args=[payment.pk])
    credit_url = reverse("bookings:credit_invoice_pdf", args=[payment.pk, refund.pk])
    assert invoice_url == f"/betalingen/{payment.pk}/factuur.pdf"
    assert f'href="{invoice_url}"' in receipt and f'href="{credit_url}"' in receipt
    assert f"Factuur {payment.receipt_number} (pdf)" in receipt and f"Creditfactuur {credit.number} (pdf)" in receipt

    response = client.get(invoice_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="factuur-{payment.receipt_number}.pdf"' in response["Content-Disposition"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert f"Factuurnummer {payment.receipt_number}" in pdf_text(response.content)
    assert "Creditfactuur" in pdf_text(client.get(credit_url).content)


def test_another_clients_invoice_is_not_found(fake_stripe, client, client_user, other_client):
    payment = paid_online(fake_stripe, client_user)
    client.force_login(other_client)
    assert client.get(reverse("bookings:invoice_pdf", args=[payment.pk])).status_code == 404


def test_the_admins_desk_opens_a_clients_invoice_from_the_payment_page(fake_stripe, client, client_user, admin_person, committed):
    payment = paid_online(fake_stripe, client_user)
    with committed():
        refund = refunds.refund_create(payment=payment, amount_cents=500, reason="korting", key="credit-desk")
    client.force_login(admin_person)
    page = client.get(reverse("bookings:desk_payment", args=[payment.pk])).content.decode()
    assert f'href="{reverse("bookings:invoice_pdf", args=[payment.pk])}"' in page
    assert f'href="{reverse("bookings:credit_invoice_pdf", args=[payment.pk, refund.pk])}"' in page
    assert client.get(reverse("bookings:invoice_pdf", args=[payment.pk])).status_code == 200


def test_an_unpaid_payment_has_no_invoice_to_download(client, client_user):
    payment = records.payment_create(client=client_user, purpose="drop_in", amount_cents=1000, description="Yin")
    client.force_login(client_user)
    assert client.get(reverse("bookings:invoice_pdf", args=[payment.pk])).status_code == 404


def test_a_payment_from_before_invoices_gets_its_invoice_when_asked_for(client, client_user):
    payment = PaymentFactory(client=client_user, status="paid", paid_at=timezone.now(), receipt_number="2025-00311", method="cash")
    client.force_login(client_user)
    response = client.get(reverse("bookings:invoice_pdf", args=[payment.pk]))
    assert response.status_code == 200 and Invoice.objects.get(payment=payment).number == "2025-00311"
