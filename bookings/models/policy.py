import secrets
from datetime import time

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

POLICY_CACHE_KEY = "bookings:policy"


class BookingPolicy(models.Model):
    """The studio's rules for booking, cancelling and paying. One row, edited in the admin."""

    class DropInCancellation(models.TextChoices):
        REFUND = "refund", _("Refund the payment")
        CREDIT = "credit", _("Give a studio credit for another class")

    cancel_window_hours = models.PositiveSmallIntegerField(
        _("free cancelling until (hours before class)"), default=12)
    booking_closes_minutes = models.PositiveSmallIntegerField(
        _("online booking closes (minutes before class)"), default=30)
    hold_minutes = models.PositiveSmallIntegerField(
        _("a place is held while paying for (minutes)"), default=15)
    waitlist_offer_minutes = models.PositiveSmallIntegerField(
        _("a waitlist offer is valid for (minutes)"), default=120)
    drop_in_cancellation = models.CharField(
        _("an early cancelled drop-in gets"), max_length=10, choices=DropInCancellation.choices, default=DropInCancellation.REFUND)
    studio_credit_months = models.PositiveSmallIntegerField(_("a studio credit is valid for (months)"), default=6)
    vat_rate_percent = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=1, default=21)
    membership_grace_days = models.PositiveSmallIntegerField(
        _("after a failed membership payment, booking goes on for (days)"), default=7,
        help_text=_("Stripe tries the payment again meanwhile; after this many days she can book with her membership only "
                    "once it is paid."))
    reminder_hours = models.PositiveSmallIntegerField(_("reminder email (hours before class)"), default=24)
    card_expiry_warning_days = models.PositiveSmallIntegerField(_("warn about an expiring class card (days before)"), default=14)
    intake_before_first_group_class = models.BooleanField(_("ask for an intake before a first group class"), default=False)
    quiet_from = models.TimeField(
        _("quiet hours begin"), default=time(22, 0),
        help_text=_("From this time no message goes out that the client did not ask for (waitlist offers, reminders, "
                    "notes to a class); it waits until quiet hours end. Same as the end: no quiet hours."))
    quiet_until = models.TimeField(_("quiet hours end"), default=time(8, 0))
    last_minute_hours = models.PositiveSmallIntegerField(
        _("last-minute places (hours before class)"), default=3,
        help_text=_("Within this time a freed place goes to the first in line who chose automatic booking, or else to "
                    "whoever on the waitlist claims it first. 0: never."))
    auto_booked_cancel_hours = models.PositiveSmallIntegerField(
        _("booked from the waitlist: free cancelling for (hours)"), default=3,
        help_text=_("Someone booked automatically from the waitlist may cancel free of charge for this long after "
                    "being told (quiet hours not counted), whatever the usual window."))

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")

    def __str__(self):
        return str(_("Booking rules"))

    def save(self, *args, **kwargs):
        self.pk = 1
        # After commit the kept rules go first, then the pages showing them are renewed (the bump the
        # save signal queues), so no request can keep the old rules past the commit.
        transaction.on_commit(lambda: cache.delete(POLICY_CACHE_KEY), robust=True)
        super().save(*args, **kwargs)
        cache.delete(POLICY_CACHE_KEY)

    @classmethod
    def current(cls) -> "BookingPolicy":
        policy = cache.get(POLICY_CACHE_KEY)
        if policy is None:
            policy, _created = cls.objects.get_or_create(pk=1)
            cache.set(POLICY_CACHE_KEY, policy, 300)
        return policy


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A client's private calendar feed of their bookings: a secret URL they can reset."""

    client = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.client)

    def reset(self):
        self.token = new_feed_token()
        self.save(update_fields=["token"])
