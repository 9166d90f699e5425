"""The teacher's side of the timetable in the admin site."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import euros

from .. import services
from ..forms import OfferingForm, TeacherForm
from ..models import Closure, Offering, Room, Session, Style, Teacher, WeeklySlot
from .personal import DateExceptionInline, TeacherAvailabilityInline, WorkingHoursInline


@admin.register(Style)
class StyleAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_nl"]}


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "capacity"]


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    form = TeacherForm
    list_display = ["__str__", "slug", "is_active"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    inlines = [TeacherAvailabilityInline, WorkingHoursInline, DateExceptionInline]


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    form = OfferingForm
    list_display = ["name_nl", "kind", "style", "duration_minutes", "default_capacity", "price", "is_shown", "position"]
    list_filter = ["kind", "style", "is_shown"]
    list_editable = ["is_shown", "position"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_nl"]}
    fieldsets = [
        (None, {"fields": ["kind", "style", "slug", "is_shown", "position"]}),
        (_("Dutch"), {"fields": ["name_nl", "summary_nl", "description_nl", "what_to_expect_nl", "what_to_bring_nl", "suits_nl", "photo_alt_nl"]}),
        (_("English"), {"fields": ["name_en", "summary_en", "description_en", "what_to_expect_en", "what_to_bring_en", "suits_en", "photo_alt_en"]}),
        (_("Practical"), {"fields": ["level", "duration_minutes", "default_capacity", "drop_in_price_cents", "allow_pay_at_studio", "session_count", "photo"]}),
    ]

    @admin.display(description=_("drop-in price"), ordering="drop_in_price_cents")
    def price(self, obj):
        return euros(obj.drop_in_price_cents)


class UpcomingSessionInline(admin.TabularInline):
    model = Session
    fk_name = "slot"
    verbose_name_plural = _("generated sessions (coming weeks)")
    fields = ["starts_at", "teacher", "room", "places", "status", "is_customised"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(starts_at__gte=timezone.now()).select_related("teacher__user", "room")

    @admin.display(description=_("places taken / total"))
    def places(self, obj):
        return f"{obj.places_taken} / {obj.capacity}"


@admin.register(WeeklySlot)
class WeeklySlotAdmin(admin.ModelAdmin):
    list_display = ["weekday", "start_time", "offering", "teacher", "room", "capacity", "valid_from", "valid_until"]
    list_filter = ["weekday", "offering__style", "teacher", "room"]
    list_select_related = ["offering", "teacher__user", "room"]
    inlines = [UpcomingSessionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        result = services.slot_saved(obj)
        messages.info(request, _("Timetable updated: %(created)d sessions added, %(updated)d changed, %(removed)d removed.") % {
            "created": result.created, "updated": result.updated, "removed": result.removed})


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["starts_on", "ends_on", "reason_nl"]
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        touched = services.closure_apply(obj)
        messages.info(request, _("%(count)d sessions in this period were removed or cancelled.") % {"count": touched})


class WeekFilter(admin.SimpleListFilter):
    title = _("week")
    parameter_name = "week"

    def lookups(self, request, model_admin):
        return [("last", _("Last week")), ("this", _("This week")), ("next", _("Next week")), ("later", _("Later"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday())
        offsets = {"last": -7, "this": 0, "next": 7}
        if self.value() in offsets:
            start = monday + timedelta(days=offsets[self.value()])
            return queryset.filter(starts_at__date__gte=start, starts_at__date__lt=start + timedelta(days=7))
        if self.value() == "later":
            return queryset.filter(starts_at__date__gte=monday + timedelta(days=14))
        return queryset


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "offering", "teacher", "room", "places", "status", "is_customised"]
    list_filter = [WeekFilter, "offering__style", "teacher", "status", "is_customised"]
    list_select_related = ["offering", "teacher__user", "room"]
    search_fields = ["offering__name_nl", "offering__name_en", "note", "cancel_reason"]
    date_hierarchy = "starts_at"
    readonly_fields = ["places_taken", "slot", "is_customised"]
    fields = ["offering", "starts_at", "ends_at", "teacher", "room", "capacity", "places_taken", "note", "status", "cancel_reason", "slot", "is_customised"]

    @admin.display(description=_("places taken / total"))
    def places(self, obj):
        return f"{obj.places_taken} / {obj.capacity}"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.is_cancelled:
            return form

        class ChangeThroughTheService(form):
            """Time, room, teacher, places and note are checked by the rules of the back office's
            change (classes.services.session_change_check), with their messages on the form."""

            def clean(self):
                data = super().clean()
                current = Session.objects.select_related("room").get(pk=self.instance.pk)
                changes = {field: data[field] for field in services.CHANGEABLE_FIELDS if field in data and data[field] is not None}
                try:
                    services.session_change_check(current, **changes)
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for field, errors in error.error_dict.items():
                            self.add_error(field if field in self.fields else None, errors)
                    else:
                        self.add_error(None, error)
                return data

        return ChangeThroughTheService

    def save_model(self, request, obj, form, change):
        original = Session.objects.get(pk=obj.pk) if change else None
        cancelling = obj.status == Session.Status.CANCELLED and (original is None or not original.is_cancelled)
        if cancelling:
            obj.status = original.status if original else Session.Status.SCHEDULED
        if original is not None and not original.is_cancelled:
            # Time, room, teacher, places and note change through the one service that tells everyone
            # booked and on the waitlist (a move in the admin must not go unnoticed).
            changes = {field: getattr(obj, field) for field in services.CHANGEABLE_FIELDS
                       if getattr(obj, field) != getattr(original, field)}
            if changes:
                try:
                    services.session_change(original, actor=request.user, **changes)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    return
                current = Session.objects.get(pk=obj.pk)
                obj.revision, obj.is_customised = current.revision, current.is_customised
        else:
            services.session_mark_changed(obj, original)
        super().save_model(request, obj, form, change)
        if cancelling:
            services.session_cancel(obj, reason=form.cleaned_data["cancel_reason"])
            messages.info(request, _("The session is cancelled; booked clients are told and get their credit or money back."))
