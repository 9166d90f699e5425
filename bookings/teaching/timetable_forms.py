"""Forms of the teacher's timetable: offerings, weekly classes, one-off sessions, closures."""

from datetime import date

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classes.forms import PhotoCheckedForm
from classes.models import Closure, Offering, Room, Session, Teacher, WeeklySlot
from core.dates import validate_day_in_range
from core.money_fields import EurosField
from core.roles import is_admin
from core.vat import vat_rate_choice

from ..models import BookingPolicy

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "validators": [validate_day_in_range]}
TIME = {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


def _label(model, name):
    """A form field's label from the model field's own name (already translated), as a ModelForm makes it."""
    return capfirst(model._meta.get_field(name).verbose_name)


class OfferingForm(PhotoCheckedForm):
    drop_in_price = EurosField(label=gettext_lazy("Drop-in price (euros)"),
                               help_text=gettext_lazy("For example 17,50. For a programme: the price of the whole programme."))
    field_order = ["name_nl", "name_en", "summary_nl", "summary_en", "kind", "style", "level", "description_nl", "description_en",
                   "what_to_expect_nl", "what_to_expect_en", "what_to_bring_nl", "what_to_bring_en", "suits_nl", "suits_en",
                   "duration_minutes", "default_capacity", "drop_in_price", "vat_rate_percent",
                   "allow_pay_at_studio"]

    class Meta:
        model = Offering
        fields = [
            "name_nl", "name_en", "summary_nl", "summary_en", "kind", "style", "level", "description_nl", "description_en",
            "what_to_expect_nl", "what_to_expect_en", "what_to_bring_nl", "what_to_bring_en", "suits_nl", "suits_en",
            "duration_minutes", "default_capacity", "session_count", "allow_pay_at_studio",
            "vat_rate_percent", "photo", "photo_alt_nl", "photo_alt_en", "is_shown", "position",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 6})
                   for name in ("description_nl", "description_en", "what_to_expect_nl", "what_to_expect_en")}
        widgets.update({name: forms.Textarea(attrs={"rows": 4})
                        for name in ("what_to_bring_nl", "what_to_bring_en", "suits_nl", "suits_en")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drop_in_price"].initial = self.instance.drop_in_price_cents
        if not self.instance.pk:  # a new offering starts with the studio's default VAT rate
            self.initial["vat_rate_percent"] = vat_rate_choice(BookingPolicy.current().vat_rate_percent)
        self.fields["vat_rate_percent"].required = False  # left out: the product keeps its rate (a new one: the default)
        for name, least, message in (("duration_minutes", 5, gettext_lazy("A class lasts at least 5 minutes.")),
                                     ("default_capacity", 1, gettext_lazy("A class needs at least 1 place.")),
                                     ("session_count", 1, gettext_lazy("A programme has at least 1 session."))):
            self.fields[name].validators.append(MinValueValidator(least, message=message))
            self.fields[name].widget.attrs["min"] = least
        self.fields["what_to_expect_nl"].help_text = gettext_lazy(
            "What happens in a class or session, and that people may rest or leave at any time. Markdown.")
        self.fields["what_to_expect_en"].help_text = gettext_lazy("Markdown.")
        for name in ("what_to_bring_nl", "what_to_bring_en"):
            self.fields[name].help_text = gettext_lazy(
                "What to wear and bring, and what the studio has ready. Markdown. Leave empty to leave this part out.")
        for name in ("suits_nl", "suits_en"):
            self.fields[name].help_text = gettext_lazy(
                "Who it is for, and whether some experience helps. Markdown. Leave empty to leave this part out.")

    def _post_clean(self):
        if self.cleaned_data.get("drop_in_price") is not None:
            self.instance.drop_in_price_cents = self.cleaned_data["drop_in_price"]
        super()._post_clean()


def teachers_for(user, *, current=None):
    """Whom a class may be given to: the admin chooses any teacher who teaches now (or the one it
    has), a teacher only herself."""
    teachers = Teacher.objects.select_related("user")
    if is_admin(user):
        return teachers.filter(Q(is_active=True) | Q(pk=getattr(current, "pk", None)))
    return teachers.filter(user=user)


def _default_from_offering(form, data, field, attribute):
    """An empty duration or number of places takes the offering's own."""
    if data.get(field) is None and data.get("offering") is not None:
        data[field] = getattr(data["offering"], attribute)


class WeeklySlotForm(forms.ModelForm):
    """The model's own clean() (WeeklySlot.clean) refuses an end before the start, more places than the
    room has and an overlap in the same room, each next to its field: the form only shows them."""

    valid_from = forms.DateField(label=_label(WeeklySlot, "valid_from"), **DATE)
    valid_until = forms.DateField(label=_label(WeeklySlot, "valid_until"), required=False,
                                  help_text=WeeklySlot._meta.get_field("valid_until").help_text, **DATE)

    class Meta:
        model = WeeklySlot
        fields = ["offering", "weekday", "start_time", "duration_minutes", "capacity", "room", "teacher", "valid_from", "valid_until"]
        widgets = {"start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.filter(Q(kind=Offering.Kind.GROUP) | Q(pk=self.instance.offering_id))
        self.fields["teacher"].queryset = teachers_for(user, current=self.instance.teacher if self.instance.teacher_id else None)
        if not is_admin(user):
            self.fields["teacher"].empty_label = None
        for name in ("duration_minutes", "capacity"):
            self.fields[name].required = False
            self.fields[name].help_text = gettext_lazy("Leave empty to take the offering's own.")
        if not self.instance.pk and not self.initial.get("valid_from"):
            self.initial["valid_from"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        _default_from_offering(self, data, "duration_minutes", "duration_minutes")
        _default_from_offering(self, data, "capacity", "default_capacity")
        return data


class SlotStopForm(forms.Form):
    last_day = forms.DateField(label=gettext_lazy("Last day of this weekly class"), **DATE)


class OneOffSessionForm(forms.Form):
    offering = forms.ModelChoiceField(label=_label(Session, "offering"), queryset=Offering.objects.filter(kind=Offering.Kind.GROUP))
    teacher = forms.ModelChoiceField(label=_label(Session, "teacher"), queryset=Teacher.objects.none())
    room = forms.ModelChoiceField(label=_label(Session, "room"), queryset=Room.objects.all())
    day = forms.DateField(label=gettext_lazy("Date"), **DATE)
    start_time = forms.TimeField(label=_label(WeeklySlot, "start_time"), **TIME)
    duration_minutes = forms.IntegerField(label=_label(WeeklySlot, "duration_minutes"), min_value=5, max_value=24 * 60, required=False,
                                          help_text=gettext_lazy("Leave empty to take the offering's own."))
    capacity = forms.IntegerField(label=_label(Session, "capacity"), min_value=1, max_value=1000, required=False,
                                  help_text=gettext_lazy("Leave empty to take the offering's own."))
    note = forms.CharField(label=_label(Session, "note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers_for(user)
        if not is_admin(user):
            self.fields["teacher"].empty_label = None

    def clean(self):
        data = super().clean()
        _default_from_offering(self, data, "duration_minutes", "duration_minutes")
        _default_from_offering(self, data, "capacity", "default_capacity")
        return data


class ClosureForm(forms.ModelForm):
    starts_on = forms.DateField(label=_label(Closure, "starts_on"), **DATE)
    ends_on = forms.DateField(label=_label(Closure, "ends_on"), **DATE)

    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "reason_nl", "reason_en"]
        help_texts = {"reason_nl": gettext_lazy("Clients read this, on the timetable and in the email about a cancelled class.")}

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if isinstance(starts_on, date) and isinstance(ends_on, date) and starts_on <= ends_on < timezone.localdate():
            self.add_error("ends_on", _("This period is already over; a closure is for days to come."))
        return data
