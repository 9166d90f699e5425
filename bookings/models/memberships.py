"""Memberships (abonnementen): a monthly subscription through Stripe Billing, unlimited or a number
of classes per period, that the client can pause and cancel. Stripe keeps the subscription and its
invoices; this keeps what the studio needs to let her book, read back from Stripe's events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classes.models import Style, in_language
from core.vat import vat_rate_field


class MembershipType(models.Model):
    """What the studio sells as a membership: its monthly price, how many classes a period (none:
    unlimited), whether one unused class carries over, a minimum term and notice, the styles."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    summary_nl = models.CharField(_("what it includes (Dutch)"), max_length=200, blank=True)
    summary_en = models.CharField(_("what it includes (English)"), max_length=200, blank=True)
    price_cents = models.PositiveIntegerField(_("price per month (cents)"))
    vat_rate_percent = vat_rate_field()
    classes_per_period = models.PositiveSmallIntegerField(
        _("classes per month"), null=True, blank=True, help_text=_("Leave empty for unlimited classes."))
    carry_over = models.BooleanField(
        _("one unused class carries over"), default=False,
        help_text=_("One class not used in a month can still be used in the next month (never more than one)."))
    minimum_months = models.PositiveSmallIntegerField(
        _("minimum term (months)"), default=0, help_text=_("0: she can cancel from the first month."))
    notice_months = models.PositiveSmallIntegerField(
        _("notice (months)"), default=0, help_text=_("0: cancelling ends it at the end of the current month."))
    styles = models.ManyToManyField(Style, blank=True, verbose_name=_("styles"), help_text=_("Leave empty for every style."))
    stripe_price_id = models.CharField(max_length=255, blank=True, editable=False,
                                       help_text="The recurring Stripe price for this type at this price (made when first sold).")
    stripe_price_cents = models.PositiveIntegerField(null=True, blank=True, editable=False)
    is_on_sale = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")
        ordering = ["position", "price_cents"]
        constraints = [models.CheckConstraint(condition=Q(classes_per_period__isnull=True) | Q(classes_per_period__gte=1),
                                              name="membership_type_classes_positive")]

    def __str__(self):
        return self.name_nl

    name = property(lambda self: in_language(self, "name"))
    summary = property(lambda self: in_language(self, "summary"))

    @property
    def is_unlimited(self) -> bool:
        return self.classes_per_period is None

    def covers(self, style_id) -> bool:
        style_ids = [style.pk for style in self.styles.all()]
        return not style_ids or style_id in style_ids


class Membership(models.Model):
    """One client's subscription. Its state follows Stripe's subscription (read back from Stripe on
    every event, so events apply once and in any order); the pause she asked for is kept here too,
    because Stripe's `pause_collection` knows only when it resumes."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Waiting for the first payment")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Payment failed")
        CANCELLED = "cancelled", _("Ended")
        NOT_STARTED = "not_started", _("Not completed")

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("client"))
    membership_type = models.ForeignKey(MembershipType, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("membership"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.INCOMPLETE, db_index=True)
    price_cents = models.PositiveIntegerField(_("price per month (cents)"))
    stripe_checkout_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True, editable=False)
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    current_period_start = models.DateTimeField(_("this period began"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("next payment"), null=True, blank=True)
    carried_over = models.PositiveSmallIntegerField(_("classes carried over into this period"), default=0)
    cancel_at_period_end = models.BooleanField(_("ends at the end of the period"), default=False)
    cancel_requested_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    pause_from = models.DateField(_("paused from"), null=True, blank=True)
    pause_until = models.DateField(_("paused until"), null=True, blank=True,
                                   help_text=_("The first day she can book again."))
    pause_started_at = models.DateTimeField(null=True, blank=True, editable=False)  # sent to Stripe
    paused_at_stripe = models.BooleanField(default=False, editable=False)  # Stripe's pause_collection is set
    payment_failed_at = models.DateTimeField(_("payment failed on"), null=True, blank=True)
    failure_emailed_for = models.CharField(max_length=255, blank=True, editable=False)  # the invoice last emailed about

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pause_from__isnull=True, pause_until__isnull=True)
                                   | Q(pause_from__isnull=False, pause_until__isnull=False, pause_until__gt=models.F("pause_from")),
                                   name="membership_pause_has_both_ends"),
        ]
        indexes = [models.Index(fields=["client", "status"])]

    def __str__(self):
        return f"{self.membership_type} – {self.client}"

    @property
    def is_cancelled(self) -> bool:
        """She cancelled it (it still runs until it ends)."""
        return bool(self.cancel_requested_at or self.cancel_at_period_end)

    def is_paused_on(self, day) -> bool:
        return self.pause_from is not None and self.pause_from <= day < self.pause_until
