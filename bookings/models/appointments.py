"""One-to-one sessions booked into a teacher's free time, and their history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classes.models import AppointmentType, Teacher


class AppointmentQuerySet(models.QuerySet):
    def holding_time(self, now):
        """Appointments that keep the teacher's time: confirmed, or held while the client pays."""
        return self.filter(Q(status=Appointment.Status.CONFIRMED)
                           | Q(status=Appointment.Status.PENDING_PAYMENT, hold_expires_at__gt=now))

    def confirmed(self):
        return self.filter(status=Appointment.Status.CONFIRMED)

    def upcoming(self, now):
        return self.filter(starts_at__gte=now)

    def for_listing(self):
        return self.select_related("appointment_type", "teacher__user", "client", "payment", "enrolment__offering")


class Appointment(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Waiting for payment")
        CONFIRMED = "confirmed", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Not completed")

    class PaidWith(models.TextChoices):
        STRIPE = "stripe", _("Paid online")
        PROGRAMME = "programme", _("Programme")
        STUDIO = "studio", _("Pay at the studio")  # booked by the teacher for her client

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not yet known")
        PRESENT = "present", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("client"))
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="appointments",
                                         verbose_name=_("one-to-one session type"))
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("teacher"))
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    paid_with = models.CharField(_("paid with"), max_length=10, choices=PaidWith.choices)
    payment = models.OneToOneField("bookings.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="appointment")
    enrolment = models.ForeignKey("bookings.ProgrammeEnrolment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="appointments", verbose_name=_("programme"))
    price_cents = models.PositiveIntegerField(_("price (cents)"), default=0)
    hold_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by_studio = models.BooleanField(_("cancelled by the studio"), default=False)
    late_cancellation = models.BooleanField(_("cancelled late"), default=False)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True, default="")
    touch_ok = models.BooleanField(_("touch is welcome"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-to-one session")
        verbose_name_plural = _("one-to-one sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"),
            models.CheckConstraint(condition=~Q(paid_with="programme") | Q(enrolment__isnull=False), name="appointment_programme_has_enrolment"),
            # A second line of defence behind the teacher's row lock: never two held appointments at one start.
            models.UniqueConstraint(fields=["teacher", "starts_at"], condition=Q(status__in=["pending_payment", "confirmed"]),
                                    name="appointment_one_per_teacher_start"),
        ]
        indexes = [models.Index(fields=["teacher", "starts_at"]), models.Index(fields=["client", "status"]),
                   models.Index(fields=["status", "hold_expires_at"])]

    def __str__(self):
        return f"{self.appointment_type.name_nl} {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M} – {self.client}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING_PAYMENT

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AppointmentEvent(models.Model):
    """The history of an appointment: booked, paid, moved, cancelled, attended..."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("what"), max_length=40)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("one-to-one history")
        verbose_name_plural = _("one-to-one history")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
