"""Sending a client to Stripe Checkout from any purpose's page (not a view: a step views take)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ..errors import PaymentError
from ..models import Payment
from . import checkout, fulfilment


def send_to_checkout(request, payment: Payment):
    """Redirect to the payment's Checkout; if Stripe cannot start it, the payment fails, what it held
    goes back, and the client lands on her bookings with the reason. Nothing left to pay (a code or a
    gift voucher covered it): no Checkout at all; it is settled here and she lands on the thank-you.
    Stripe names the purchase as our receipt does: the payment's own line, in the page's language."""
    if payment.amount_cents == 0:
        payment = fulfilment.payment_settle_without_money(payment=payment)
        if payment.is_paid:
            return redirect("bookings:payment_thanks", pk=payment.pk)
        messages.error(request, _("The time to finish this purchase ran out, so nothing was booked or charged. Please try again."))
        return redirect("bookings:my_bookings")
    success_url = request.build_absolute_uri(reverse("bookings:checkout_return")) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel_url = request.build_absolute_uri(reverse("bookings:checkout_cancelled", kwargs={"pk": payment.pk}))
    try:
        url = checkout.checkout_start(payment=payment, line_name=payment.label, client=request.user,
                                      success_url=success_url, cancel_url=cancel_url)
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect("bookings:my_bookings")
    return redirect(url)
