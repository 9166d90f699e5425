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

from core.roles import SCOPE_MINE, change_teaching_required, is_admin, teacher_required, teaching_scope

from .. import attendance as attendance_window
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
    """Her programmes and one-to-ones, or (the switch) the whole studio's; only her own, or the
    admin, open a session's page."""
    scope = teaching_scope(request)
    context = journeys.teacher_overview(teacher=request.user.teacher_profile if scope == SCOPE_MINE else None)
    sees_all = is_admin(request.user)
    for appointment in [*context["coming"], *context["to_mark"]]:
        appointment.is_hers = sees_all or appointment.teacher.user_id == request.user.pk
    for journey in [*context["journeys"], *context["completed"]]:
        journey.is_hers = sees_all or journeys.teacher_of(journey.enrolment).user_id == request.user.pk
    return render(request, "bookings/teacher/personal.html", {**context, "scope": scope})


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
    change_teaching_required(request.user, appointment.teacher)
    return _note_page(request, appointment=appointment, template_context={
        "appointment": appointment, "client": appointment.client, "attendance_window": attendance_window.window(appointment.starts_at)})


def _on_her_appointment(request, pk, action, done: str):
    """A POST on one of her one-to-ones (the admin: anyone's): run the service, say how it went,
    back to the session's page."""
    appointment = get_object_or_404(Appointment.objects.select_related("teacher"), pk=pk)
    change_teaching_required(request.user, appointment.teacher)
    try:
        action(appointment)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("bookings:teacher_appointment", pk=pk)


@teacher_required
@require_POST
def appointment_attendance(request, pk):
    return _on_her_appointment(request, pk, lambda appointment: appointments.attendance_set(
        appointment=appointment, attendance=request.POST.get("attendance", ""), actor=request.user), _("Saved."))


@teacher_required
@require_POST
def appointment_paid(request, pk):
    """Paid at the studio, in cash or by PIN."""
    return _on_her_appointment(request, pk, lambda appointment: appointments.mark_paid_at_studio(
        appointment=appointment, method=request.POST.get("method", ""), actor=request.user),
        _("Saved as paid; the receipt is in her bookings."))


@teacher_required
@require_POST
def appointment_cancel(request, pk):
    """The teacher cancels a one-to-one (ill, an emergency): the client gets everything back and an email."""
    return _on_her_appointment(request, pk, lambda appointment: appointments.appointment_cancel(
        appointment=appointment, actor=request.user, by_studio=True),
        _("The session is cancelled. The client gets an email, and the payment or programme session back."))


@teacher_required
@never_cache
def booking_note(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("client", "session__offering", "session__room", "session__teacher",
                                                               "enrolment"), pk=pk)
    change_teaching_required(request.user, booking.session.teacher)
    return _note_page(request, booking=booking, template_context={"booking": booking, "client": booking.client})
