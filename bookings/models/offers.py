"""What lowers a price: gift vouchers (cadeaubonnen) with a ledger of euros in and out, discount
codes with their uses, and the record that someone used an intro offer once."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classes.models import in_language
from core.vat import VAT_RATES


class VoucherProduct(models.Model):
    """A gift voucher the studio sells: for a free amount (between a minimum and a maximum), or for
    a fixed amount (a card's price, say). A voucher for an amount is a multi-purpose voucher: no VAT
    at the sale; the VAT is in what it later pays for."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    summary_nl = models.CharField(_("what it includes (Dutch)"), max_length=200, blank=True)
    summary_en = models.CharField(_("what it includes (English)"), max_length=200, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"), null=True, blank=True,
                                               help_text=_("Leave empty to let the buyer choose the amount."))
    minimum_cents = models.PositiveIntegerField(_("lowest amount to choose (cents)"), default=1000)
    maximum_cents = models.PositiveIntegerField(_("highest amount to choose (cents)"), default=50000)
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"), default=12)
    is_on_sale = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("gift voucher product")
        verbose_name_plural = _("gift voucher products")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(minimum_cents__lte=models.F("maximum_cents")), name="voucher_product_range")]

    def __str__(self):
        return self.name_nl

    name = property(lambda self: in_language(self, "name"))
    summary = property(lambda self: in_language(self, "summary"))


class VoucherQuerySet(models.QuerySet):
    def with_balance(self):
        return self.annotate(balance_value=Coalesce(Sum("entries__delta_cents"), 0))


class Voucher(models.Model):
    """One gift voucher: its code, who bought it for whom, and a ledger whose sum is what is left."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    product = models.ForeignKey(VoucherProduct, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("voucher"))
    value_cents = models.PositiveIntegerField(_("value (cents)"))
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="vouchers_bought",
                              verbose_name=_("bought by"))
    payment = models.OneToOneField("bookings.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_sold")
    recipient_name = models.CharField(_("for"), max_length=120, blank=True)
    recipient_email = models.EmailField(_("recipient's email"), blank=True,
                                        help_text=_("Leave empty to print the voucher and give it yourself."))
    message = models.TextField(_("message"), max_length=600, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)  # paid for: from now it can be used
    expires_at = models.DateTimeField(_("valid until"))
    sent_at = models.DateTimeField(_("sent to the recipient"), null=True, blank=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        verbose_name = _("gift voucher")
        verbose_name_plural = _("gift vouchers")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.code

    @property
    def balance_cents(self) -> int:
        if hasattr(self, "balance_value"):
            return self.balance_value
        return self.entries.aggregate(total=Coalesce(Sum("delta_cents"), 0))["total"]


class VoucherEntry(models.Model):
    """Euros entering (+) or leaving (−) a voucher. Never edited; corrections are new rows."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Bought")
        REDEMPTION = "redemption", _("Used online")
        AT_STUDIO = "at_studio", _("Used at the studio")
        RETURN = "return", _("Returned")
        EXPIRY = "expiry", _("Expired")
        CORRECTION = "correction", _("Correction by the studio")

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="entries", verbose_name=_("gift voucher"))
    delta_cents = models.IntegerField(_("amount (cents)"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    payment = models.ForeignKey("bookings.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_entries",
                                help_text="The payment the voucher paid (part of).")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Euros taken at the studio: the VAT rate of what they paid for, chosen by the teacher (rows from
    # before she chose count at the studio's default rate).
    vat_rate_percent = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=1, choices=VAT_RATES, null=True, blank=True)
    # A part of a payment's voucher share going back (one date of a programme the studio cancelled):
    # written once per key. Whole returns leave it empty and are once per payment.
    key = models.CharField(max_length=60, blank=True, default="")
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("voucher entry")
        verbose_name_plural = _("voucher ledger")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta_cents=0), name="voucher_entry_not_zero"),
            models.UniqueConstraint(fields=["voucher"], condition=Q(kind="issue"), name="voucher_issued_once"),
            models.UniqueConstraint(fields=["voucher"], condition=Q(kind="expiry"), name="voucher_expires_once"),
            models.UniqueConstraint(fields=["voucher", "payment", "kind"], condition=Q(payment__isnull=False, key=""),
                                    name="voucher_once_per_payment_kind"),
            models.UniqueConstraint(fields=["voucher", "key"], condition=~Q(key=""), name="voucher_part_once_per_key"),
        ]

    def __str__(self):
        return f"{self.delta_cents:+d} {self.get_kind_display()}"


class DiscountCode(models.Model):
    """A code for a campaign or a workshop: a percentage or a fixed amount off, valid for a while,
    for chosen one-off products, a number of times in all and per person."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage off")
        AMOUNT = "amount", _("Amount off")

    class Product(models.TextChoices):
        DROP_IN = "drop_in", _("Drop-in classes")
        CLASS_CARD = "class_card", _("Class cards")
        PROGRAMME = "programme", _("Programmes")
        ONE_TO_ONE = "one_to_one", _("One-to-one sessions")

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("Letters and digits; case does not matter."))
    description = models.CharField(_("what it is for"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PERCENT)
    percent = models.PositiveSmallIntegerField(_("percentage off"), null=True, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount off (cents)"), null=True, blank=True)
    products = models.JSONField(_("for"), default=list, help_text="Purposes it is valid for (DiscountCode.Product values).")
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("uses in all"), null=True, blank=True, help_text=_("Leave empty for no limit."))
    max_uses_per_person = models.PositiveSmallIntegerField(_("uses per person"), default=1)
    uses_count = models.PositiveIntegerField(_("used"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("discount code")
        verbose_name_plural = _("discount codes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="percent", percent__gte=1, percent__lte=100, amount_cents__isnull=True)
                                   | Q(kind="amount", amount_cents__gte=1, percent__isnull=True), name="discount_code_value"),
            models.CheckConstraint(condition=Q(max_uses__isnull=True) | Q(uses_count__lte=models.F("max_uses")),
                                   name="discount_code_not_overused"),
        ]

    def __str__(self):
        return self.code


class DiscountUse(models.Model):
    """One use of a code on one payment; given back (deleted) when that payment never comes."""

    code = models.ForeignKey(DiscountCode, on_delete=models.PROTECT, related_name="uses", verbose_name=_("discount code"))
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discount_uses")
    payment = models.OneToOneField("bookings.Payment", on_delete=models.CASCADE, related_name="discount_use")
    amount_cents = models.PositiveIntegerField(_("discount (cents)"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("discount code use")
        verbose_name_plural = _("discount code uses")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.code_id} – {self.payment_id}"


class IntroOfferUse(models.Model):
    """Someone bought (or is buying) an intro offer: once per account and once per email address,
    whatever card type (a renewed offer is the same first acquaintance), kept by the database. Given
    back (deleted) when the payment never comes."""

    card_type = models.ForeignKey("bookings.ClassCardType", on_delete=models.PROTECT, related_name="intro_uses")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intro_uses")
    email = models.CharField(max_length=254)  # lower-cased
    payment = models.OneToOneField("bookings.Payment", on_delete=models.CASCADE, null=True, blank=True, related_name="intro_use")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intro offer use")
        verbose_name_plural = _("intro offer uses")
        constraints = [
            models.UniqueConstraint(fields=["client"], name="intro_once_per_person_account"),
            models.UniqueConstraint(fields=["email"], name="intro_once_per_person_email"),
        ]

    def __str__(self):
        return f"{self.card_type_id} – {self.email}"
