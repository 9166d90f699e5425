"""The forms of the hours pages. They only read what was typed; the rules (an end before its start,
overlapping hours, sensible settings) are checked by the services in classes.hours, whose messages
the views put next to the same-named fields."""


from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from classes.hours import DURATION_BOUNDS, SETTING_BOUNDS
from classes.models import DateException, Offering, WeeklySlot
from core.dates import within_range
from core.money_fields import EurosField
from core.vat import VAT_RATES, vat_rate_choice

from ..models import BookingPolicy


def _time_field(label, *, required=True, help_text=""):
    return forms.TimeField(label=label, required=required, help_text=help_text,
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


def _day_field(label, *, required=True, help_text=""):
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class WorkingHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=WeeklySlot.Weekday.choices, coerce=int)
    start_time = _time_field(_("From"), help_text=_("Wall-clock time in Breda."))
    end_time = _time_field(_("Until"))


class DateExceptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is different"), choices=DateException.Kind.choices, initial=DateException.Kind.OFF,
                             widget=forms.RadioSelect)
    first_day = _day_field(_("First day"))
    last_day = _day_field(_("Last day"), required=False, help_text=_("Leave empty for a single day."))
    start_time = _time_field(_("From"), required=False, help_text=_("Only for extra or other hours."))
    end_time = _time_field(_("Until"), required=False)
    note = forms.CharField(label=_("Note (only for the studio)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        for field in ("first_day", "last_day"):
            if data.get(field) and not within_range(data[field]):
                self.add_error(field, _("Please choose a date between 2000 and 2100."))
        return data


def _bounded(label, field, help_text=""):
    lowest, highest = SETTING_BOUNDS[field]
    return forms.IntegerField(label=label, min_value=lowest, max_value=highest, help_text=help_text)


class AvailabilitySettingsForm(forms.Form):
    buffer_minutes = _bounded(_("Rest between appointments (minutes)"), "buffer_minutes",
                              _("Also kept free before and after your group classes."))
    minimum_notice_hours = _bounded(_("Book at least (hours ahead)"), "minimum_notice_hours",
                                    _("Clients cannot book a moment sooner than this."))
    horizon_days = _bounded(_("Book at most (days ahead)"), "horizon_days")
    step_minutes = _bounded(_("Start times every (minutes)"), "step_minutes",
                            _("15 offers 10:00, 10:15, 10:30 …; 60 offers only whole hours."))


class AppointmentTypeForm(forms.Form):
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    description_nl = forms.CharField(label=_("Description (Dutch)"), widget=forms.Textarea(attrs={"rows": 5}),
                                     help_text=_("What the client can expect. Markdown."))
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=DURATION_BOUNDS[0], max_value=DURATION_BOUNDS[1])
    price_cents = EurosField(label=_("Price of one session (euros)"))
    offering = forms.ModelChoiceField(label=_("Belongs to the offering"), queryset=Offering.objects.none(), required=False,
                                      empty_label=_("— none —"),
                                      help_text=_("Optional. For a programme, its one-to-one sessions are of this kind."))
    programme_price_cents = EurosField(label=_("Price of the whole programme, one-to-one (euros)"), required=False,
                                       help_text=_("Only with a programme as the offering. Leave empty if it is not offered one-to-one."))
    vat_rate_percent = forms.TypedChoiceField(label=_("VAT rate"), choices=VAT_RATES, coerce=Decimal, required=False, empty_value=None,
                                              help_text=_("Some therapeutic one-to-one work is exempt from VAT; ask your bookkeeper."))
    is_bookable_alone = forms.BooleanField(label=_("Can be booked as a single session"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("Offered now"), required=False, initial=True)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0,
                                  help_text=_("Lower numbers come first on the one-to-one page."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.order_by("kind", "position", "name_nl")
        self.initial.setdefault("vat_rate_percent", vat_rate_choice(BookingPolicy.current().vat_rate_percent))
