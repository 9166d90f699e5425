"""Group classes in the admin site: bookings, the waitlist, class card types and cards. A card's
credits change only through a correction (a ledger row with a reason), by `cards.card_correct`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyInline
from core.money import euros

from ..errors import BookingError
from ..models import Booking, BookingEvent, ClassCard, ClassCardType, CreditEntry, WaitlistEntry
from . import cards


@admin.register(ClassCardType)
class ClassCardTypeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "credits", "validity_months", "price", "is_on_sale", "position"]
    list_editable = ["is_on_sale", "position"]
    filter_horizontal = ["styles"]

    @admin.display(description=gettext_lazy("price"), ordering="price_cents")
    def price(self, obj):
        return euros(obj.price_cents)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_studio_credit=False)


class CreditEntryInline(ReadOnlyInline):
    model = CreditEntry
    fields = ["created_at", "kind", "delta", "booking", "reason", "created_by"]
    readonly_fields = fields


class CorrectionForm(forms.Form):
    delta = forms.IntegerField(label=gettext_lazy("Classes to add (negative to remove)"), min_value=-50, max_value=50)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


@admin.register(ClassCard)
class ClassCardAdmin(admin.ModelAdmin):
    list_display = ["client", "card_type", "balance_shown", "purchased_at", "expires_at"]
    list_filter = ["card_type"]
    search_fields = ["client__email", "client__first_name", "client__last_name"]
    list_select_related = ["client", "card_type"]
    readonly_fields = ["client", "card_type", "payment", "purchased_at", "expires_at", "balance_shown", "correct_link"]
    inlines = [CreditEntryInline]

    def get_urls(self):
        view = self.admin_site.admin_view(self.correction_view)
        return [path("<int:pk>/correct/", view, name="bookings_classcard_correct"), *super().get_urls()]

    @admin.display(description=gettext_lazy("correction"))
    def correct_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:bookings_classcard_correct", args=[obj.pk]),
                           _("Add or remove classes, with a reason"))

    def get_queryset(self, request):
        return super().get_queryset(request).with_balance()

    @admin.display(description=gettext_lazy("classes left"))
    def balance_shown(self, obj):
        return obj.balance

    def has_add_permission(self, request):
        return False

    def correction_view(self, request, pk):
        card = get_object_or_404(ClassCard, pk=pk)
        if not self.has_view_permission(request, card) or not request.user.has_perm("bookings.add_creditentry"):
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
        context = {**self.admin_site.each_context(request), "title": _("Correct %(card)s") % {"card": card},
                   "form": form, "object": card, "opts": ClassCard._meta}
        return TemplateResponse(request, "admin/bookings/form_page.html", context)


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
