"""The studio's books in the admin site: payments, refunds, bookings, class cards, rules."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import admin_forms
from .models import (
    Booking,
    BookingEvent,
    BookingPolicy,
    ClassCard,
    ClassCardType,
    CreditEntry,
    Payment,
    Refund,
    StripeEvent,
    WaitlistEntry,
)


def euros(cents):
    return f"€ {cents / 100:.2f}".replace(".", ",")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    max_num = 0

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    def changelist_view(self, request, extra_context=None):
        BookingPolicy.current()
        return redirect(reverse("admin:bookings_bookingpolicy_change", args=[1]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClassCardType)
class ClassCardTypeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "credits", "validity_months", "price", "is_on_sale", "position"]
    list_editable = ["is_on_sale", "position"]
    filter_horizontal = ["styles"]

    @admin.display(description=_("price"), ordering="price_cents")
    def price(self, obj):
        return euros(obj.price_cents)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_studio_credit=False)


class CreditEntryInline(ReadOnlyInline):
    model = CreditEntry
    fields = ["created_at", "kind", "delta", "booking", "reason", "created_by"]
    readonly_fields = fields


@admin.register(ClassCard)
class ClassCardAdmin(admin.ModelAdmin):
    list_display = ["client", "card_type", "balance_shown", "purchased_at", "expires_at"]
    list_filter = ["card_type"]
    search_fields = ["client__email", "client__first_name", "client__last_name"]
    list_select_related = ["client", "card_type"]
    readonly_fields = ["client", "card_type", "payment", "purchased_at", "expires_at", "balance_shown", "correct_link"]
    inlines = [CreditEntryInline]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request, pk: admin_forms.correction_view(self, request, pk))
        return [path("<int:pk>/correct/", view, name="bookings_classcard_correct"), *super().get_urls()]

    @admin.display(description=_("correction"))
    def correct_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:bookings_classcard_correct", args=[obj.pk]),
                           _("Add or remove classes, with a reason"))

    def get_queryset(self, request):
        return super().get_queryset(request).with_balance()

    @admin.display(description=_("classes left"))
    def balance_shown(self, obj):
        return obj.balance

    def has_add_permission(self, request):
        return False


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["created_at", "amount_cents", "status", "reason", "failure_reason", "stripe_refund_id", "created_by"]
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "receipt_number", "client", "purpose", "amount", "status", "method", "refunded"]
    list_filter = ["status", "method", "purpose", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["receipt_number", "client__email", "client__last_name", "stripe_checkout_id", "stripe_payment_intent_id", "description"]
    list_select_related = ["client"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Payment._meta.fields] + ["refund_link"]
    inlines = [RefundInline]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request, pk: admin_forms.refund_view(self, request, pk))
        return [path("<int:pk>/refund/", view, name="bookings_payment_refund"), *super().get_urls()]

    @admin.display(description=_("refund"))
    def refund_link(self, obj):
        if not obj.refundable_cents:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:bookings_payment_refund", args=[obj.pk]), _("Refund all or part"))

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, obj):
        return euros(obj.amount_cents)

    @admin.display(description=_("refunded"), ordering="refunded_cents")
    def refunded(self, obj):
        return euros(obj.refunded_cents) if obj.refunded_cents else ""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["created_at", "payment", "amount_cents", "status", "reason", "failure_reason"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Refund._meta.fields]
    actions = [admin_forms.retry_refunds]

    def has_add_permission(self, request):
        return False


class BookingEventInline(ReadOnlyInline):
    model = BookingEvent
    fields = ["created_at", "action", "note", "actor"]
    readonly_fields = fields


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["session", "client", "status", "paid_with", "attendance", "created_at"]
    list_filter = ["status", "paid_with", "attendance", "session__offering__style"]
    search_fields = ["client__email", "client__first_name", "client__last_name"]
    list_select_related = ["session__offering", "client"]
    readonly_fields = [field.name for field in Booking._meta.fields]
    inlines = [BookingEventInline]

    def has_add_permission(self, request):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["session", "client", "status", "created_at", "offer_expires_at"]
    list_filter = ["status"]
    list_select_related = ["session__offering", "client"]
    readonly_fields = [field.name for field in WaitlistEntry._meta.fields]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "type", "event_id", "processed_at"]
    list_filter = ["type"]
    search_fields = ["event_id"]
    readonly_fields = ["event_id", "type", "received_at", "processed_at"]

    def has_add_permission(self, request):
        return False


from . import admin_personal  # noqa: E402,F401  (programmes and one-to-ones)
