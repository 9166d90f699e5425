"""The personal work's part of a person's data: programmes (with their credit ledger), one-to-one
sessions (with their history) and the teacher's notes and aftercare; and what closing an account
removes. Registered with core.privacy by BookingsConfig.ready()."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core import pagecache, privacy
from core.privacy import Record, Section

from ..models import Appointment, AppointmentEvent, Booking, ProgrammeCreditEntry, ProgrammeEnrolment, SessionNote


def _note_items(note) -> list:
    if note is None:
        return []
    return [privacy.item("teacher_note", _("how the session went"), note.note), privacy.item("aftercare", _("aftercare"), note.aftercare),
            privacy.item("note_written_at", _("note written"), note.written_at)]


def programme_sections(user) -> list[Section]:
    enrolments = (ProgrammeEnrolment.objects.filter(client=user).select_related("offering", "run", "appointment_type")
                  .prefetch_related(Prefetch("credit_entries", queryset=ProgrammeCreditEntry.objects.order_by("created_at", "pk")))
                  .order_by("created_at", "pk"))
    records = []
    for enrolment in enrolments:
        items = [privacy.item("id", _("programme number"), enrolment.pk), privacy.item("programme", _("programme"), enrolment.offering.name),
                 privacy.item("form", _("how"), "group" if enrolment.is_group else "one_to_one",
                       _("in a group") if enrolment.is_group else _("one-to-one"))]
        if enrolment.appointment_type_id:
            items.append(privacy.item("session_type", _("one-to-one session type"), enrolment.appointment_type.name))
        items += privacy.fields(enrolment, ["status", "sessions_total", "price_cents", "created_at", "confirmed_at", "cancelled_at",
                                     "late_cancellation"], money={"price_cents": _("price")})
        items.append(privacy.item("payment_id", _("payment number"), enrolment.payment_id))
        ledger = [Record(privacy.fields(entry, ["created_at", "delta", "kind", "reason"])
                         + [privacy.item("appointment_id", _("session number"), entry.appointment_id)])
                  for entry in enrolment.credit_entries.all()]
        records.append(Record(items, [Section("credits", _("Every session in and out of this programme"), ledger)]))

    dates = (Booking.objects.filter(client=user, enrolment__isnull=False).select_related("session__offering", "session_note")
             .order_by("session__starts_at", "pk"))
    notes = [Record([privacy.item("booking_id", _("booking number"), b.pk), privacy.item("class", _("class"), b.session.offering.name),
                     privacy.item("starts_at", _("starts"), b.session.starts_at)] + _note_items(b.session_note))
             for b in dates if getattr(b, "session_note", None) is not None]
    return [Section("programmes", _("Programmes"), records),
            Section("programme_notes", _("The teacher's notes after group programme sessions"), notes)]


def appointment_section(user) -> Section:
    appointments = (Appointment.objects.filter(client=user).select_related("appointment_type", "teacher__user", "session_note")
                    .prefetch_related(Prefetch("events", queryset=AppointmentEvent.objects.order_by("created_at", "pk")))
                    .order_by("starts_at", "pk"))
    records = []
    for appointment in appointments:
        items = [privacy.item("id", _("session number"), appointment.pk), privacy.item("session_type", _("one-to-one session type"),
                                                                        appointment.appointment_type.name),
                 privacy.item("teacher", _("teacher"), appointment.teacher.name)]
        items += privacy.fields(appointment, ["starts_at", "ends_at", "status", "paid_with", "price_cents", "created_at", "confirmed_at",
                                       "cancelled_at", "cancelled_by_studio", "late_cancellation", "attendance", "touch_ok"],
                         money={"price_cents": _("price")})
        items += [privacy.item("payment_id", _("payment number"), appointment.payment_id),
                  privacy.item("programme_id", _("programme number"), appointment.enrolment_id)]
        items += _note_items(getattr(appointment, "session_note", None))
        history = [Record([privacy.item("what", _("what"), event.action), privacy.item("note", _("note"), event.note), privacy.actor(event, user),
                           privacy.item("when", _("when"), event.created_at)]) for event in appointment.events.all()]
        records.append(Record(items, [Section("history", _("History"), history)]))
    return Section("one_to_one_sessions", _("One-to-one sessions"), records)


def blockers(user, now) -> list[str]:
    if Appointment.objects.filter(client=user, starts_at__gt=now, status__in=["pending_payment", "confirmed"]).exists():
        return [_("You still have a one-to-one session that has not taken place yet. Please cancel it first on its page, so the "
                  "time is free again and anything due comes back to you.")]
    return []


def forget(user) -> None:
    """The teacher's notes about the client go; the touch choices are forgotten. Programmes, their
    credits and the sessions stay, as the payment records they belong to."""
    SessionNote.objects.filter(appointment__client=user).delete()
    SessionNote.objects.filter(booking__client=user).delete()
    Appointment.objects.filter(client=user).exclude(touch_ok=None).update(touch_ok=None)
    pagecache.person_changed(user.pk)


def sections(user) -> list[Section]:
    return [*programme_sections(user), appointment_section(user)]


def register() -> None:
    privacy.register(key="personal", order=40, sections=sections, blockers=blockers, forget=forget)
