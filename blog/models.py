"""The blog: posts in Dutch or English, their categories and tags, and readers' comments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import images

from . import text

RESERVED_SLUGS = {"feed", "en", "nl", "tag", "category", "categorie"}
AUDIO_EXTENSIONS = ["mp3", "m4a", "ogg", "oga", "opus", "wav"]
AUDIO_MAX_BYTES = 80 * 1024 * 1024


def validate_slug_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the site itself; choose another web address."), params={"slug": value})


def validate_audio_size(file):
    if file.size > AUDIO_MAX_BYTES:
        raise ValidationError(_("The audio file is too big (at most 80 MB). Export it as MP3 at 96–128 kbit/s."))


class Category(models.Model):
    slug = models.SlugField(_("short name in URLs"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name_nl"]

    def __str__(self):
        return self.name_nl

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"category_slug": self.slug})

    @property
    def name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name_nl


class Tag(models.Model):
    slug = models.SlugField(_("short name in URLs"), unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"tag_slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to readers: not a draft, and its publish time has come (no one needs to act)."""
        return self.exclude(status=Post.Status.DRAFT).filter(published_at__lte=now or timezone.now())

    def in_language(self, code):
        return self.filter(language=code)

    def for_readers_in(self, code, now=None):
        """What readers in `code` are offered: the posts written in their language and, when that is not the
        studio's own (Dutch), the Dutch posts without a published translation in theirs, shown marked as Dutch."""
        if code == settings.LANGUAGE_CODE:
            return self.in_language(code)
        translations = self.model.objects.published(now).in_language(code)
        translated = Q(translation__in=translations) | Q(pk__in=translations.filter(translation__isnull=False).values("translation_id"))
        return self.filter(Q(language=code) | (Q(language=settings.LANGUAGE_CODE) & ~translated))

    def for_listing(self):
        return self.select_related("author__user")


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=120, unique=True, validators=[validate_slug_not_reserved])
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    translation = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("translation"),
        help_text=_("The same article in the other language, if there is one."),
    )
    author = models.ForeignKey(
        "classes.Teacher", on_delete=models.SET_NULL, null=True, blank=True, related_name="posts", verbose_name=_("author")
    )
    excerpt = models.TextField(
        _("excerpt"), max_length=400, blank=True,
        help_text=_("One or two sentences for lists, feeds and link previews. Empty: the start of the text."),
    )
    body = models.TextField(
        _("text"),
        help_text=_("Markdown: ## heading, ### subheading, **bold**, - list, [link](/tre/). Put [audio] on its own line where the audio player goes."),
    )
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line; shown under the article."))
    cover_image = models.ImageField(
        _("cover image"), upload_to="blog/covers/%Y/", blank=True, width_field="cover_width", height_field="cover_height",
        help_text=_("JPEG, PNG or WebP, at most 10 MB. Smaller copies for phones are made by themselves."),
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover image description"), max_length=250, blank=True,
        help_text=_("What the image shows, for readers who cannot see it. Leave empty only for a purely decorative image."),
    )
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    audio = models.FileField(
        _("audio"), upload_to="blog/audio/", blank=True,
        validators=[FileExtensionValidator(AUDIO_EXTENSIONS), validate_audio_size],
        help_text=_("An MP3 (or M4A, OGG, WAV) file, for example a guided relaxation."),
    )
    audio_title = models.CharField(_("audio title"), max_length=200, blank=True)
    audio_transcript = models.TextField(
        _("audio transcript"), blank=True, help_text=_("The spoken text, for readers who cannot listen. Markdown.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish time"), null=True, blank=True, db_index=True,
        help_text=_("Scheduled posts appear by themselves at this time (Breda time)."),
    )
    updated_on = models.DateField(_("updated on"), null=True, blank=True, help_text=_("Shown as “Updated on” after a real revision."))
    categories = models.ManyToManyField(Category, blank=True, related_name="posts", verbose_name=_("categories"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    offerings = models.ManyToManyField(
        "classes.Offering", blank=True, related_name="+", verbose_name=_("classes to invite readers to"),
        help_text=_("Shown under the article with their next sessions and places left."),
    )
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(default=list, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["language", "status", "published_at"], name="blog_post_listing")]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False), name="blog_post_publish_time_set"),
        ]

    def __str__(self):
        return self.title

    def render_text(self) -> "text.RenderedBody":
        """Render the Markdown body into what the page shows (HTML, contents, length); kept on save,
        and used as it is by the desk's live preview."""
        rendered = text.render_body(self.body)
        self.body_html, self.toc, self.word_count = rendered.html, rendered.toc, rendered.words
        self.reading_minutes = rendered.reading_minutes
        return rendered

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.render_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html", "toc", "word_count", "reading_minutes"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The post's own address, in its own language: the canonical one."""
        with translation.override(self.language):
            return reverse("blog:post", kwargs={"slug": self.slug})

    @property
    def reader_url(self):
        """The post's page in the reader's (active) language: a post in the other language is shown there in its
        own words inside the reader's menus, its canonical link pointing to `get_absolute_url`."""
        return reverse("blog:post", kwargs={"slug": self.slug})

    def clean(self):
        if self.status == self.Status.SCHEDULED and not self.published_at:
            raise ValidationError({"published_at": _("Choose when the post should appear.")})
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.status == self.Status.PUBLISHED and self.published_at > timezone.now():
            self.status = self.Status.SCHEDULED
        if self.translation_id and self.translation_id == self.pk:
            raise ValidationError({"translation": _("A post cannot be its own translation.")})
        if self.translation and self.translation.language == self.language:
            raise ValidationError({"translation": _("The translation must be in the other language.")})

    def is_visible(self, now=None):
        return self.status != self.Status.DRAFT and self.published_at is not None and self.published_at <= (now or timezone.now())

    @property
    def summary(self):
        return self.excerpt or text.summary_from_html(self.body_html)

    @property
    def source_list(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def is_updated(self):
        return bool(self.updated_on and self.published_at and self.updated_on > timezone.localdate(self.published_at))

    @property
    def show_toc(self):
        return text.wants_toc(self.toc, self.word_count)

    @cached_property
    def cover(self):
        """What an <img> needs, with no query and no file access: src, srcset, width, height, and the
        largest copy for link previews (core.images.picture; the page shows it with {% picture %})."""
        return images.picture(self.cover_image, self.cover_renditions, width=self.cover_width, height=self.cover_height)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REMOVED = "removed", _("Removed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("post"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="blog_comments", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email address"), blank=True)
    text = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("moderated by")
    )
    by_studio = models.BooleanField(_("written by the studio"), default=False)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies", verbose_name=_("in reply to")
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["post", "status", "created_at"], name="blog_comment_shown")]

    def __str__(self):
        return f"{self.name}: {self.text[:60]}"
