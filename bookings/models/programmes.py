"""A client's place in a programme: in a group (a place on every date of a run) or one-to-one (credits,
one per session, in a ledger like class cards), and the teacher's notes per finished session."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.crypto import EncryptedTextField
from classes.models import AppointmentType, Offering, ProgrammeRun

ENROLMENT_HOLDING = ("pending_payment", "active")


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ProgrammeEnrolment.Status.ACTIVE)

    def with_balance(self):
        return self.annotate(balance_value=Coalesce(Sum("credit_entries__delta"), 0))


class ProgrammeEnrolment(models.Model):
    """One purchase of a programme. In a group (`run`): its bookings hold a place on each date. One-to-one
    (`appointment_type`): its credits are spent on appointments of exactly that type."""

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Waiting for payment")
        ACTIVE = "active", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Not completed")

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_enrolments",
                               verbose_name=_("client"))
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme"))
    run = models.ForeignKey(ProgrammeRun, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments",
                            verbose_name=_("group"))
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments",
                                         verbose_name=_("one-to-one session type"))
    payment = models.OneToOneField("bookings.Payment", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="programme_enrolment")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    sessions_total = models.PositiveSmallIntegerField(_("number of sessions"))
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    hold_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    late_cancellation = models.BooleanField(_("cancelled late"), default=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme booking")
        verbose_name_plural = _("programme bookings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(run__isnull=True, appointment_type__isnull=False) | Q(run__isnull=False, appointment_type__isnull=True), name="enrolment_group_or_one_to_one"),
            models.UniqueConstraint(fields=["client", "run"], condition=Q(status__in=ENROLMENT_HOLDING, run__isnull=False),
                                    name="enrolment_one_place_per_run"),
        ]
        indexes = [models.Index(fields=["client", "status"]), models.Index(fields=["status", "hold_expires_at"])]

    def __str__(self):
        return f"{self.offering.name_nl} – {self.client}"

    @property
    def is_group(self) -> bool:
        return self.run_id is not None

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def balance(self) -> int:
        """Credits left to schedule (one-to-one only): the sum of the ledger."""
        if hasattr(self, "balance_value"):
            return self.balance_value
        return self.credit_entries.aggregate(total=Coalesce(Sum("delta"), 0))["total"]


class ProgrammeCreditEntry(models.Model):
    """One programme credit in (+) or out (−). Never edited; corrections are new rows."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Bought")
        USE = "use", _("Used for a session")
        RETURN = "return", _("Returned after cancelling")
        CORRECTION = "correction", _("Correction by the studio")

    enrolment = models.ForeignKey(ProgrammeEnrolment, on_delete=models.PROTECT, related_name="credit_entries",
                                  verbose_name=_("programme"))
    delta = models.SmallIntegerField(_("sessions"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    appointment = models.ForeignKey("bookings.Appointment", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="credit_entries")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("programme credit")
        verbose_name_plural = _("programme credits")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="programme_credit_not_zero"),
            # An appointment takes a credit once and gives it back at most once.
            models.UniqueConstraint(fields=["appointment", "kind"], condition=Q(appointment__isnull=False),
                                    name="programme_credit_once_per_appointment_kind"),
            models.UniqueConstraint(fields=["enrolment"], condition=Q(kind="purchase"), name="programme_credit_one_purchase"),
            models.CheckConstraint(condition=~Q(kind="correction") | ~Q(reason=""), name="programme_credit_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.delta:+d} {self.get_kind_display()}"


class SessionNote(models.Model):
    """The teacher's short note and aftercare for one client after one session (an appointment, or a
    date of a group programme). Only that client and the teachers read it; stored encrypted."""

    appointment = models.OneToOneField("bookings.Appointment", on_delete=models.CASCADE, null=True, blank=True,
                                       related_name="session_note")
    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, null=True, blank=True, related_name="session_note")
    note = EncryptedTextField(_("how the session went"), blank=True, default="",
                              help_text=_("A few words for the client: what you worked on, what you noticed."))
    aftercare = EncryptedTextField(_("aftercare"), blank=True, default="",
                                   help_text=_("What helps in the coming days: rest, water, a walk, an exercise to repeat."))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("written by"))
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")
        constraints = [
            models.CheckConstraint(condition=Q(appointment__isnull=True, booking__isnull=False) | Q(appointment__isnull=False, booking__isnull=True), name="session_note_one_subject"),
        ]

    def __str__(self):
        # Never the text itself: this ends up in logs and admin lists.
        return f"note #{self.pk}"
