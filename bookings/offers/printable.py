"""A voucher as things to hand over: its QR code (a PNG that opens the voucher's page) and a
printable A5 PDF with the code, the QR code, the buyer's message and how long it is valid. Pure
Python (qrcode with Pillow, fpdf2), so the demo needs no system libraries."""

import io
from pathlib import Path

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from qrcode.constants import ERROR_CORRECT_M

from core.money import euros

from ..emails import absolute
from ..models import Voucher

QR_BOX = 10  # pixels per module
QR_BORDER = 4  # modules of white around it (the standard's quiet zone)
FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"  # bookings/fonts: for PDFs, not served to browsers


def voucher_url(voucher: Voucher) -> str:
    """The voucher's own page, the same in every language (the QR code must not change)."""
    with translation.override("nl"):
        return absolute(reverse("bookings:voucher", kwargs={"code": voucher.code}))


def qr_code(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=QR_BOX, border=QR_BORDER)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_png(text: str) -> bytes:
    """The QR code of `text` as a black-on-white PNG."""
    image = qr_code(text).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def voucher_qr_png(voucher: Voucher) -> bytes:
    return qr_png(voucher_url(voucher))


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _font(pdf: FPDF) -> str:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("dejavu", "", str(regular))
        pdf.add_font("dejavu", "B", str(bold))
        return "dejavu"
    return "helvetica"


def _text(font: str, text: str) -> str:
    """The core font has no euro sign or curly quotes; a bundled Unicode font has everything."""
    return text if font != "helvetica" else text.replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")


def voucher_pdf(voucher: Voucher) -> bytes:
    """The printable voucher (A5, landscape): the studio, the amount, for whom, the message, the
    code with its QR code, how to use it and until when. In Dutch, with one line in English."""
    with translation.override("nl"), timezone.override("Europe/Amsterdam"):
        pdf = FPDF(orientation="L", format="A5")
        pdf.set_auto_page_break(False)
        pdf.set_title(f"{_('Gift voucher')} {voucher.code}")
        pdf.add_page()
        font = _font(pdf)

        def line(text, size=11, style="", height=6, width=120):
            pdf.set_font(font, style=style, size=size)
            pdf.set_x(15)
            pdf.multi_cell(width, height, _text(font, text), new_x="LMARGIN", new_y="NEXT")

        pdf.set_y(14)
        line(settings.STUDIO["name"], size=12, style="B")
        line(_("Gift voucher"), size=26, style="B", height=13)
        line(euros(voucher.value_cents, "nl"), size=20, style="B", height=11)
        if voucher.recipient_name:
            line(_("For %(name)s") % {"name": voucher.recipient_name}, size=13, height=8)
        if voucher.buyer_id:
            line(_("From %(name)s") % {"name": voucher.buyer.get_full_name() or voucher.buyer.email}, size=11)
        if voucher.message:
            pdf.ln(2)
            line(f"“{voucher.message}”", size=11, height=5.5)
        pdf.ln(3)
        line(_("Code: %(code)s") % {"code": voucher.code}, size=14, style="B", height=8)
        line(_("Valid until %(date)s.") % {"date": _date(voucher.expires_at)}, size=10)
        line(_("Use it when you book or buy on %(site)s (fill in the code at checkout), or show it at the studio.")
             % {"site": settings.SITE_URL.split("//")[-1]}, size=9, height=4.5)
        line("English: a gift voucher for Studio Tree of Life; use the code online or at the studio before the date above.",
             size=8, height=4)
        pdf.image(io.BytesIO(voucher_qr_png(voucher)), x=145, y=20, w=55, h=55)
        pdf.set_font(font, size=8)
        pdf.set_xy(145, 77)
        pdf.cell(55, 4, _text(font, _("Scan for the balance")), align="C")
        pdf.set_xy(15, 135)
        pdf.set_font(font, size=8)
        studio = settings.STUDIO
        pdf.cell(180, 4, _text(font, f"{studio['name']} · {studio['street']} · {studio['postcode']} {studio['city']} · {studio['email']}"))
        return bytes(pdf.output())
