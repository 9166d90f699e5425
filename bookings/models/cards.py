"""Class cards (strippenkaart): every credit in or out is a ledger row; the balance is their sum."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classes.models import Style, in_language
from core.vat import vat_rate_field


class ClassCardType(models.Model):
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    credits = models.PositiveSmallIntegerField(_("number of classes"))
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"))
    styles = models.ManyToManyField(Style, blank=True, verbose_name=_("styles"), help_text=_("Leave empty for every style."))
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    vat_rate_percent = vat_rate_field()
    is_on_sale = models.BooleanField(_("on sale"), default=True)
    once_per_person = models.BooleanField(
        _("intro offer: once per person"), default=False,
        help_text=_("Each person can buy this card once (checked on her account and on her email address)."))
    is_studio_credit = models.BooleanField(_("studio credit"), default=False, editable=False,
                                           help_text=_("Given instead of a refund; not sold."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("class card type")
        verbose_name_plural = _("class card types")
        ordering = ["position", "credits"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gte=1), name="cardtype_credits_positive"),
            models.CheckConstraint(condition=Q(validity_months__gte=1), name="cardtype_validity_positive"),
        ]

    def __str__(self):
        return self.name_nl

    name = property(lambda self: in_language(self, "name"))

    def covers(self, style_id) -> bool:
        style_ids = [style.pk for style in self.styles.all()]
        return not style_ids or style_id in style_ids


class ClassCardQuerySet(models.QuerySet):
    def with_balance(self):
        return self.annotate(balance_value=Coalesce(Sum("entries__delta"), 0))

    def usable(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class ClassCard(models.Model):
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="class_cards", verbose_name=_("client"))
    card_type = models.ForeignKey(ClassCardType, on_delete=models.PROTECT, related_name="cards", verbose_name=_("card type"))
    payment = models.OneToOneField("bookings.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="class_card")
    purchased_at = models.DateTimeField(_("bought"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ClassCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("class card")
        verbose_name_plural = _("class cards")
        ordering = ["expires_at"]
        indexes = [models.Index(fields=["client", "expires_at"])]

    def __str__(self):
        return f"{self.card_type} – {self.client}"

    @property
    def balance(self) -> int:
        if hasattr(self, "balance_value"):
            return self.balance_value
        return self.entries.aggregate(total=Coalesce(Sum("delta"), 0))["total"]

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())


class CreditEntry(models.Model):
    """One credit entering (+) or leaving (−) a card. Never edited; corrections are new rows."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Bought")
        BOOKING = "booking", _("Used for a class")
        RETURN = "return", _("Returned after cancelling")
        EXPIRY = "expiry", _("Expired")
        CORRECTION = "correction", _("Correction by the studio")

    card = models.ForeignKey(ClassCard, on_delete=models.PROTECT, related_name="entries", verbose_name=_("class card"))
    delta = models.SmallIntegerField(_("credits"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    booking = models.ForeignKey("bookings.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_entries")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit ledger")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="credit_entry_not_zero"),
            # A booking takes a credit once and gives it back at most once.
            models.UniqueConstraint(fields=["booking", "kind"], condition=Q(booking__isnull=False), name="credit_once_per_booking_kind"),
            models.UniqueConstraint(fields=["card"], condition=Q(kind="purchase"), name="credit_one_purchase_per_card"),
            models.UniqueConstraint(fields=["card"], condition=Q(kind="expiry"), name="credit_one_expiry_per_card"),
            models.CheckConstraint(condition=~Q(kind="correction") | ~Q(reason=""), name="credit_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.delta:+d} {self.get_kind_display()}"
