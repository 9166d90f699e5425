"""The intake form and the per-booking touch preference: the rules, for views, tasks and the shell.

Health data: the answers are encrypted at rest (bookings/crypto.py). Only the client, her own
teachers and the admin read them; each time a teacher opens an intake, `intake_for_teacher` logs it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from core.roles import is_admin, is_teacher

from ..errors import BookingError, IntakeMissing
from ..history import record
from ..models import Appointment, AppointmentEvent, Booking, BookingEvent, Intake, IntakeAccess

ANSWER_FIELDS = Intake.ANSWER_FIELDS


class IntakeError(Exception):
    """The intake could not be saved or changed; the message is shown to the client as is."""


def intake_of(*, client) -> Intake | None:
    """The client's own intake (for the client; not logged)."""
    return Intake.objects.filter(client=client).first()


def intake_answers(intake: Intake) -> list[tuple[str, str]]:
    """The answers as (question, answer) pairs in the form's order, for reading on a page."""
    answers = []
    for name in ANSWER_FIELDS:
        field = Intake._meta.get_field(name)
        value = intake.get_pregnancy_display() if name == "pregnancy" and intake.pregnancy else getattr(intake, name)
        answers.append((capfirst(field.verbose_name), value))
    return answers


def intake_on_file(*, client) -> bool:
    """Has the client filled in an intake and consented to it being kept? (For booking rules that ask
    for an intake before a first TRE® or one-to-one session.)"""
    return Intake.objects.filter(client=client, consent_given_at__isnull=False).exists()


def require_intake_on_file(*, client, message: str) -> None:
    """Refuse with `IntakeMissing` (views answer by sending her to the intake form and back) while the
    client has no intake on file; `message` says why this step asks for it."""
    if not intake_on_file(client=client):
        raise IntakeMissing(message)


@sensitive_variables()  # the answers stay out of error reports
def intake_save(*, client, answers: dict, consent: bool, now=None) -> Intake:
    """Create or update the client's intake. Nothing is saved without her explicit consent: given once
    (`consent=True`, recorded with its moment), it is remembered, and later saves keep that moment,
    until she withdraws it."""
    now = now or timezone.now()
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise IntakeError(_("The form contained an unexpected field; nothing has been saved."))
    pregnancy = answers.get("pregnancy", "")
    if pregnancy not in Intake.Pregnancy.values:
        raise IntakeError(_("Please choose one of the answers about pregnancy; nothing has been saved."))
    with transaction.atomic():
        intake = Intake.objects.select_for_update().filter(client=client).first()
        if consent is not True and (intake is None or not intake.has_consent):
            raise IntakeError(_("We can only keep your answers with your consent. Please tick the consent box if you "
                                "agree; nothing has been saved."))
        if intake is None:
            intake = Intake(client=client)
        for name in ANSWER_FIELDS:
            value = answers.get(name, "")
            setattr(intake, name, (value or "").strip())
        if not intake.has_consent:
            intake.consent_given_at = now
        intake.consent_withdrawn_at = None
        intake.full_clean(exclude=["client"])
        intake.save()
    return intake


def intake_withdraw_consent(*, client, now=None) -> Intake | None:
    """The client withdraws consent: every answer is erased and the consent cleared. The (empty) row
    remains with the moment of withdrawal, so the client and teacher see that it was withdrawn."""
    now = now or timezone.now()
    with transaction.atomic():
        intake = Intake.objects.select_for_update().filter(client=client).first()
        if intake is None:
            return None
        for name in ANSWER_FIELDS:
            setattr(intake, name, "")
        intake.consent_given_at = None
        intake.consent_withdrawn_at = now
        intake.save()
    return intake


def intake_delete(*, client) -> bool:
    """Delete the client's intake entirely. The access log (who opened it, when; no answers) stays
    so the client can still see who read it. Returns whether there was one."""
    deleted, _counts = Intake.objects.filter(client=client).delete()
    return bool(deleted)


