"""Admin pages of the studio's books that change money or credits: refunds and card corrections.
They call the same services as everything else."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import cards, payments
from .errors import BookingError, PaymentError
from .models import ClassCard, Payment


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount in euros"), min_value=0.01, decimal_places=2, max_digits=8, localize=True)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


class CorrectionForm(forms.Form):
    delta = forms.IntegerField(label=gettext_lazy("Classes to add (negative to remove)"), min_value=-50, max_value=50)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


def refund_view(model_admin, request, pk):
    payment = get_object_or_404(Payment, pk=pk)
    if not model_admin.has_change_permission(request, payment):
        raise PermissionDenied
    form = RefundForm(request.POST or None, initial={"amount": Decimal(payment.refundable_cents) / 100})
    if request.method == "POST" and form.is_valid():
        cents = int(round(form.cleaned_data["amount"] * 100))
        try:
            with transaction.atomic():
                count = payment.refunds.count()
                payments.refund_create(payment=payment, amount_cents=cents, reason=form.cleaned_data["reason"],
                                       key=f"admin-payment-{payment.pk}-refund-{count + 1}", actor=request.user)
        except PaymentError as error:
            form.add_error("amount", str(error))
        else:
            messages.success(request, _("The refund has been sent to Stripe; its status shows below."))
            return redirect("admin:bookings_payment_change", payment.pk)
    context = {**model_admin.admin_site.each_context(request), "title": _("Refund %(payment)s") % {"payment": payment},
               "form": form, "object": payment, "opts": Payment._meta}
    return TemplateResponse(request, "admin/bookings/form_page.html", context)


def correction_view(model_admin, request, pk):
    card = get_object_or_404(ClassCard, pk=pk)
    if not model_admin.has_view_permission(request, card) or not request.user.has_perm("bookings.add_creditentry"):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cards.card_correct(card=card, delta=form.cleaned_data["delta"], reason=form.cleaned_data["reason"], actor=request.user)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The correction is in the card's ledger."))
            return redirect("admin:bookings_classcard_change", card.pk)
    context = {**model_admin.admin_site.each_context(request), "title": _("Correct %(card)s") % {"card": card},
               "form": form, "object": card, "opts": ClassCard._meta}
    return TemplateResponse(request, "admin/bookings/form_page.html", context)


@admin.action(description=gettext_lazy("Try the selected failed refunds again"))
def retry_refunds(model_admin, request, queryset):
    done = 0
    for refund in queryset.filter(status="failed"):
        payments.refund_retry(refund=refund)
        done += 1
    messages.info(request, _("%(count)d refunds tried again.") % {"count": done})
