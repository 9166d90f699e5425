"""The emails of a gift voucher: to the recipient (the code, its QR code, the buyer's message), and to
the buyer (her receipt, and the printable PDF when she gives the voucher herself). Sent after the
commit by the Celery tasks below, with ids; safe to run twice (the recipient's mail is marked sent)."""

import logging
from email.mime.image import MIMEImage
from types import SimpleNamespace

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.money import euros

from ..emails import MAIL_RETRY, absolute, compose, speaking
from ..models import Voucher
from . import printable

logger = logging.getLogger(__name__)

QR_CID = "voucher-qr"


def _context(voucher: Voucher) -> dict:
    return {"voucher": voucher, "value": euros(voucher.value_cents), "voucher_url": printable.voucher_url(voucher),
            "buyer_name": voucher.buyer.get_full_name() or voucher.buyer.first_name or voucher.buyer.email,
            "timetable_url": absolute(reverse("classes:timetable")), "qr_cid": QR_CID}


def _qr_part(voucher: Voucher) -> MIMEImage:
    part = MIMEImage(printable.voucher_qr_png(voucher), "png")
    part.add_header("Content-ID", f"<{QR_CID}>")
    part.add_header("Content-Disposition", "inline", filename=f"cadeaubon-{voucher.code}.png")
    return part


def voucher_to_recipient(voucher_id: int) -> bool:
    """The recipient's email (her language is unknown: Dutch, with a line in English), once."""
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update(of=("self",)).select_related("buyer", "product").get(pk=voucher_id)
        if voucher.issued_at is None or not voucher.recipient_email or voucher.sent_at is not None:
            return False
        recipient = SimpleNamespace(email=voucher.recipient_email, language="nl", first_name=voucher.recipient_name)
        message = compose("voucher_received", recipient, _context(voucher))
        message.attach(_qr_part(voucher))
        message.send()
        voucher.sent_at = timezone.now()
        voucher.save(update_fields=["sent_at"])
    return True


def voucher_bought(voucher_id: int) -> None:
    """The buyer's email: thanks, the receipt, the voucher's page; the PDF when she gives it herself."""
    voucher = Voucher.objects.select_related("buyer", "product", "payment").get(pk=voucher_id)
    buyer = voucher.buyer
    with speaking(buyer):
        context = {**_context(voucher), "payment": voucher.payment, "amount": euros(voucher.payment.amount_cents),
                   "receipt_url": absolute(voucher.payment.get_absolute_url()),
                   "pdf_url": absolute(reverse("bookings:voucher_pdf", kwargs={"code": voucher.code}))}
        message = compose("voucher_bought", buyer, context)
    if not voucher.recipient_email:
        message.attach(f"cadeaubon-{voucher.code}.pdf", printable.voucher_pdf(voucher), "application/pdf")
    message.send()


@shared_task(name="bookings.tasks.send_voucher_to_recipient", **MAIL_RETRY)
def send_voucher_to_recipient(voucher_id):
    return voucher_to_recipient(voucher_id)


@shared_task(name="bookings.tasks.send_voucher_bought", **MAIL_RETRY)
def send_voucher_bought(voucher_id):
    voucher_bought(voucher_id)
