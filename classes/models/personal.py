"""The studio's personal work: a programme followed by a group on fixed dates (a run), the kinds of
one-to-one session clients can book (appointment types), and the teacher's hours for them.

Re-exported by classes/models/__init__.py, like the timetable's models."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.markup import render_markdown
from core.vat import vat_rate_field

from .timetable import Offering, Room, Teacher, WeeklySlot, in_language


class ProgrammeRun(models.Model):
    """A programme followed together: its dates are sessions (linked by `Session.programme_run`),
    each with this run's capacity. One purchase is one place on every date."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="runs", verbose_name=_("programme"),
                                 limit_choices_to={"kind": Offering.Kind.PROGRAMME})
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="programme_runs", verbose_name=_("teacher"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="programme_runs", verbose_name=_("room"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    price_cents = models.PositiveIntegerField(_("price for the whole programme (cents)"))
    is_open = models.BooleanField(_("open for booking"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("programme group")
        verbose_name_plural = _("programme groups")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="run_capacity_positive")]

    def __str__(self):
        return f"{self.offering.name_nl} #{self.pk}"

    def clean(self):
        if self.capacity is not None and self.room_id and self.capacity > self.room.capacity:
            raise ValidationError({"capacity": _("%(room)s has room for %(count)d people; please choose at most that many places.") % {
                "room": self.room, "count": self.room.capacity}})


class AppointmentType(models.Model):
    """A kind of one-to-one session: how long, what it costs, with whom. A type that belongs to a
    programme offering is also how that programme is followed one-to-one (its credits are for it)."""

    slug = models.SlugField(_("short name in URLs"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_nl = models.TextField(_("description (Dutch)"), help_text=_("Markdown."))
    description_en = models.TextField(_("description (English)"), blank=True, help_text=_("Markdown."))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    price_cents = models.PositiveIntegerField(_("price of one session (cents)"))
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="appointment_types", verbose_name=_("teacher"))
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment_types", verbose_name=_("offering"),
        help_text=_("The offering this session belongs to. For a programme, its one-to-one sessions are of this type."))
    programme_price_cents = models.PositiveIntegerField(
        _("price of the whole programme, one-to-one (cents)"), null=True, blank=True,
        help_text=_("Only for a programme: the price of all its sessions, followed one-to-one. Leave empty if the programme "
                    "is not offered one-to-one."))
    vat_rate_percent = vat_rate_field(help_text=_("Some therapeutic one-to-one work is exempt from VAT; ask your bookkeeper."))
    is_bookable_alone = models.BooleanField(_("can be booked as a single session"), default=True)
    is_active = models.BooleanField(_("offered now"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("one-to-one session type")
        verbose_name_plural = _("one-to-one session types")
        ordering = ["position", "name_nl", "duration_minutes"]
        constraints = [models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="appointment_type_duration_sensible")]

    def __str__(self):
        return f"{self.name_nl} ({self.duration_minutes} min)"

    name = property(lambda self: in_language(self, "name"))

    @property
    def description(self):
        return render_markdown(in_language(self, "description"))

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def offers_programme(self) -> bool:
        return (self.programme_price_cents is not None and self.offering_id is not None
                and self.offering.kind == Offering.Kind.PROGRAMME)

    def clean(self):
        if self.programme_price_cents is not None and (not self.offering_id or self.offering.kind != Offering.Kind.PROGRAMME):
            raise ValidationError({"programme_price_cents": _("A programme price needs a programme as the offering.")})


class TeacherAvailability(models.Model):
    """How a teacher takes one-to-ones: rest between appointments, how soon and how far ahead."""

    teacher = models.OneToOneField(Teacher, on_delete=models.CASCADE, related_name="availability", verbose_name=_("teacher"))
    buffer_minutes = models.PositiveSmallIntegerField(
        _("rest between appointments (minutes)"), default=15, help_text=_("Also kept free before and after her group classes."))
    minimum_notice_hours = models.PositiveSmallIntegerField(_("book at least (hours ahead)"), default=24)
    horizon_days = models.PositiveSmallIntegerField(_("book at most (days ahead)"), default=60)
    step_minutes = models.PositiveSmallIntegerField(_("start times every (minutes)"), default=15)

    class Meta:
        verbose_name = _("one-to-one settings")
        verbose_name_plural = _("one-to-one settings")
        constraints = [
            models.CheckConstraint(condition=Q(step_minutes__gte=5), name="availability_step_sensible"),
            models.CheckConstraint(condition=Q(horizon_days__gte=1), name="availability_horizon_positive"),
        ]

    def __str__(self):
        return str(self.teacher)

    @classmethod
    def of(cls, teacher) -> "TeacherAvailability":
        """The teacher's settings, or the defaults when she never changed them (nothing is saved)."""
        found = cls.objects.filter(teacher=teacher).first()
        return found or cls(teacher=teacher)


class WorkingHours(models.Model):
    """Every <weekday> from <start> to <end> (Breda wall-clock time) the teacher takes one-to-ones."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="working_hours", verbose_name=_("teacher"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WeeklySlot.Weekday.choices)
    start_time = models.TimeField(_("from"), help_text=_("Wall-clock time in Breda."))
    end_time = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("hours for one-to-ones")
        verbose_name_plural = _("hours for one-to-ones")
        ordering = ["weekday", "start_time"]
        constraints = [models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="working_hours_end_after_start")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end is before the start. Please check the times.")})


class DateException(models.Model):
    """Days that differ from the weekly hours: days off and holidays (a range), extra hours, or other
    hours instead of the usual ones."""

    class Kind(models.TextChoices):
        OFF = "off", _("Not available (day off, holiday)")
        EXTRA = "extra", _("Extra hours")
        REPLACE = "replace", _("Other hours instead of the usual")

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="date_exceptions", verbose_name=_("teacher"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OFF)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"), help_text=_("The same as the first day for a single day."))
    start_time = models.TimeField(_("from"), null=True, blank=True, help_text=_("Only for extra or other hours."))
    end_time = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note (only for the studio)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exception to the hours")
        verbose_name_plural = _("exceptions to the hours")
        ordering = ["first_day", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="date_exception_valid_range"),
            models.CheckConstraint(
                condition=(Q(kind="off", start_time__isnull=True, end_time__isnull=True)
                           | (~Q(kind="off") & Q(start_time__isnull=False, end_time__isnull=False, end_time__gt=F("start_time")))),
                name="date_exception_times_fit_kind"),
        ]

    def __str__(self):
        days = f"{self.first_day:%d-%m-%Y}" if self.first_day == self.last_day else f"{self.first_day:%d-%m-%Y} – {self.last_day:%d-%m-%Y}"
        return f"{days}: {self.get_kind_display()}"

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]

    def clean(self):
        errors = {}
        if self.first_day and self.last_day and self.last_day < self.first_day:
            errors["last_day"] = _("The last day is before the first day.")
        if self.kind == self.Kind.OFF:
            self.start_time = self.end_time = None
        elif not self.start_time or not self.end_time:
            errors["start_time"] = _("Please give the hours.")
        elif self.end_time <= self.start_time:
            errors["end_time"] = _("The end is before the start. Please check the times.")
        if errors:
            raise ValidationError(errors)
