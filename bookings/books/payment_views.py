"""The payments at the admin's desk: find one, read its whole story, refund all or part of it after a
confirmation that says what happens to what was bought. Money moves only through the refunds service."""

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.money import euros
from core.roles import admin_required

from ..errors import PaymentError
from ..models import Payment, Refund
from ..payments import refunds
from . import desk_forms, payment_story

PER_PAGE = 50


@admin_required
def payments(request):
    form = desk_forms.PaymentSearchForm(request.GET or None)
    found = Payment.objects.none()
    if not form.is_bound:
        found = payment_story.payments_found()
    elif form.is_valid():
        data = form.cleaned_data
        found = payment_story.payments_found(text=data["q"], status=data["status"], method=data["method"], purpose=data["purpose"],
                                             first=data["first"], last=data["last"])
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "bookings/books/payments.html", {"form": form, "page": page, "query": query.urlencode()})


@admin_required
def payment(request, pk):
    payment = get_object_or_404(Payment.objects.select_related("client"), pk=pk)
    refunds_made = payment_story.refunds_of(payment)
    return render(request, "bookings/books/payment.html", {
        "payment": payment, "story": payment_story.story(payment, refunds_made), "bought": payment_story.what_was_bought(payment),
        "refunds": refunds_made,
    })


@admin_required
@require_http_methods(["GET", "POST"])
def payment_refund(request, pk):
    """Step one: the amount and why. Step two (the same form, checked, with `confirmed`): what will
    happen, and the button that sends it. The token makes a double click one refund."""
    payment = get_object_or_404(Payment.objects.select_related("client"), pk=pk)
    if not payment.refundable_cents:
        messages.info(request, _("Nothing of this payment can be refunded any more."))
        return redirect("bookings:desk_payment", payment.pk)
    if request.method == "GET":
        form = desk_forms.RefundForm(payment=payment, initial={"amount": payment.refundable_cents, "token": secrets.token_hex(16)})
        return render(request, "bookings/books/refund.html", {"payment": payment, "form": form})
    form = desk_forms.RefundForm(request.POST, payment=payment)
    if not form.is_valid():
        return render(request, "bookings/books/refund.html", {"payment": payment, "form": form}, status=400)
    cents = form.cleaned_data["amount"]
    if request.POST.get("confirmed") != "yes":
        return render(request, "bookings/books/refund_confirm.html", {
            "payment": payment, "form": form, "amount": cents, "whole": cents == payment.refundable_cents, "kept_after": payment.refundable_cents - cents,
            "effect": payment_story.refund_effect(payment, cents), "bought": payment_story.what_was_bought(payment),
        })
    key = f"desk-payment-{payment.pk}-{form.cleaned_data['token']}"
    made = Refund.objects.filter(idempotency_key=key).first()
    if made is not None:  # the same form sent again (a double click, or back to an old page)
        messages.info(request, _("This refund of %(amount)s was already made; nothing more was refunded.") % {"amount": euros(made.amount_cents)})
        return redirect("bookings:desk_payment", payment.pk)
    try:
        with transaction.atomic():
            refunds.refund_create(payment=payment, amount_cents=cents, reason=form.cleaned_data["reason"], key=key, actor=request.user,
                                  tell_client=True)
    except PaymentError as error:
        form.add_error("amount", str(error))
        return render(request, "bookings/books/refund.html", {"payment": payment, "form": form}, status=400)
    messages.success(request, _("%(amount)s is on its way back to %(client)s; they get an email once it is done.") % {
        "amount": euros(cents), "client": payment.client.get_full_name() or payment.client.email})
    return redirect("bookings:desk_payment", payment.pk)


@admin_required
@require_http_methods(["POST"])
def refund_retry(request, pk, refund_pk):
    payment = get_object_or_404(Payment, pk=pk)
    refund = get_object_or_404(payment.refunds, pk=refund_pk)
    try:
        refunds.refund_retry(refund=refund)
    except PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The refund was tried again; its status shows below."))
    return redirect("bookings:desk_payment", payment.pk)