HOLDING = ["confirmed", "pending_payment"]
BOOKED = ["booked", "booked_by_staff"]


def teaches_client(teacher_user, client) -> bool:
    """Is she the teacher of one of the client's classes, programme dates or one-to-ones (booked,
    coming or past)? A place the teacher booked for the client herself counts only once the client
    came: booking someone into her own class is not a way into a stranger's health data. Two
    indexed EXISTS queries."""
    booked_by_her = BookingEvent.objects.filter(booking=OuterRef("pk"), action__in=BOOKED, actor=teacher_user)
    appointed_by_her = AppointmentEvent.objects.filter(appointment=OuterRef("pk"), action__in=BOOKED, actor=teacher_user)
    came = Q(attendance="present")
    return (Booking.objects.filter(client=client, status__in=HOLDING, session__teacher__user=teacher_user)
            .filter(came | ~Exists(booked_by_her)).exists()
            or Appointment.objects.filter(client=client, status__in=HOLDING, teacher__user=teacher_user)
            .filter(came | ~Exists(appointed_by_her)).exists())


def may_read_intake(user, client) -> bool:
    """Health data: the admin, and the teachers of the client's own classes and sessions; no other teacher."""
    return is_admin(user) or (is_teacher(user) and teaches_client(user, client))


def intake_for_teacher(*, client, teacher_user, now=None) -> Intake | None:
    """The admin or one of the client's own teachers opens her intake. Refused for anyone else (other
    teachers included); every opening of an existing intake is logged with who and when, in the same
    transaction as the read."""
    if not may_read_intake(teacher_user, client):
        raise PermissionDenied("only the admin and the client's own teachers read her intake")
    now = now or timezone.now()
    with transaction.atomic():
        intake = Intake.objects.filter(client=client).first()
        if intake is not None:
            IntakeAccess.objects.create(client=client, viewer=teacher_user, viewed_at=now,
                                        viewer_name=teacher_user.get_full_name() or teacher_user.email)
    return intake


def intake_access_log(*, client, limit=200) -> list[IntakeAccess]:
    """Who opened the client's intake and when, newest first (for the client and the export)."""
    return list(IntakeAccess.objects.filter(client=client).order_by("-viewed_at", "-pk")[:limit])


def intake_reencrypt_all() -> int:
    """After putting a new key first in INTAKE_ENCRYPTION_KEY: encrypt every intake again with it.
    Then the old key can be removed. Returns the number of intakes rewritten."""
    count = 0
    for pk in Intake.objects.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            intake = Intake.objects.select_for_update().get(pk=pk)
            intake.save(update_fields=list(ANSWER_FIELDS))  # decrypted on read, encrypted with the first key on write
        count += 1
    return count


# Touch / no touch today -----------------------------------------------------------------------------

TOUCH_CHOICES = {"yes": True, "no": False, "": None}


def booking_set_touch(*, booking: Booking, client, touch_ok: bool | None, now=None) -> Booking:
    """The client says whether hands-on support is welcome in this class (True), not today (False), or
    leaves it open (None). Only for their own confirmed booking of a class that has not started; only
    the teacher sees it, on the roster."""
    now = now or timezone.now()
    if touch_ok not in (True, False, None):
        raise BookingError(_("Please choose one of the options."))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
        if booking.client_id != client.pk:
            raise BookingError(_("This booking is not yours."))
        if booking.status != Booking.Status.CONFIRMED:
            raise BookingError(_("You can only set this for a confirmed booking."))
        if booking.session.is_cancelled:
            raise BookingError(_("This class has been cancelled."))
        if booking.session.starts_at <= now:
            raise BookingError(_("This class has already started. You can always tell the teacher in person."))
        if booking.touch_ok is not touch_ok:
            booking.touch_ok = touch_ok
            booking.save(update_fields=["touch_ok"])
            # The history says that it changed, not what was chosen: the choice itself is for the teacher only.
            record(booking, "touch_preference_set", actor=client, now=now)
    return booking
