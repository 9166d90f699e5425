"""The teacher's side of the personal work: everyone's programme progress, the coming one-to-ones, and
per session marking attendance and writing the note and aftercare the client will read."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.roles import teacher_required

from ..errors import BookingError
from ..models import Appointment, Booking, SessionNote
from . import appointments, journeys, notes


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("How the session went"), required=False, max_length=notes.NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=gettext_lazy("A few words for the client: what you worked on, what you noticed. Only this "
                                                  "client and the teachers read it."))
    aftercare = forms.CharField(label=gettext_lazy("Aftercare"), required=False, max_length=notes.NOTE_MAX_LENGTH,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=gettext_lazy("What helps in the coming days: rest, water, a walk, an exercise to repeat."))


@teacher_required
@never_cache
def overview(request):
    return render(request, "bookings/teacher/personal.html", journeys.teacher_overview())


def _note_page(request, *, appointment=None, booking=None, template_context):
    existing = SessionNote.objects.filter(appointment=appointment).first() if appointment else SessionNote.objects.filter(booking=booking).first()
    initial = {"note": existing.note, "aftercare": existing.aftercare} if existing else {}
    form = NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notes.note_save(author=request.user, appointment=appointment, booking=booking, **form.cleaned_data)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The note is saved. The client can read it on their programme page."))
            return redirect(request.path)
    return render(request, "bookings/teacher/session_note.html", {**template_context, "form": form, "existing": existing,
                                                                   "now": timezone.now()})


@teacher_required
@never_cache
def appointment_page(request, pk):
    appointment = get_object_or_404(Appointment.objects.for_listing(), pk=pk)
    return _note_page(request, appointment=appointment, template_context={"appointment": appointment, "client": appointment.client})


@teacher_required
@require_POST
def appointment_attendance(request, pk):
    appointment = get_object_or_404(Appointment, pk=pk)
    try:
        appointments.attendance_set(appointment=appointment, attendance=request.POST.get("attendance", ""), actor=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("bookings:teacher_appointment", pk=pk)


@teacher_required
@require_POST
def appointment_cancel(request, pk):
    """The teacher cancels a one-to-one (ill, an emergency): the client gets everything back and an email."""
    appointment = get_object_or_404(Appointment, pk=pk)
    try:
        appointments.appointment_cancel(appointment=appointment, actor=request.user, by_studio=True)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The session is cancelled. The client gets an email, and the payment or programme session back."))
    return redirect("bookings:teacher_appointment", pk=pk)


@teacher_required
@never_cache
def booking_note(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("client", "session__offering", "session__room", "enrolment"), pk=pk)
    return _note_page(request, booking=booking, template_context={"booking": booking, "client": booking.client})
