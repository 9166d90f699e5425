"""What the studio offers and when: styles, rooms, teachers, offerings, the
weekly timetable and the concrete sessions it generates, and closures."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.markup import render_markdown
from core.vat import vat_rate_field

STUDIO_TZ = ZoneInfo(settings.TIME_ZONE)
ILLUSTRATED_STYLES = {"hatha", "balans", "yin", "tre"}  # the styles with a drawing of their own in static/img/illustrations/


def in_language(obj, field):
    """The English text of a field pair when the page is English and it is filled in, else the Dutch."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_nl")


class Style(models.Model):
    slug = models.SlugField(_("short name in URLs"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("style")
        verbose_name_plural = _("styles")
        ordering = ["position", "name_nl"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_language(self, "name")


class Room(models.Model):
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive")]

    def __str__(self):
        return self.name


class Teacher(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teacher_profile", verbose_name=_("user"))
    slug = models.SlugField(_("short name in URLs"), unique=True)
    bio_nl = models.TextField(_("about (Dutch)"), blank=True)
    bio_en = models.TextField(_("about (English)"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="teachers/", blank=True)
    photo_alt_nl = models.CharField(_("photo description (Dutch)"), max_length=200, blank=True)
    photo_alt_en = models.CharField(_("photo description (English)"), max_length=200, blank=True)
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)  # core.renditions: the photo's WebP sizes
    is_active = models.BooleanField(_("teaches now"), default=True)

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["user__first_name"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.user.get_full_name() or self.user.email

    photo_alt = property(lambda self: in_language(self, "photo_alt"))

    @property
    def first_name(self):
        return self.user.first_name or self.name

    @property
    def bio(self):
        return render_markdown(in_language(self, "bio"))

    def get_absolute_url(self):
        return reverse("classes:teacher", kwargs={"slug": self.slug})


class OfferingQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True)


class Offering(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("Group class")
        PROGRAMME = "programme", _("Programme")
        ONE_TO_ONE = "one_to_one", _("One-to-one session")

    class Level(models.TextChoices):
        ALL = "all", _("Everyone welcome")
        BEGINNER = "beginner", _("Beginners")
        EXPERIENCED = "experienced", _("Some experience")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GROUP)
    style = models.ForeignKey(Style, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("style"))
    slug = models.SlugField(_("short name in URLs"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    summary_nl = models.CharField(_("one-line summary (Dutch)"), max_length=200)
    summary_en = models.CharField(_("one-line summary (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), help_text=_("Markdown."))
    description_en = models.TextField(_("description (English)"), blank=True, help_text=_("Markdown."))
    what_to_expect_nl = models.TextField(
        _("what to expect (Dutch)"), help_text=_("What happens in a class or session, and that people may rest or leave at any time. Markdown.")
    )
    what_to_expect_en = models.TextField(_("what to expect (English)"), blank=True)
    what_to_bring_nl = models.TextField(_("what to bring (Dutch)"), blank=True, help_text=_("Markdown."))
    what_to_bring_en = models.TextField(_("what to bring (English)"), blank=True, help_text=_("Markdown."))
    suits_nl = models.TextField(_("who it suits (Dutch)"), blank=True, help_text=_("Markdown."))
    suits_en = models.TextField(_("who it suits (English)"), blank=True, help_text=_("Markdown."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.ALL)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=75)
    default_capacity = models.PositiveSmallIntegerField(_("default number of places"), default=12)
    drop_in_price_cents = models.PositiveIntegerField(_("drop-in price (cents)"), default=1750)
    allow_pay_at_studio = models.BooleanField(_("clients may pay at the studio"), default=False)
    vat_rate_percent = vat_rate_field(help_text=_("The VAT in its drop-in price, and in a programme's price."))
    session_count = models.PositiveSmallIntegerField(
        _("number of sessions"), default=1, help_text=_("For a programme: how many sessions it has (the TRE® programme: 3)."))
    photo = models.ImageField(_("photo"), upload_to="offerings/", blank=True)
    photo_alt_nl = models.CharField(_("photo description (Dutch)"), max_length=200, blank=True)
    photo_alt_en = models.CharField(_("photo description (English)"), max_length=200, blank=True)
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)  # core.renditions: the photo's WebP sizes
    is_shown = models.BooleanField(_("shown on the site"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["position", "name_nl"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="offering_duration_sensible"),
            models.CheckConstraint(condition=Q(default_capacity__gte=1), name="offering_capacity_positive"),
            models.CheckConstraint(condition=Q(session_count__gte=1), name="offering_session_count_positive"),
        ]

    def __str__(self):
        return self.name_nl

    name = property(lambda self: in_language(self, "name"))
    summary = property(lambda self: in_language(self, "summary"))
    photo_alt = property(lambda self: in_language(self, "photo_alt"))

    @property
    def description(self):
        return render_markdown(in_language(self, "description"))

    @property
    def what_to_expect(self):
        return render_markdown(in_language(self, "what_to_expect"))

    @property
    def what_to_bring(self):
        return render_markdown(in_language(self, "what_to_bring"))

    @property
    def suits(self):
        return render_markdown(in_language(self, "suits"))

    @property
    def illustration(self):
        """The drawing shown while the offering has no photo (static/img/illustrations/): its style's, or the one-to-ones'."""
        if self.kind == self.Kind.ONE_TO_ONE:
            return "img/illustrations/one-to-one.svg"
        slug = self.style.slug
        return f"img/illustrations/{slug}.svg" if slug in ILLUSTRATED_STYLES else "img/illustrations/hero.svg"

    def get_absolute_url(self):
        return reverse("classes:offering", kwargs={"slug": self.slug})


class WeeklySlot(models.Model):
    """A recurring class: every <weekday> at <start time>, between two dates."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="weekly_slots", verbose_name=_("offering"))
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="weekly_slots", verbose_name=_("teacher"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="weekly_slots", verbose_name=_("room"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"), help_text=_("Wall-clock time in Breda."))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty to keep it going."))

    class Meta:
        verbose_name = _("weekly class")
        verbose_name_plural = _("weekly timetable")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="slot_duration_sensible"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")), name="slot_valid_range"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M} {self.offering}"

    @property
    def end_time(self):
        return (datetime.combine(self.valid_from, self.start_time) + timedelta(minutes=self.duration_minutes)).time()

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end date is before the start date.")
        if self.capacity is not None:
            if self.capacity < 1:
                errors["capacity"] = _("A class needs at least 1 place.")
            elif self.room_id and self.capacity > self.room.capacity:
                errors["capacity"] = _("%(room)s has room for %(count)d people; please choose at most that many places.") % {
                    "room": self.room, "count": self.room.capacity}
        if self.duration_minutes is not None and self.duration_minutes < 5:
            errors["duration_minutes"] = _("A class lasts at least 5 minutes.")
        if not errors and self.room_id and self.start_time and self.duration_minutes and self.valid_from:
            clash = self.overlapping_slot()
            if clash is not None:
                errors["start_time"] = _("This overlaps with %(slot)s in the same room.") % {"slot": clash}
        if errors:
            raise ValidationError(errors)

    def overlapping_slot(self):
        """Another weekly slot in the same room, on the same weekday, whose time and dates overlap this one."""
        start = self.start_time.hour * 60 + self.start_time.minute
        end = start + self.duration_minutes
        others = WeeklySlot.objects.filter(room_id=self.room_id, weekday=self.weekday).exclude(pk=self.pk).select_related("offering")
        for other in others:
            other_start = other.start_time.hour * 60 + other.start_time.minute
            other_end = other_start + other.duration_minutes
            dates_overlap = (other.valid_until is None or other.valid_until >= self.valid_from) and (
                self.valid_until is None or self.valid_until >= other.valid_from)
            if dates_overlap and other_start < end and start < other_end:
                return other
        return None


class Closure(models.Model):
    """The studio is closed on these days (holiday, summer break); no classes then."""

    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason_nl = models.CharField(_("reason (Dutch)"), max_length=200)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
                                   related_name="+", verbose_name=_("added by"))

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="closure_valid_range")]

    def __str__(self):
        return f"{self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y}: {self.reason_nl}"

    reason = property(lambda self: in_language(self, "reason"))

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day is before the first day.")})


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
        return max(self.capacity - self.places_taken, 0)

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
        if self.capacity is not None:
            if self.capacity < 1:
                errors["capacity"] = _("A class needs at least 1 place.")
            elif self.room_id and self.capacity > self.room.capacity:
                errors["capacity"] = _("%(room)s has room for %(count)d people; please choose at most that many places.") % {
                    "room": self.room, "count": self.room.capacity}
            elif self.capacity < self.places_taken:
                errors["capacity"] = _("%(count)d places are already booked; the class cannot have fewer places than that.") % {
                    "count": self.places_taken}
        if self.status == self.Status.CANCELLED and not (self.cancel_reason or "").strip() and not self.closure_id:
            errors["cancel_reason"] = _("Please give a reason; clients will read it.")
        if errors:
            raise ValidationError(errors)

