"""What the studio offers and when: styles, rooms, teachers, offerings, the weekly timetable and
closures (the concrete sessions it generates are in classes.models.sessions)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
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


def capacity_problem(item) -> str | None:
    """What is wrong with the places of a weekly class or a session, if anything: at least one, at
    most what its room holds."""
    if item.capacity is None:
        return None
    if item.capacity < 1:
        return _("A class needs at least 1 place.")
    if item.room_id and item.capacity > item.room.capacity:
        return _("%(room)s has room for %(count)d people; please choose at most that many places.") % {
            "room": item.room, "count": item.room.capacity}
    return None


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
        if problem := capacity_problem(self):
            errors["capacity"] = problem
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
