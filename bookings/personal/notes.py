"""The teacher's note and aftercare for one client after one session: an appointment, or a date of a
group programme. Only that client and the teachers read them (see bookings/journeys.py)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import is_teacher

from ..errors import BookingError
from ..models import Appointment, Booking, SessionNote

NOTE_MAX_LENGTH = 3000
EARLIEST = timedelta(minutes=30)  # a note can be started just before the session begins


def note_save(*, author, note: str, aftercare: str, appointment: Appointment | None = None, booking: Booking | None = None,
              now=None) -> SessionNote:
    """Write or change the note of a session that has begun. Both texts may be empty."""
    now = now or timezone.now()
    if not is_teacher(author):
        raise BookingError(_("Only teachers write session notes."))
    if (appointment is None) == (booking is None):
        raise BookingError(_("A note belongs to one session."))
    note, aftercare = (note or "").strip(), (aftercare or "").strip()
    if len(note) > NOTE_MAX_LENGTH or len(aftercare) > NOTE_MAX_LENGTH:
        raise BookingError(_("Please keep the note and the aftercare under %(count)d characters each.") % {"count": NOTE_MAX_LENGTH})
    with transaction.atomic():
        if appointment is not None:
            subject = Appointment.objects.select_for_update().get(pk=appointment.pk)
            starts_at, confirmed = subject.starts_at, subject.is_confirmed
            existing = SessionNote.objects.filter(appointment=subject).first()
        else:
            subject = Booking.objects.select_for_update(of=("self",)).select_related("session").get(pk=booking.pk)
            starts_at, confirmed = subject.session.starts_at, subject.is_confirmed
            existing = SessionNote.objects.filter(booking=subject).first()
        if not confirmed:
            raise BookingError(_("Notes are for sessions that were booked."))
        if starts_at - EARLIEST > now:
            raise BookingError(_("This session has not started yet."))
        if existing is None:
            existing = SessionNote(appointment=subject if appointment is not None else None,
                                   booking=subject if booking is not None else None, written_at=now)
        existing.note, existing.aftercare, existing.written_by = note, aftercare, author
        existing.save()
    return existing
