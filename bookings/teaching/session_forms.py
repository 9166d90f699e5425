"""The form for changing one date: day, start, duration, room, teacher, places and the note for
clients, in Breda wall-clock time. The rules themselves are classes.services.session_change's; this
form only reads the input and puts the service's refusals next to the right field."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classes.models import STUDIO_TZ, Room, Session, Teacher
from classes.services import session_times

from .timetable_forms import DATE, teachers_for

# The service names the session's fields; the form asks for them in the teacher's words.
FIELD_FOR = {"starts_at": "start_time", "ends_at": "duration_minutes", "room": "room", "teacher": "teacher",
             "capacity": "capacity", "note": "note"}


class SessionChangeForm(forms.Form):
    day = forms.DateField(label=_("Date"), **DATE)
    start_time = forms.TimeField(label=_("Start time"), help_text=_("Breda time."),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=12 * 60)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), empty_label=None)
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Teacher.objects.none(), empty_label=None)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    note = forms.CharField(label=_("Note for clients"), max_length=300, required=False,
                           help_text=_("Shown with the class, e.g. “Bring a blanket”. Changing only this sends no email."),
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, session: Session, user, **kwargs):
        local_start = timezone.localtime(session.starts_at, STUDIO_TZ)
        kwargs.setdefault("initial", {
            "day": local_start.date(), "start_time": local_start.time(), "duration_minutes": session.duration_minutes,
            "room": session.room_id, "teacher": session.teacher_id, "capacity": session.capacity, "note": session.note,
        })
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["room"].queryset = Room.objects.order_by("name")
        # The admin may give the class to another teacher; a teacher keeps her own class.
        self.fields["teacher"].queryset = teachers_for(user, current=session.teacher).order_by("user__first_name", "user__last_name")

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("duration_minutes"):
            data["starts_at"], data["ends_at"] = session_times(data["day"], data["start_time"], data["duration_minutes"])
        return data

    def changes(self) -> dict:
        """The new values, as session_change takes them."""
        data = self.cleaned_data
        return {"starts_at": data["starts_at"], "ends_at": data["ends_at"], "room": data["room"], "teacher": data["teacher"],
                "capacity": data["capacity"], "note": data["note"]}

    def add_refusal(self, error: ValidationError) -> None:
        """Put each of the service's reasons next to the field it is about."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for field, messages in error.message_dict.items():
            target = FIELD_FOR.get(field) if field != NON_FIELD_ERRORS else None
            for message in messages:
                self.add_error(target, message)
