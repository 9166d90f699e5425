"""Payments, refunds and Stripe's events in the admin site. Money moves only through the payments
services: the refund page calls `refund_create`, the action `refund_retry`."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyInline
from core.money import euros

from ..errors import PaymentError
from ..models import Payment, Refund, StripeEvent
from . import kinds, refunds


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["created_at", "amount_cents", "status", "reason", "failure_reason", "stripe_refund_id", "created_by"]
    readonly_fields = fields


class PurposeFilter(admin.SimpleListFilter):
    title = gettext_lazy("for")
    parameter_name = "purpose"

    def lookups(self, request, model_admin):
        return [(kind.purpose, kind.label) for kind in kinds.kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(purpose=self.value()) if self.value() else queryset


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount in euros"), min_value=Decimal("0.01"), decimal_places=2, max_digits=8,
                                localize=True)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "receipt_number", "client", "purpose_shown", "amount", "status", "method", "refunded"]
    list_filter = ["status", "method", PurposeFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["receipt_number", "client__email", "client__last_name", "stripe_checkout_id", "stripe_payment_intent_id", "description"]
    list_select_related = ["client"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Payment._meta.fields] + ["refund_link"]
    inlines = [RefundInline]

    def get_urls(self):
        view = self.admin_site.admin_view(self.refund_view)
        return [path("<int:pk>/refund/", view, name="bookings_payment_refund"), *super().get_urls()]

    @admin.display(description=gettext_lazy("for"), ordering="purpose")
    def purpose_shown(self, obj):
        return kinds.label_of(obj.purpose)

    @admin.display(description=gettext_lazy("refund"))
    def refund_link(self, obj):
        if not obj.refundable_cents:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:bookings_payment_refund", args=[obj.pk]), _("Refund all or part"))

    @admin.display(description=gettext_lazy("amount"), ordering="amount_cents")
    def amount(self, obj):
        return euros(obj.amount_cents)

    @admin.display(description=gettext_lazy("refunded"), ordering="refunded_cents")
    def refunded(self, obj):
        return euros(obj.refunded_cents) if obj.refunded_cents else ""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def refund_view(self, request, pk):
        payment = get_object_or_404(Payment, pk=pk)
        if not self.has_change_permission(request, payment):
            raise PermissionDenied
        form = RefundForm(request.POST or None, initial={"amount": Decimal(payment.refundable_cents) / 100})
        if request.method == "POST" and form.is_valid():
            cents = int(round(form.cleaned_data["amount"] * 100))
            try:
                with transaction.atomic():
                    count = payment.refunds.count()
                    refunds.refund_create(payment=payment, amount_cents=cents, reason=form.cleaned_data["reason"],
                                          key=f"admin-payment-{payment.pk}-refund-{count + 1}", actor=request.user,
                                          tell_client=True)
            except PaymentError as error:
                form.add_error("amount", str(error))
            else:
                messages.success(request, _("The refund has been sent to Stripe; its status shows below."))
                return redirect("admin:bookings_payment_change", payment.pk)
        context = {**self.admin_site.each_context(request), "title": _("Refund %(payment)s") % {"payment": payment},
                   "form": form, "object": payment, "opts": Payment._meta}
        return TemplateResponse(request, "admin/bookings/form_page.html", context)


@admin.action(description=gettext_lazy("Try the selected failed refunds again"))
def retry_refunds(model_admin, request, queryset):
    done = 0
    for refund in queryset.filter(status=Refund.Status.FAILED):
        refunds.refund_retry(refund=refund)
        done += 1
    messages.info(request, _("%(count)d refunds tried again.") % {"count": done})


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["created_at", "payment", "amount_cents", "status", "reason", "failure_reason"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Refund._meta.fields]
    actions = [retry_refunds]

    def has_add_permission(self, request):
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "type", "event_id", "processed_at"]
    list_filter = ["type"]
    search_fields = ["event_id"]
    readonly_fields = ["event_id", "type", "received_at", "processed_at"]

    def has_add_permission(self, request):
        return False
