"""The intake form: what a client chooses to tell the teacher before working together, and the log of
who opened it. Special-category health data: every answer is encrypted at rest (bookings.crypto),
only the client and the studio's teachers read it, and each time a teacher opens it is logged."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.crypto import EncryptedTextField


class Intake(models.Model):
    """One per client. Every answer is optional; only the consent is required, and it is recorded
    with its moment. Withdrawing consent erases the answers; deleting removes the row."""

    class Pregnancy(models.TextChoices):
        NOT_ANSWERED = "", _("Not answered")
        NO = "no", _("No")
        YES = "yes", _("Yes, I am pregnant")
        MAYBE = "maybe", _("Possibly, or trying to become pregnant")
        RECENTLY = "recently", _("I gave birth in the past year")
        PREFER_NOT = "prefer_not", _("I prefer not to say")

    client = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake", verbose_name=_("client"))
    emergency_contact_name = EncryptedTextField(
        _("who can we call in an emergency?"), blank=True, default="",
        help_text=_("Only used if something happens to you during a session. Please check with this person that they "
                    "are happy for us to have their details."))
    emergency_contact_phone = EncryptedTextField(
        _("their phone number"), blank=True, default="",
        help_text=_("So we can reach them quickly if it is ever needed."))
    health_conditions = EncryptedTextField(
        _("health conditions the teacher should know about"), blank=True, default="",
        help_text=_("For example heart or blood pressure problems, epilepsy, asthma, diabetes, a recent operation, or "
                    "things like panic or dissociation. It helps the teacher offer variations that suit you. Share only "
                    "what you want to."))
    medication = EncryptedTextField(
        _("medication"), blank=True, default="",
        help_text=_("Some medication affects balance, blood pressure or how the body responds to exercise. A short "
                    "description is enough; you do not have to name it."))
    pregnancy = EncryptedTextField(
        _("are you pregnant, or did you give birth in the past year?"), blank=True, default="", choices=Pregnancy.choices,
        help_text=_("Some poses and TRE® exercises are adapted during and after a pregnancy."))
    injuries = EncryptedTextField(
        _("injuries, pain or places in your body that need care"), blank=True, default="",
        help_text=_("Past or present. The teacher can then suggest other positions or support."))
    hopes = EncryptedTextField(
        _("what do you hope to find here?"), blank=True, default="",
        help_text=_("Rest, less tension, better sleep, or simply curiosity: anything is fine. It helps the teacher "
                    "understand what matters to you."))
    notes_for_teacher = EncryptedTextField(
        _("anything else the teacher should know"), blank=True, default="",
        help_text=_("For example what helps you feel safe in a group, where you like to lie or sit, or how you feel about "
                    "touch. You can always tell the teacher in person as well."))
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    # The client's answers, in the order of the form: what withdrawal erases and the export lists.
    ANSWER_FIELDS = (
        "emergency_contact_name", "emergency_contact_phone", "health_conditions", "medication", "pregnancy",
        "injuries", "hopes", "notes_for_teacher",
    )

    class Meta:
        verbose_name = _("intake form")
        verbose_name_plural = _("intake forms")

    def __str__(self):
        # Never any answer here: this text ends up in logs and admin lists.
        return f"intake #{self.pk} (client #{self.client_id})"

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None

    @property
    def has_answers(self) -> bool:
        return any(getattr(self, name) for name in self.ANSWER_FIELDS)


class IntakeAccess(models.Model):
    """One line each time a teacher (or admin) opened a client's intake: who, whose, when.
    Holds no health data, so it stays when the intake is deleted (the client can still see who read it)."""

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_accesses",
                               verbose_name=_("whose intake"))
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("opened by"))
    viewer_name = models.CharField(_("name of who opened it"), max_length=300,
                                   help_text=_("Kept as it was, also if that account is later closed."))
    viewed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("intake access")
        verbose_name_plural = _("intake access log")
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["client", "-viewed_at"], name="intake_access_client_when")]

    def __str__(self):
        return f"{self.viewer_name} {self.viewed_at:%Y-%m-%d %H:%M}"
