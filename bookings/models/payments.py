"""Payments through Stripe Checkout (or at the studio), their refunds, and Stripe's events."""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.money import euros, vat_included


class Payment(models.Model):
    """One payment, online through Stripe Checkout or at the studio. Its state is changed only by
    the payments package (bookings/payments/); `purpose` names the kind of purchase it pays for,
    one of those registered in `bookings.payments.kinds`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PROCESSING = "processing", _("Payment on its way")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Not completed")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")

    class Method(models.TextChoices):
        IDEAL = "ideal", "iDEAL"
        CARD = "card", _("Card")
        BANCONTACT = "bancontact", "Bancontact"
        CASH = "cash", _("Cash at the studio")
        PIN = "pin", _("PIN at the studio")
        SEPA = "sepa_debit", _("Direct debit")
        VOUCHER = "voucher", _("Gift voucher")
        DISCOUNT = "discount", _("Fully discounted")

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments", verbose_name=_("client"))
    purpose = models.CharField(_("for"), max_length=40, db_index=True)
    description = models.CharField(_("description"), max_length=200)
    description_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(max_length=3, default="eur", editable=False)
    vat_rate_percent = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices, blank=True)
    stripe_checkout_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=1000, blank=True, editable=False)
    card_type = models.ForeignKey("bookings.ClassCardType", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("class card bought"))
    refunded_cents = models.PositiveIntegerField(_("refunded (cents)"), default=0)
    receipt_number = models.CharField(_("receipt number"), max_length=20, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=200, blank=True)
    # What lowered the price before paying: a discount code, and the part a gift voucher paid. The
    # product's price is amount + discount + voucher; `amount_cents` is what was paid in money.
    discount_cents = models.PositiveIntegerField(_("discount (cents)"), default=0)
    voucher_cents = models.PositiveIntegerField(_("paid with a gift voucher (cents)"), default=0)
    membership = models.ForeignKey("bookings.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
                                   verbose_name=_("membership"))
    stripe_invoice_id = models.CharField(max_length=255, unique=True, null=True, blank=True)  # a membership's month

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(refunded_cents__lte=models.F("amount_cents")), name="payment_refund_not_above_amount"),
        ]

    def __str__(self):
        return f"{self.receipt_number or f'#{self.pk}'} {self.description}"

    def get_absolute_url(self):
        return reverse("bookings:receipt", kwargs={"pk": self.pk})

    @property
    def label(self):
        """What it was for, in the page's language (the English form when one was recorded)."""
        return self.description_en if get_language() == "en" and self.description_en else self.description

    @property
    def is_paid(self):
        return self.status in PAID_STATUSES

    @property
    def refundable_cents(self):
        return self.amount_cents - self.refunded_cents if self.is_paid else 0

    @property
    def price_cents(self) -> int:
        """The product's price before the discount and the voucher."""
        return self.amount_cents + self.discount_cents + self.voucher_cents

    @property
    def vat_cents(self) -> int:
        """The VAT included in the amount, rounded to a cent (core.money.vat_included)."""
        return vat_included(self.amount_cents, self.vat_rate_percent)

    @property
    def net_cents(self) -> int:
        return self.amount_cents - self.vat_cents


# The money came in (whatever was refunded of it since): what the books count as received.
PAID_STATUSES = (Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED, Payment.Status.REFUNDED)


class ReceiptCounter(models.Model):
    """The last receipt number given in a year. Its row is locked while the next number is taken,
    so numbers run on without gaps or doubles whatever the concurrency."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being refunded")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment"))
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    failure_reason = models.CharField(_("why it failed"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    booking = models.ForeignKey("bookings.Booking", on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A refund made by hand (at the admin's desk or in Stripe's dashboard) is emailed to the client
    # once it succeeds; one that follows a cancellation is told in the cancellation's email.
    tell_client = models.BooleanField(_("email the client when done"), default=False)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gte=1), name="refund_positive")]

    def __str__(self):
        return f"{euros(self.amount_cents)} {self.get_status_display()}"


class StripeEvent(models.Model):
    """Each Stripe event id once: a delivery seen before is answered and not applied again."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    # The payment the event was about (its checkout, charge or refund), for the payment's story.
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="stripe_events")

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
