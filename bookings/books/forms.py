"""The questions the books ask: which period (and, if wanted, which to compare it with), which year."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import EARLIEST, LATEST, validate_day_in_range

from .periods import Period

LONGEST_DAYS = 3 * 366


def _day(label, *, required=True, help_text=""):
    # ISO in the value: <input type="date"> shows nothing for the localised "01-08-2026".
    return forms.DateField(label=label, required=required, help_text=help_text, validators=[validate_day_in_range],
                           input_formats=["%Y-%m-%d", "%d-%m-%Y"], widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


def _check(first, last) -> None:
    if last < first:
        raise forms.ValidationError(_("The end date is before the start date."))
    if (last - first).days > LONGEST_DAYS:
        raise forms.ValidationError(_("Choose a period of at most three years."))


class PeriodForm(forms.Form):
    first = _day(gettext_lazy("From"))
    last = _day(gettext_lazy("Until"))
    compare_first = _day(gettext_lazy("Compare from"), required=False,
                         help_text=gettext_lazy("Optional: leave both empty to compare with the period just before."))
    compare_last = _day(gettext_lazy("Compare until"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last"):
            _check(data["first"], data["last"])
        compare_first, compare_last = data.get("compare_first"), data.get("compare_last")
        if "compare_first" in self.errors or "compare_last" in self.errors:
            return data
        if bool(compare_first) != bool(compare_last):
            raise forms.ValidationError(_("Give both dates of the period to compare with, or leave both empty."))
        if compare_first and compare_last:
            if compare_last < compare_first:
                raise forms.ValidationError(_("The period to compare with ends before it starts."))
            if (compare_last - compare_first).days > LONGEST_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["first"], self.cleaned_data["last"])

    def compared_with(self) -> Period:
        if self.cleaned_data.get("compare_first"):
            return Period(self.cleaned_data["compare_first"], self.cleaned_data["compare_last"])
        return self.period().previous()


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=EARLIEST.year, max_value=LATEST.year,
                              error_messages={"min_value": gettext_lazy("Please choose a year between 2000 and 2100."),
                                              "max_value": gettext_lazy("Please choose a year between 2000 and 2100."),
                                              "invalid": gettext_lazy("Please choose a year between 2000 and 2100.")})
