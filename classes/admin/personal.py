"""The admin pages of the personal work: programme groups (with their dates), one-to-one session types,
and the teacher's hours, exceptions and settings for one-to-ones (also inline on her teacher page)."""

from datetime import time

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.money import euros

from .. import services
from ..models import AppointmentType, DateException, ProgrammeRun, Session, TeacherAvailability, WorkingHours


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class DateExceptionInline(admin.TabularInline):
    model = DateException
    extra = 0
    fields = ["kind", "first_day", "last_day", "start_time", "end_time", "note"]


class TeacherAvailabilityInline(admin.StackedInline):
    model = TeacherAvailability
    can_delete = False
    max_num = 1


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["teacher", "weekday", "start_time", "end_time"]
    list_filter = ["teacher", "weekday"]
    list_select_related = ["teacher__user"]


@admin.register(DateException)
class DateExceptionAdmin(admin.ModelAdmin):
    list_display = ["teacher", "first_day", "last_day", "kind", "start_time", "end_time", "note"]
    list_filter = ["teacher", "kind"]
    list_select_related = ["teacher__user"]
    date_hierarchy = "first_day"


@admin.register(TeacherAvailability)
class TeacherAvailabilityAdmin(admin.ModelAdmin):
    list_display = ["teacher", "buffer_minutes", "minimum_notice_hours", "horizon_days", "step_minutes"]
    list_select_related = ["teacher__user"]


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "duration_minutes", "price", "teacher", "offering", "is_bookable_alone", "is_active", "position"]
    list_filter = ["teacher", "is_active"]
    list_editable = ["is_active", "position"]
    list_select_related = ["teacher__user", "offering"]
    prepopulated_fields = {"slug": ["name_nl"]}
    fieldsets = [
        (None, {"fields": ["slug", "teacher", "is_active", "position"]}),
        (_("Dutch"), {"fields": ["name_nl", "description_nl"]}),
        (_("English"), {"fields": ["name_en", "description_en"]}),
        (_("Practical"), {"fields": ["duration_minutes", "price_cents", "is_bookable_alone", "offering", "programme_price_cents"]}),
    ]

    @admin.display(description=_("price"), ordering="price_cents")
    def price(self, obj):
        return euros(obj.price_cents)


class RunDateInline(admin.TabularInline):
    model = Session
    fk_name = "programme_run"
    verbose_name_plural = _("dates (change a date on its own session page)")
    fields = ["starts_at", "ends_at", "places", "status"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    @admin.display(description=_("places taken / total"))
    def places(self, obj):
        return f"{obj.places_taken} / {obj.capacity}"


class NewRunForm(forms.ModelForm):
    first_day = forms.DateField(label=_("first date"))
    start_time = forms.TimeField(label=_("start time"), initial=time(19, 30), help_text=_("Wall-clock time in Breda."))
    every_days = forms.IntegerField(label=_("days between the dates"), initial=7, min_value=1, max_value=60)

    class Meta:
        model = ProgrammeRun
        fields = ["offering", "teacher", "room", "capacity", "price_cents", "is_open"]


@admin.register(ProgrammeRun)
class ProgrammeRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "teacher", "capacity", "is_open", "created_at"]
    list_filter = ["offering", "is_open"]
    list_select_related = ["offering", "teacher__user"]
    inlines = [RunDateInline]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = NewRunForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        fields = ["offering", "teacher", "room", "capacity", "price_cents", "is_open"]
        return fields + ["first_day", "start_time", "every_days"] if obj is None else fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            data = form.cleaned_data
            dates = services.programme_run_add_dates(obj, first_day=data["first_day"], start_time=data["start_time"],
                                                     every_days=data["every_days"])
            messages.info(request, _("%(count)d dates were added to this group.") % {"count": len(dates)})
