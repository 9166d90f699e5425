"""Who comes to which session, how they pay, and who waits for a place."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classes.models import Session

PLACE_HOLDING = ("offered", "pending_payment", "confirmed")


class BookingQuerySet(models.QuerySet):
    def holding_a_place(self):
        return self.filter(status__in=PLACE_HOLDING)

    def confirmed(self):
        return self.filter(status=Booking.Status.CONFIRMED)

    def upcoming(self, now=None):
        return self.filter(session__starts_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(session__starts_at__lt=now or timezone.now())

    def for_listing(self):
        return self.select_related("session__offering__style", "session__teacher__user", "session__room", "session__closure", "payment", "card__card_type")


class Booking(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered from the waitlist")
        PENDING_PAYMENT = "pending_payment", _("Waiting for payment")
        CONFIRMED = "confirmed", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Not completed")

    class PaidWith(models.TextChoices):
        CARD = "card", _("Class card")
        STRIPE = "stripe", _("Paid online")
        STUDIO = "studio", _("Pay at the studio")
        PROGRAMME = "programme", _("Programme")
        MEMBERSHIP = "membership", _("Membership")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not yet known")
        PRESENT = "present", _("Checked in")
        NO_SHOW = "no_show", _("Did not come")

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("client"))
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("session"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    paid_with = models.CharField(_("paid with"), max_length=10, choices=PaidWith.choices, blank=True)
    card = models.ForeignKey("bookings.ClassCard", on_delete=models.PROTECT, null=True, blank=True, related_name="bookings")
    payment = models.ForeignKey("bookings.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="bookings")
    membership = models.ForeignKey("bookings.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="bookings",
                                   verbose_name=_("membership"))
    price_cents = models.PositiveIntegerField(_("price (cents)"), default=0)
    hold_expires_at = models.DateTimeField(_("place held until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by_studio = models.BooleanField(_("cancelled by the studio"), default=False)
    late_cancellation = models.BooleanField(_("cancelled late"), default=False)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True, default="")
    paid_at_studio_at = models.DateTimeField(_("paid at the studio"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    free_cancel_until = models.DateTimeField(
        _("free cancelling at least until"), null=True, blank=True,
        help_text=_("Booked automatically from the waitlist: cancelling is free until then, whatever the usual window."))
    touch_ok = models.BooleanField(_("touch is welcome today"), null=True, blank=True)
    enrolment = models.ForeignKey("bookings.ProgrammeEnrolment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="bookings", verbose_name=_("programme"))

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["session__starts_at", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "session"], condition=Q(status__in=PLACE_HOLDING), name="booking_one_place_per_client"),
            models.CheckConstraint(condition=~Q(paid_with="card") | Q(card__isnull=False), name="booking_card_has_card"),
            models.CheckConstraint(condition=~Q(paid_with="programme") | Q(enrolment__isnull=False), name="booking_programme_has_enrolment"),
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["status", "hold_expires_at"]),
            models.Index(fields=["client", "status"]),
        ]

    def __str__(self):
        return f"{self.client} – {self.session}"

    @property
    def holds_a_place(self):
        return self.status in PLACE_HOLDING

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class BookingEvent(models.Model):
    """The history of a booking: who did what, when (booked, paid, checked in, cancelled...)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("what"), max_length=40)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("booking history")
        verbose_name_plural = _("booking history")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Place offered")
        CLAIMED = "claimed", _("Took the place")
        EXPIRED = "expired", _("Offer ran out")
        LEFT = "left", _("Left the waitlist")
        CLEARED = "cleared", _("Class cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("session"))
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries", verbose_name=_("client"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)
    offer = models.OneToOneField(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="waitlist_entry")
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    auto_book = models.BooleanField(
        _("book automatically"), default=False,
        help_text=_("When a place frees up she is booked at once with her class card, instead of being offered the place."))
    last_minute_offer_at = models.DateTimeField(
        _("last-minute place offered"), null=True, blank=True,
        help_text=_("Told that a last-minute place is free for whoever on the waitlist claims it first."))

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "client"], condition=Q(status__in=["waiting", "offered"]), name="waitlist_once_per_client"),
        ]

    def __str__(self):
        return f"{self.client} – {self.session} ({self.get_status_display()})"
