"""Emails about one-to-one sessions and programmes: to the client (with a calendar file) and, for every
new, moved or cancelled one-to-one, a short note to the teacher.

Each message is built as paragraphs in the recipient's language and rendered by the shared
templates bookings/email/personal.txt and .html, framed like every other studio email."""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.money import euros

from .. import calendars
from ..emails import MAIL_RETRY, absolute, calendar_part, compose, speaking
from ..models import Appointment, BookingPolicy, ProgrammeEnrolment
from ..payments import invoice_pdf

logger = logging.getLogger(__name__)


def _when(start: datetime, end: datetime | None = None) -> str:
    local = timezone.localtime(start)
    text = f"{formats.date_format(local, 'l j F Y')}, {local:%H:%M}"
    return f"{text}–{timezone.localtime(end):%H:%M}" if end else text


def _place() -> str:
    studio = settings.STUDIO
    return f"{studio['name']}, {studio['street']}, {studio['postcode']} {studio['city']}"


def _appointment_facts(appointment: Appointment) -> dict:
    return {"title": appointment.appointment_type.name, "lines": [
        _("When: %(when)s") % {"when": _when(appointment.starts_at, appointment.ends_at)},
        _("Where: %(place)s") % {"place": _place()},
        _("With %(teacher)s") % {"teacher": appointment.teacher.name},
    ]}


def appointment_mail(appointment_id: int, kind: str, tell_teacher: bool = True, previous: str = "") -> None:
    """kind: 'confirmed', 'moved' or 'cancelled'. Sent only while the appointment still is what the
    message says (a task that runs late never tells an outdated story)."""
    appointment = Appointment.objects.select_related("client", "appointment_type", "teacher__user", "payment").get(pk=appointment_id)
    wanted = Appointment.Status.CANCELLED if kind == "cancelled" else Appointment.Status.CONFIRMED
    if appointment.status != wanted:
        logger.info("Appointment %s is %s; no '%s' email sent.", appointment_id, appointment.status, kind)
        return
    old_start = datetime.fromisoformat(previous) if previous else None
    _client_message(appointment, kind, old_start).send()
    if tell_teacher:
        _teacher_message(appointment, kind, old_start).send()


def reminder_message(appointment: Appointment):
    """A quiet reminder before a one-to-one session. Makes no queries: the job selects the client,
    the kind of session and the teacher with the appointment."""
    with speaking(appointment.client):
        url = absolute(reverse("bookings:appointment", kwargs={"pk": appointment.pk}))
        title = _("See you soon: %(name)s on %(when)s") % {"name": appointment.appointment_type.name, "when": _when(appointment.starts_at)}
        return compose("personal", appointment.client, {
            "title": title, "intro": [_("A gentle reminder of your session:")], "facts": _appointment_facts(appointment),
            "outro": [_("Wear comfortable clothes. If you cannot come after all, please let us know on the session's page.")],
            "button": {"url": url, "label": _("Your session")}})


def _client_message(appointment: Appointment, kind: str, old_start):
    client = appointment.client
    policy = BookingPolicy.current()
    with speaking(client):
        url = absolute(reverse("bookings:appointment", kwargs={"pk": appointment.pk}))
        name, when = appointment.appointment_type.name, _when(appointment.starts_at)
        free_until = _when(appointment.starts_at - timedelta(hours=policy.cancel_window_hours))
        outro = [_("The calendar file attached to this email puts the session in your calendar.")]
        if kind == "confirmed":
            title = _("Your session is booked: %(name)s on %(when)s") % {"name": name, "when": when}
            intro = [_("Thank you for booking. This time is reserved for you:")]
            paid = (_("This session is part of your programme.") if appointment.paid_with == Appointment.PaidWith.PROGRAMME
                    else _("You pay at the studio: %(amount)s.") % {"amount": euros(appointment.price_cents)}
                    if appointment.paid_with == Appointment.PaidWith.STUDIO
                    else _("Paid online: %(amount)s.") % {"amount": euros(appointment.price_cents)})
            outro = [paid, _("Plans can change, and that is all right. Until %(when)s you can move or cancel this session on its "
                             "page, and your payment or programme session comes back.") % {"when": free_until}, *outro]
        elif kind == "moved":
            title = _("Your session has moved: %(name)s, now on %(when)s") % {"name": name, "when": when}
            intro = [_("Your session has moved to a new time:")]
            if old_start:
                outro = [_("The old time (%(when)s) is free again.") % {"when": _when(old_start)}, *outro]
        else:
            title = _("Your session is cancelled: %(name)s on %(when)s") % {"name": name, "when": when}
            intro = [_("The studio had to cancel this session. We are sorry.") if appointment.cancelled_by_studio
                     else _("You cancelled this session.")]
            outro = [_returned(appointment), _("The calendar file attached to this email takes the session out of your calendar.")]
        message = compose("personal", client, {"title": title, "intro": intro, "facts": _appointment_facts(appointment),
                                               "outro": [line for line in outro if line],
                                               "button": {"url": url, "label": _("Your session")}})
    message.attach(calendar_part(calendars.appointment_ics(appointment), f"studio-tree-of-life-session-{appointment.pk}.ics"))
    if kind == "confirmed" and appointment.payment_id:
        invoice_pdf.attach_invoice(message, appointment.payment)
    return message


