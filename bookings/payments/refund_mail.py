"""The email a client gets when money made its way back to her from a refund the studio made by
hand (at the admin's desk, in the admin site or in Stripe's dashboard), partial ones included, or
from a payment that came in after its place or time had gone to someone else. Refunds that follow
a cancellation are told in the cancellation's own email."""

from smtplib import SMTPException

from celery import shared_task
from django.urls import reverse

from .. import emails, history
from ..models import Payment, Refund
from . import invoice_pdf, kinds


def refund_made(refund_id: int) -> None:
    refund = Refund.objects.select_related("payment__client").get(pk=refund_id)
    payment = refund.payment
    client = payment.client
    with emails.speaking(client):
        line = kinds.kind_for(payment.purpose).receipt_line(payment) if payment.purpose in kinds.purposes() else payment.label
        reason = history.reason_text(refund.reason)
        receipt_url = emails.absolute(reverse("bookings:receipt", kwargs={"pk": payment.pk}))
    message = emails.compose("refund_made", client, {
        "refund": refund, "payment": payment, "line": line, "reason": reason, "receipt_url": receipt_url,
        "whole": payment.refunded_cents >= payment.amount_cents,
        "at_studio": payment.method in (Payment.Method.CASH, Payment.Method.PIN),
    })
    invoice_pdf.attach_credit_invoice(message, refund)
    message.send()


@shared_task(name="bookings.tasks.send_refund_made", acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=True,
             max_retries=5)
def send_refund_made(refund_id):
    refund_made(refund_id)
