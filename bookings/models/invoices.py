"""Our own invoices (facturen), the legal ones: one for every paid payment (membership renewals
included) and a credit invoice for every refund (and for euros that go back on a gift voucher). Numbers come from the receipt counter, so invoices
and credit invoices run on in one series per year, without gaps or doubles. What an invoice says is
kept as it was issued (`lines`, the client's name); the PDF is drawn from that, any time."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT = "credit", _("Credit invoice")

    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.INVOICE)
    payment = models.ForeignKey("bookings.Payment", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("payment"))
    refund = models.OneToOneField("bookings.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_invoice")
    # A credit invoice for euros that went back on a gift voucher (a purchase it paid, cancelled in time).
    voucher_return = models.OneToOneField("bookings.VoucherEntry", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="credit_invoice")
    issued_at = models.DateTimeField(_("date"), default=timezone.now)
    client_name = models.CharField(_("client"), max_length=200)
    client_email = models.CharField(_("email"), max_length=254)
    language = models.CharField(max_length=5, default="nl")
    # [{"description": str, "quantity": int, "unit_cents": int, "total_cents": int, "vat_rate": "21.0"}], VAT included;
    # discounts and voucher use are lines too (negative); a credit invoice's amounts are negative.
    lines = models.JSONField(default=list)
    total_cents = models.IntegerField(_("total (cents)"))
    paid_cents = models.IntegerField(_("paid in money (cents)"), default=0)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["payment"], condition=Q(kind="invoice"), name="invoice_once_per_payment"),
            models.CheckConstraint(condition=Q(kind="invoice", refund__isnull=True, voucher_return__isnull=True)
                                   | Q(kind="credit", refund__isnull=False, voucher_return__isnull=True)
                                   | Q(kind="credit", refund__isnull=True, voucher_return__isnull=False),
                                   name="invoice_credit_has_refund_or_voucher_return"),
        ]

    def __str__(self):
        return self.number