def _returned(appointment: Appointment) -> str:
    if appointment.paid_with == Appointment.PaidWith.PROGRAMME:
        if appointment.credit_entries.filter(kind="return").exists():
            return _("The session is back in your programme; you can book another time whenever it suits you.")
        return _("Because it was close to the start, the session of your programme is used.")
    refunded = sum(refund.amount_cents for refund in appointment.payment.refunds.exclude(status="failed")) if appointment.payment_id else 0
    if refunded:
        return _("You get %(amount)s back on the account you paid with, usually within a few days.") % {"amount": euros(refunded)}
    return _("Because it was close to the start, nothing is returned.") if appointment.late_cancellation else ""


def _teacher_message(appointment: Appointment, kind: str, old_start):
    teacher_user = appointment.teacher.user
    with speaking(teacher_user):
        client = appointment.client.get_full_name() or appointment.client.email
        name, when = appointment.appointment_type.name, _when(appointment.starts_at)
        titles = {
            "confirmed": _("New one-to-one: %(client)s, %(name)s on %(when)s"),
            "moved": _("Moved one-to-one: %(client)s, %(name)s now on %(when)s"),
            "cancelled": _("Cancelled one-to-one: %(client)s, %(name)s on %(when)s"),
        }
        intro = []
        if kind == "moved" and old_start:
            intro.append(_("It was on %(when)s; that time is free again.") % {"when": _when(old_start)})
        if kind == "cancelled":
            intro.append(_("The time is free again for someone else."))
        url = absolute(reverse("bookings:teacher_appointment", kwargs={"pk": appointment.pk}))
        return compose("personal", teacher_user, {
            "title": titles[kind] % {"client": client, "name": name, "when": when}, "intro": intro,
            "facts": _appointment_facts(appointment), "outro": [],
            "button": {"url": url, "label": _("Open in the teacher's pages")}})


def programme_mail(enrolment_id: int, kind: str) -> None:
    """kind: 'confirmed' (with every date in one calendar file for a group) or 'cancelled'."""
    enrolment = (ProgrammeEnrolment.objects.select_related("client", "offering", "run__teacher__user", "appointment_type", "payment")
                 .get(pk=enrolment_id))
    wanted = ProgrammeEnrolment.Status.CANCELLED if kind == "cancelled" else ProgrammeEnrolment.Status.ACTIVE
    if enrolment.status != wanted:
        logger.info("Programme %s is %s; no '%s' email sent.", enrolment_id, enrolment.status, kind)
        return
    client = enrolment.client
    bookings = list(enrolment.bookings.select_related("client", "session__offering", "session__teacher__user", "session__room",
                                                      "session__closure").order_by("session__starts_at"))
    with speaking(client):
        url = absolute(reverse("bookings:journey", kwargs={"pk": enrolment.pk}))
        lines = [_when(b.session.starts_at, b.session.ends_at) for b in bookings]
        if kind == "cancelled":
            refunded = sum(r.amount_cents for r in enrolment.payment.refunds.exclude(status="failed")) if enrolment.payment_id else 0
            title = _("Your programme is cancelled: %(name)s") % {"name": enrolment.offering.name}
            intro = [_("You cancelled your programme. Its dates are free again for someone else.")]
            outro = [_("You get %(amount)s back on the account you paid with, usually within a few days.") % {"amount": euros(refunded)}
                     if refunded else _("Because it was close to the start, nothing is returned.")]
        elif enrolment.is_group:
            title = _("Your place in the programme is booked: %(name)s") % {"name": enrolment.offering.name}
            intro = [_("Thank you. You have a place on every date of this programme:")]
            outro = [_("The calendar file attached to this email puts every date in your calendar."),
                     _("On your programme page you follow your journey, with the teacher's notes after each session.")]
        else:
            title = _("Your programme is ready: %(name)s") % {"name": enrolment.offering.name}
            intro = [_("Thank you. Your programme has %(count)d one-to-one sessions, which you book one by one at times that "
                       "suit you.") % {"count": enrolment.sessions_total}]
            lines = [enrolment.appointment_type.name]
            outro = [_("Before your first session we ask you to fill in the intake form, if you have not done so yet."),
                     _("On your programme page you book your sessions and follow your journey.")]
        message = compose("personal", client, {"title": title, "intro": intro, "outro": outro,
                                               "facts": {"title": enrolment.offering.name, "lines": lines},
                                               "button": {"url": url, "label": _("Your programme")}})
    if enrolment.is_group and bookings and kind == "confirmed":
        message.attach(calendar_part(calendars.bookings_ics(bookings, client.language), f"studio-tree-of-life-programme-{enrolment.pk}.ics"))
    if kind == "confirmed" and enrolment.payment_id:
        invoice_pdf.attach_invoice(message, enrolment.payment)
    message.send()


@shared_task(name="bookings.tasks.send_appointment_mail", **MAIL_RETRY)
def send_appointment_mail(appointment_id, kind, tell_teacher=True, previous=""):
    appointment_mail(appointment_id, kind, tell_teacher, previous)


@shared_task(name="bookings.tasks.send_programme_mail", **MAIL_RETRY)
def send_programme_mail(enrolment_id, kind):
    programme_mail(enrolment_id, kind)
