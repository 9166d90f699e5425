"""Our own invoices (facturen): one for every paid payment, and a credit invoice for every refund
that went through. An invoice has its payment's receipt number (so invoices run on per year without
gaps or doubles, like receipts); a credit invoice takes the next number of the same series and
refers to the invoice it credits. What an invoice says is kept as it was issued, in the client's
language: the product at its price incl. VAT with its rate, a discount (with its code), the part a
gift voucher paid (with its code), VAT per rate. bookings/payments/invoice_pdf.py draws the PDF.

Issuing is safe to call twice and at once: the payment (or the refund) row is locked first, and the
database keeps one invoice per payment and one credit invoice per refund."""

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import vat_included

from ..emails import speaking
from ..models import DiscountUse, Invoice, Payment, Refund, Voucher, VoucherEntry
from . import kinds, receipts

PRODUCT, DISCOUNT, VOUCHER = "product", "discount", "voucher"


class InvoiceError(Exception):
    """An invoice cannot be made for this (a payment not paid, a refund not done)."""


def invoice_issue(payment: Payment, now=None) -> Invoice:
    """The invoice of a paid payment, made the first time it is asked for. Call it inside the
    transaction that marks the payment paid (after the locks that come before the payment's), or on
    its own later: a second call gives the same invoice."""
    existing = Invoice.objects.filter(payment_id=payment.pk, kind=Invoice.Kind.INVOICE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        payment = Payment.objects.select_for_update(of=("self",)).select_related("client").get(pk=payment.pk)
        existing = Invoice.objects.filter(payment=payment, kind=Invoice.Kind.INVOICE).first()
        if existing is not None:
            return existing
        if not payment.is_paid or not payment.receipt_number:
            raise InvoiceError(f"payment {payment.pk} is not paid: no invoice")
        with speaking(payment.client):
            lines = invoice_lines(payment)
        return _create(Invoice(
            number=payment.receipt_number, kind=Invoice.Kind.INVOICE, payment=payment,
            issued_at=payment.paid_at or now or timezone.now(), language=_language_of(payment.client),
            client_name=_name_of(payment.client), client_email=payment.client.email, lines=lines,
            total_cents=sum(line["total_cents"] for line in lines if line["kind"] != VOUCHER), paid_cents=payment.amount_cents,
        ))


def credit_invoice_issue(refund: Refund, now=None) -> Invoice:
    """The credit invoice of a refund that went through: the next number of the series, the money
    given back as negative lines at the payment's rate, referring to the payment's invoice. Call it
    inside the transaction that marks the refund succeeded; a second call gives the same one."""
    now = now or timezone.now()
    existing = Invoice.objects.filter(refund_id=refund.pk).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        refund = Refund.objects.select_for_update(of=("self",)).select_related("payment__client").get(pk=refund.pk)
        existing = Invoice.objects.filter(refund=refund).first()
        if existing is not None:
            return existing
        if refund.status != Refund.Status.SUCCEEDED:
            raise InvoiceError(f"refund {refund.pk} has not gone through: no credit invoice")
        payment = refund.payment
        with speaking(payment.client):
            line = _product_line(payment, refund.amount_cents)
            line.update(description=_("Money back: %(what)s") % {"what": line["description"]}, unit_cents=-refund.amount_cents,
                        total_cents=-refund.amount_cents)
        return _create(Invoice(
            kind=Invoice.Kind.CREDIT, payment=payment, refund=refund, issued_at=now,
            language=_language_of(payment.client), client_name=_name_of(payment.client), client_email=payment.client.email,
            lines=[line], total_cents=-refund.amount_cents, paid_cents=-refund.amount_cents,
        ), number_from=lambda: receipts.receipt_number_next(now))


def voucher_credit_invoice_issue(entry: VoucherEntry, now=None) -> Invoice:
    """The credit invoice for euros that went back on a gift voucher when a purchase it paid was
    cancelled in time: the next number of the series, that part as a negative line at the payment's
    rate (no money moves). A second call gives the same one."""
    now = now or timezone.now()
    existing = Invoice.objects.filter(voucher_return_id=entry.pk).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        entry = VoucherEntry.objects.select_for_update(of=("self",)).select_related("payment__client", "voucher").get(pk=entry.pk)
        existing = Invoice.objects.filter(voucher_return=entry).first()
        if existing is not None:
            return existing
        payment = entry.payment
        if entry.kind != VoucherEntry.Kind.RETURN or payment is None or not payment.is_paid:
            raise InvoiceError(f"voucher entry {entry.pk} is not a return of a paid purchase: no credit invoice")
        with speaking(payment.client):
            line = _product_line(payment, entry.delta_cents)
            line.update(description=_("Back on gift voucher %(code)s: %(what)s") % {"code": entry.voucher.code, "what": line["description"]},
                        unit_cents=-entry.delta_cents, total_cents=-entry.delta_cents)
        return _create(Invoice(
            kind=Invoice.Kind.CREDIT, payment=payment, voucher_return=entry, issued_at=now,
            language=_language_of(payment.client), client_name=_name_of(payment.client), client_email=payment.client.email,
            lines=[line], total_cents=-entry.delta_cents, paid_cents=0,
        ), number_from=lambda: receipts.receipt_number_next(now))


def invoice_of(payment: Payment) -> Invoice | None:
    """The payment's invoice; one paid before invoices existed gets it now (its number is its receipt's)."""
    invoice = Invoice.objects.filter(payment_id=payment.pk, kind=Invoice.Kind.INVOICE).first()
    if invoice is None and payment.is_paid and payment.receipt_number:
        invoice = invoice_issue(payment)
    return invoice


def credited_number(invoice: Invoice) -> str:
    """The number of the invoice a credit invoice credits (the payment's receipt number)."""
    return invoice.payment.receipt_number or ""


def invoice_lines(payment: Payment) -> list[dict]:
    """What was bought, as the invoice's lines in the active language: the product at its price,
    then a discount and a gift voucher's part as negative lines."""
    lines = [_product_line(payment, payment.price_cents)]
    rate = lines[0]["vat_rate"]
    if payment.discount_cents:
        use = DiscountUse.objects.filter(payment=payment).select_related("code").first()
        description = _("Discount (code %(code)s)") % {"code": use.code.code} if use else _("Discount")
        lines.append(_line(DISCOUNT, description, -payment.discount_cents, rate))
    if payment.voucher_cents:
        used = list(VoucherEntry.objects.filter(payment=payment, kind=VoucherEntry.Kind.REDEMPTION).select_related("voucher")
                    .order_by("pk"))
        if sum(-entry.delta_cents for entry in used) != payment.voucher_cents:
            used = []  # the ledger does not tell the whole part: one line without a code
        if not used:
            lines.append(_line(VOUCHER, _("Gift voucher"), -payment.voucher_cents, None))
        for entry in used:
            lines.append(_line(VOUCHER, _("Gift voucher %(code)s") % {"code": entry.voucher.code}, entry.delta_cents, None))
    return lines


def vat_summary(invoice: Invoice) -> list[dict]:
    """VAT per rate over the lines that carry VAT: [{"rate", "gross_cents", "vat_cents", "net_cents"}],
    highest rate first; an exempt rate has no VAT and a voucher's sale none at all."""
    gross = defaultdict(int)
    for line in invoice.lines:
        if line.get("vat_rate") is not None:
            gross[Decimal(line["vat_rate"])] += line["total_cents"]
    summary = []
    for rate in sorted(gross, reverse=True):
        vat = vat_included(gross[rate], rate)
        summary.append({"rate": rate, "gross_cents": gross[rate], "vat_cents": vat, "net_cents": gross[rate] - vat})
    return summary


def outside_vat_cents(invoice: Invoice) -> int:
    """What on the invoice carries no VAT at all (a gift voucher sold: the VAT comes when it is used)."""
    return sum(line["total_cents"] for line in invoice.lines if line.get("vat_rate") is None and line["kind"] != VOUCHER)


def voucher_cents(invoice: Invoice) -> int:
    """What gift vouchers paid of it (a positive number)."""
    return -sum(line["total_cents"] for line in invoice.lines if line["kind"] == VOUCHER)


def _product_line(payment: Payment, cents: int) -> dict:
    description = payment.description
    if payment.purpose in kinds.purposes():
        description = kinds.kind_for(payment.purpose).receipt_line(payment) or description
    # A gift voucher sold is not yet a supply: no VAT until it is used (a multi-purpose voucher).
    rate = None if Voucher.objects.filter(payment=payment).exists() else payment.vat_rate_percent
    return _line(PRODUCT, str(description), cents, rate)


def _line(kind: str, description: str, cents: int, rate) -> dict:
    return {"kind": kind, "description": str(description)[:200], "quantity": 1, "unit_cents": cents, "total_cents": cents,
            "vat_rate": None if rate is None else str(Decimal(rate).quantize(Decimal("0.1")))}


def _create(invoice: Invoice, number_from=None) -> Invoice:
    """Save it (a credit invoice with the next number, taken in the same savepoint, so a number
    never goes missing); when another call saved the same one first, that one is the invoice."""
    try:
        with transaction.atomic():
            if number_from is not None:
                invoice.number = number_from()
            invoice.save()
    except IntegrityError:
        if invoice.refund_id:
            query = {"refund_id": invoice.refund_id}
        elif invoice.voucher_return_id:
            query = {"voucher_return_id": invoice.voucher_return_id}
        else:
            query = {"payment_id": invoice.payment_id, "kind": invoice.kind}
        found = Invoice.objects.filter(**query).first()
        if found is None:
            raise
        return found
    return invoice


def _name_of(client) -> str:
    return (client.get_full_name() or client.email)[:200]


def _language_of(client) -> str:
    return "en" if (client.language or "").startswith("en") else "nl"
