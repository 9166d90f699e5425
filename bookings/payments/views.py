"""Where Stripe sends the client back (paid, or stopped paying), going back to paying, and the
receipt. Parse, call, answer: the outcome is read from Stripe through fulfilment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import is_admin

from ..errors import PaymentError
from ..models import Invoice, Payment
from . import checkout, fulfilment, invoice_pdf, invoices, kinds, price_cuts
from .handoff import send_to_checkout


@login_required
def checkout_return(request):
    """Stripe sends the client back here after paying; the outcome is read from Stripe itself."""
    checkout_id = request.GET.get("session_id", "")
    payment = Payment.objects.filter(stripe_checkout_id=checkout_id, client=request.user).first() if checkout_id else None
    if payment is None:
        raise Http404("unknown checkout")
    payment = fulfilment.payment_fulfil(checkout_id=checkout_id) or payment
    return _landing(request, payment)


@login_required
def payment_thanks(request, pk):
    """Where a client lands after a purchase with nothing left to pay (a code or a gift voucher paid
    it all): the same page as after Stripe, without Stripe."""
    payment = get_object_or_404(Payment, pk=pk, client=request.user)
    return _landing(request, payment)


def _landing(request, payment):
    kind = kinds.kind_for(payment.purpose)
    target = kind.return_url(payment)
    if target is None:
        return render(request, "bookings/checkout_return.html", {"payment": payment, "thanks": kind.thanks(payment) if payment.is_paid else ""})
    if payment.is_paid and kind.is_delivered(payment):
        messages.success(request, _("Thank you, your payment is in. A confirmation is on its way to your inbox."))
    elif payment.is_paid:
        messages.error(request, _("Your payment came in after the time you chose was given away, so it is being refunded in full. "
                                  "We are sorry; please choose another time."))
        return redirect("bookings:my_bookings")
    elif payment.status in (Payment.Status.PENDING, Payment.Status.PROCESSING):
        messages.info(request, _("Your bank has not confirmed the payment yet. As soon as it does, you get an email."))
    else:
        messages.error(request, _("The payment did not go through. Nothing was charged; you are welcome to try again."))
        return redirect("bookings:my_bookings")
    return redirect(target)


@login_required
def checkout_cancelled(request, pk):
    """The client came back without paying. Stripe is asked first: only a Checkout that is closed
    there frees the place; one that was paid after all is fulfilled."""
    payment = get_object_or_404(Payment, pk=pk, client=request.user)
    if payment.status != Payment.Status.PENDING:
        return redirect("bookings:my_bookings")
    try:
        payment = checkout.checkout_abandon(payment=payment)
    except PaymentError as error:
        messages.warning(request, str(error))
        return redirect("bookings:my_bookings")
    if payment.is_paid:
        messages.success(request, _("Your payment had already come in, so nothing is undone: you find it under your bookings."))
    elif payment.status == Payment.Status.PROCESSING:
        messages.info(request, _("Your bank has not confirmed the payment yet. As soon as it does, you get an email."))
    else:
        messages.info(request, _("You stopped paying, so nothing was charged and the place is free again."))
    return redirect("bookings:my_bookings")


@login_required
@require_POST
def checkout_resume(request, pk):
    payment = get_object_or_404(Payment, pk=pk, client=request.user, status=Payment.Status.PENDING)
    if not checkout.checkout_resumable(payment=payment):
        messages.error(request, _("The time to pay for this place has run out. Please book again."))
        return redirect("bookings:my_bookings")
    return send_to_checkout(request, payment)


@login_required
def receipt(request, pk):
    payment = _own_or_desk(request, pk)  # hers, or the admin's desk
    if not payment.is_paid:
        messages.info(request, _("A receipt is available once the payment is in."))
        return redirect("bookings:my_bookings")
    return render(request, "bookings/receipt.html", {
        "payment": payment, "line": kinds.kind_for(payment.purpose).receipt_line(payment),
        "refunds": payment.refunds.filter(status="succeeded"), "cuts": price_cuts.price_cut_lines(payment),
        "credit_invoices": Invoice.objects.filter(payment=payment, kind=Invoice.Kind.CREDIT).order_by("number"),
    })


@login_required
def invoice_download(request, pk):
    """The payment's invoice as a PDF: for its client, and for the admin's desk; 404 for anyone else."""
    payment = _own_or_desk(request, pk)
    if not payment.is_paid or not payment.receipt_number:
        raise Http404("no invoice before the payment is in")
    return _pdf_response(invoices.invoice_of(payment))


@login_required
def credit_invoice_download(request, pk, refund_pk):
    """The credit invoice of one refund of the payment, as a PDF, for the same people."""
    payment = _own_or_desk(request, pk)
    return _pdf_response(get_object_or_404(Invoice, payment=payment, refund_id=refund_pk, kind=Invoice.Kind.CREDIT))


@login_required
def voucher_credit_invoice_download(request, pk, entry_pk):
    """The credit invoice for the part of the payment that went back on a gift voucher."""
    payment = _own_or_desk(request, pk)
    return _pdf_response(get_object_or_404(Invoice, payment=payment, voucher_return_id=entry_pk, kind=Invoice.Kind.CREDIT))


def _own_or_desk(request, pk) -> Payment:
    payment = get_object_or_404(Payment.objects.select_related("client"), pk=pk)
    if payment.client_id != request.user.pk and not is_admin(request.user):
        raise Http404("not your invoice")
    return payment


def _pdf_response(invoice) -> HttpResponse:
    response = HttpResponse(invoice_pdf.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice_pdf.invoice_filename(invoice)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
