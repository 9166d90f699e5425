"""The concrete sessions: one class at one moment, generated from a weekly slot of the timetable or
made by hand, with its places and its state."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .timetable import STUDIO_TZ, Closure, Offering, Room, Teacher, WeeklySlot, capacity_problem


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)

    def shown(self):
        return self.filter(offering__is_shown=True)

    def of_style(self, slug):
        return self.filter(offering__style__slug=slug)

    def between(self, start, end):
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def for_listing(self):
        return self.select_related("offering__style", "teacher__user", "room", "closure", "programme_run")


class Session(models.Model):
    """One concrete class at one moment, generated from a weekly slot or made by hand."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("offering"))
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("teacher"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("room"))
    slot = models.ForeignKey(WeeklySlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("weekly class"))
    slot_date = models.DateField(_("date in the weekly timetable"), null=True, blank=True, editable=False)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    places_taken = models.PositiveSmallIntegerField(_("places taken"), default=0, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    closure = models.ForeignKey(
        Closure, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="cancelled_sessions", verbose_name=_("closure")
    )
    note = models.CharField(_("note for clients"), max_length=300, blank=True)
    programme_run = models.ForeignKey(
        "classes.ProgrammeRun", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions",
        verbose_name=_("programme group"), help_text=_("A date of a programme followed in a group: booked only with the whole programme."))
    is_customised = models.BooleanField(
        _("changed by hand"), default=False, help_text=_("Changed on its own; the weekly timetable no longer updates it.")
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=0, editable=False,
        help_text=_("Goes up each time the time, room or teacher changes, so calendar apps update the event."))

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(condition=Q(places_taken__lte=F("capacity")), name="session_never_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.UniqueConstraint(fields=["slot", "slot_date"], name="session_once_per_slot_date"),
        ]
        indexes = [models.Index(fields=["teacher", "starts_at"]), models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return f"{self.offering} {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("classes:session", kwargs={"pk": self.pk})

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at, STUDIO_TZ).date()

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_programme_date(self):
        """A date of a programme followed in a group: booked only together with its other dates."""
        return self.programme_run_id is not None

    @property
    def price_cents(self):
        """What a place costs, as it is charged: a programme date's group price (a place on all its dates),
        else the offering's drop-in price."""
        return self.programme_run.price_cents if self.programme_run_id else self.offering.drop_in_price_cents

    @property
    def vat_rate_percent(self):
        """The VAT in `price_cents`: the offering's rate (a programme's price carries it too)."""
        return self.offering.vat_rate_percent

    @property
    def places_left(self):
        """The places a client can still book here. A programme date is booked only with its whole group,
        so read through `classes.selectors.listed()` (which annotates `run_places_left`) it tells its
        group's: the fewest left on any of the group's scheduled dates. Otherwise this date's own."""
        group_left = getattr(self, "run_places_left", None) if self.programme_run_id else None
        own = self.capacity - self.places_taken
        return max(own if group_left is None else group_left, 0)

    @property
    def is_full(self):
        return self.places_left == 0

    @property
    def duration_minutes(self):
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.starts_at

    @property
    def cancel_reason_shown(self):
        """The reason clients read: the closure's, in their language, or the one the teacher wrote."""
        if self.closure_id and self.closure:
            return self.closure.reason
        return self.cancel_reason

    def save(self, *args, **kwargs):
        """`places_taken` is written only by the place accounting (bookings.places, inside the
        transaction that locks this row). Any other save of an existing session names its fields
        without it, so a form or the admin that read the row a while ago never writes back a stale
        count over a booking made in the meantime."""
        if not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "places_taken"]
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end is before the start. Please check the times.")
        if problem := capacity_problem(self):
            errors["capacity"] = problem
        elif self.capacity is not None and self.capacity < self.places_taken:
                errors["capacity"] = _("%(count)d places are already booked; the class cannot have fewer places than that.") % {
                    "count": self.places_taken}
        if self.status == self.Status.CANCELLED and not (self.cancel_reason or "").strip() and not self.closure_id:
            errors["cancel_reason"] = _("Please give a reason; clients will read it.")
        if errors:
            raise ValidationError(errors)
