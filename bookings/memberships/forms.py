from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import validate_day_in_range

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "validators": [validate_day_in_range]}


class PauseForm(forms.Form):
    pause_from = forms.DateField(label=_("First day of the pause"), **DATE)
    pause_until = forms.DateField(label=_("The day you come back"), help_text=_("From this day you can book with your membership again."),
                                  **DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Please choose the first day of the pause and the day you come back.")
            field.error_messages["invalid"] = _("Give a date as day, month and year.")
