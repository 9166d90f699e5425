"""Programme bookings (with their credit ledger) and one-to-one sessions in the admin site. Changes go
through the services (the client's pages and the teacher's pages); here they are read."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_inlines import ReadOnlyInline

from ..models import Appointment, AppointmentEvent, Booking, ProgrammeCreditEntry, ProgrammeEnrolment


class ProgrammeCreditInline(ReadOnlyInline):
    model = ProgrammeCreditEntry
    fields = ["created_at", "kind", "delta", "appointment", "reason", "created_by"]
    readonly_fields = fields


class ProgrammeBookingInline(ReadOnlyInline):
    model = Booking
    fields = ["session", "status", "attendance"]
    readonly_fields = fields
    verbose_name_plural = _("dates")


@admin.register(ProgrammeEnrolment)
class ProgrammeEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "client", "offering", "run", "appointment_type", "status", "sessions_total", "credits_left"]
    list_filter = ["status", "offering"]
    search_fields = ["client__email", "client__first_name", "client__last_name"]
    list_select_related = ["client", "offering", "run__offering", "appointment_type"]
    readonly_fields = [field.name for field in ProgrammeEnrolment._meta.fields]
    inlines = [ProgrammeCreditInline, ProgrammeBookingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_balance()

    @admin.display(description=_("sessions left to book"))
    def credits_left(self, obj):
        return obj.balance if obj.appointment_type_id else "-"

    def has_add_permission(self, request):
        return False


class AppointmentEventInline(ReadOnlyInline):
    model = AppointmentEvent
    fields = ["created_at", "action", "note", "actor"]
    readonly_fields = fields


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "client", "appointment_type", "teacher", "status", "paid_with", "attendance"]
    list_filter = ["status", "paid_with", "attendance", "teacher", "appointment_type"]
    search_fields = ["client__email", "client__first_name", "client__last_name"]
    list_select_related = ["client", "appointment_type", "teacher__user"]
    date_hierarchy = "starts_at"
    readonly_fields = [field.name for field in Appointment._meta.fields]
    inlines = [AppointmentEventInline]

    def has_add_permission(self, request):
        return False
