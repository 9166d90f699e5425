from django import forms
from django.utils.translation import gettext_lazy as _


class PauseForm(forms.Form):
    pause_from = forms.DateField(label=_("First day of the pause"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    pause_until = forms.DateField(label=_("The day you come back"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text=_("From this day you can book with your membership again."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Please choose the first day of the pause and the day you come back.")
            field.error_messages["invalid"] = _("Give a date as day, month and year.")
