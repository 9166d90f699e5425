"""The end-of-day count of what was taken at the studio: cash in the drawer and the PIN terminal's
total, against what the books expect. Kept with who counted; a recount adds a row, never edits one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CashCount(models.Model):
    day = models.DateField(_("day"), db_index=True)
    float_cents = models.PositiveIntegerField(_("change in the drawer at the start (cents)"), default=0)
    cash_expected_cents = models.IntegerField(_("cash expected (cents)"))
    cash_counted_cents = models.PositiveIntegerField(_("cash counted (cents)"))
    pin_expected_cents = models.IntegerField(_("PIN expected (cents)"))
    pin_counted_cents = models.PositiveIntegerField(_("PIN total of the terminal (cents)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("counted by"))
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        verbose_name = _("cash-up")
        verbose_name_plural = _("cash-ups")
        ordering = ["-day", "-counted_at", "-pk"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.counted_by}"

    @property
    def cash_difference_cents(self) -> int:
        return self.cash_counted_cents - self.cash_expected_cents

    @property
    def pin_difference_cents(self) -> int:
        return self.pin_counted_cents - self.pin_expected_cents

    @property
    def balanced(self) -> bool:
        return self.cash_difference_cents == 0 and self.pin_difference_cents == 0
