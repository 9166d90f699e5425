"""An invoice as a PDF, drawn in pure Python with fpdf2 from what the invoice kept when it was
issued: the studio (name, address, KvK, VAT number), the client, number and date, the lines with
their VAT rate, the totals excluding VAT, VAT per rate, the total including VAT, and what was paid
in money and by gift voucher. Dutch, or English for a client who reads English. The font is
DejaVu Sans (bookings/fonts/, with its licence), so € and every accent in a name print as they are."""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

from classes.models import STUDIO_TZ
from core.money import euros

from ..models import Invoice
from . import invoices

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"  # bookings/fonts: for PDFs, not served to browsers
FONT = "DejaVu"
LEFT, WIDTH = 20, 170  # mm on A4
INK, MUTED, RULE = (40, 40, 40), (100, 100, 100), (200, 200, 200)

logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter tells every glyph at INFO


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice (or credit invoice) as PDF bytes, in the language it was issued in."""
    with translation.override(invoice.language), timezone.override(STUDIO_TZ):
        pdf = _Sheet(invoice)
        pdf.draw()
        return bytes(pdf.output())


def invoice_filename(invoice: Invoice) -> str:
    with translation.override(invoice.language):
        word = _("credit-invoice") if invoice.kind == Invoice.Kind.CREDIT else _("invoice")
    return f"{word}-{invoice.number}.pdf"


def attach_invoice(message, payment) -> bool:
    """Attach the payment's invoice to an email (a receipt, a confirmation). Nothing for a payment
    that is not paid. True when attached."""
    if payment is None or not payment.is_paid or not payment.receipt_number:
        return False
    invoice = invoices.invoice_of(payment)
    message.attach(invoice_filename(invoice), invoice_pdf(invoice), "application/pdf")
    return True


def attach_credit_invoice(message, refund) -> bool:
    invoice = Invoice.objects.filter(refund_id=refund.pk).first()
    if invoice is None:
        return False
    message.attach(invoice_filename(invoice), invoice_pdf(invoice), "application/pdf")
    return True


def vat_label(rate) -> str:
    """'21%' or, for an exempt line, 'exempt from VAT'; a gift voucher sold: 'no VAT'."""
    if rate is None:
        return _("no VAT")
    rate = float(rate)
    if rate == 0:
        return _("exempt from VAT")
    return f"{rate:g}%"


class _Sheet(FPDF):
    def __init__(self, invoice: Invoice):
        super().__init__(format="A4", unit="mm")
        self.invoice = invoice
        self.studio = settings.STUDIO
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(LEFT, 20, LEFT)
        self.set_auto_page_break(True, margin=20)
        self.set_lang(invoice.language)
        self.set_title(f"{self.title_word()} {invoice.number}")
        self.set_author(self.studio["name"])
        self.set_creation_date(invoice.issued_at)
        self.alias_nb_pages()

    def title_word(self) -> str:
        return _("Credit invoice") if self.invoice.kind == Invoice.Kind.CREDIT else _("Invoice")

    def footer(self):
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        studio = self.studio
        self.cell(WIDTH, 5, f"{studio['name']} · {_('Chamber of Commerce')} {studio['kvk']} · {_('VAT number')} {studio['vat_number']}"
                  f" · {self.invoice.number} · {self.page_no()}/{{nb}}", align="C")

    def draw(self):
        self.add_page()
        self.draw_heading()
        self.draw_lines()
        self.draw_totals()
        self.draw_notes()

    def write_line(self, text: str, size=10, style="", color=INK, height=5.2):
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(WIDTH, height, text, new_x="LMARGIN", new_y="NEXT")

    def draw_heading(self):
        invoice, studio = self.invoice, self.studio
        self.write_line(studio["name"], size=16, style="B", height=8)
        for text in (studio["street"], f"{studio['postcode']} {studio['city']}", studio.get("email", "")):
            if text:
                self.write_line(text, color=MUTED)
        self.write_line(f"{_('Chamber of Commerce')}: {studio['kvk']} · {_('VAT number')}: {studio['vat_number']}", color=MUTED)
        self.ln(8)
        self.write_line(self.title_word(), size=20, style="B", height=10)
        facts = [(_("Invoice number"), invoice.number),
                 (_("Invoice date"), formats.date_format(timezone.localtime(invoice.issued_at), "j F Y"))]
        if invoice.kind == Invoice.Kind.CREDIT:
            facts.append((_("Credits invoice"), invoices.credited_number(invoice)))
        facts.append((_("To"), invoice.client_name))
        if invoice.client_email and invoice.client_email != invoice.client_name:
            facts.append(("", invoice.client_email))
        self.set_font(FONT, "", 10)
        for label, value in facts:
            self.set_text_color(*MUTED)
            self.cell(40, 6, label)
            self.set_text_color(*INK)
            self.cell(WIDTH - 40, 6, value, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def draw_lines(self):
        self.set_font(FONT, "", 10)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        with self.table(col_widths=(100, 42, 28), text_align=("LEFT", "LEFT", "RIGHT"), line_height=6.5, padding=(1.5, 1),
                        borders_layout=TableBordersLayout.HORIZONTAL_LINES, first_row_as_headings=True,
                        headings_style=_headings_style()) as table:
            table.row((_("Description"), _("VAT"), _("Amount")))
            for line in self.invoice.lines:
                table.row((line["description"], vat_label(line.get("vat_rate")) if line["kind"] != invoices.VOUCHER else "",
                           euros(line["total_cents"])))
        self.ln(4)

    def draw_totals(self):
        invoice = self.invoice
        summary = invoices.vat_summary(invoice)
        rows = [(_("Total excluding VAT"), sum(part["net_cents"] for part in summary) + invoices.outside_vat_cents(invoice), "")]
        for part in summary:
            if part["rate"]:
                rows.append((_("VAT %(rate)s over %(amount)s") % {"rate": vat_label(part["rate"]), "amount": euros(part["net_cents"])},
                             part["vat_cents"], ""))
            else:
                rows.append((_("Exempt from VAT"), part["gross_cents"], ""))
        rows.append((_("Total including VAT"), invoice.total_cents, "B"))
        if invoice.kind == Invoice.Kind.CREDIT:
            rows.append((_("Refunded to you"), -invoice.paid_cents, ""))
        else:
            paid_by_voucher = invoices.voucher_cents(invoice)
            if paid_by_voucher:
                rows.append((_("Paid with a gift voucher"), paid_by_voucher, ""))
            if invoice.paid_cents or not paid_by_voucher:
                method = invoice.payment.get_method_display() if invoice.payment.method else ""
                rows.append((_("Paid (%(method)s)") % {"method": method} if method else _("Paid"), invoice.paid_cents, ""))
        for label, cents, style in rows:
            self.set_font(FONT, style, 10)
            self.set_text_color(*INK)
            self.set_x(LEFT + 60)
            self.cell(75, 6.5, label)
            self.cell(35, 6.5, euros(cents), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def draw_notes(self):
        rates = [line.get("vat_rate") for line in self.invoice.lines if line["kind"] != invoices.VOUCHER]
        notes = []
        if any(rate is not None and float(rate) == 0 for rate in rates):
            notes.append(_("Exempt from VAT under article 11 of the Dutch VAT Act (Wet OB)."))
        if any(rate is None for rate in rates):
            notes.append(_("A gift voucher for more than one purpose: VAT is charged on what it pays for, when it is used."))
        if self.invoice.kind == Invoice.Kind.INVOICE:
            notes.append(_("Paid in full; there is nothing left to pay. Thank you!"))
        for note in notes:
            self.write_line(note, size=9, color=MUTED)


def _headings_style() -> FontFace:
    return FontFace(family=FONT, emphasis="BOLD", color=INK)
