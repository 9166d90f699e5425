"""The studio's own models: its people (one user model for clients, teachers
and admins) and the pages whose text the admin edits."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from classes.models import in_language
from core.markup import render_markdown


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Anyone with an account. Email is the login."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Page(models.Model):
    """A page whose text the admin edits: about, privacy statement, terms."""

    class Key(models.TextChoices):
        ABOUT = "about", _("About the studio")
        TRE = "tre", _("About TRE®")
        PRIVACY = "privacy", _("Privacy statement")
        TERMS = "terms", _("Terms and conditions")

    key = models.CharField(_("page"), max_length=20, choices=Key.choices, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_nl = models.TextField(_("text (Dutch)"), help_text=_("Markdown: ## heading, **bold**, - list, [link](https://...)."))
    body_en = models.TextField(_("text (English)"), help_text=_("Markdown: ## heading, **bold**, - list, [link](https://...)."))
    image = models.ImageField(_("photo"), upload_to="pages/", blank=True)
    image_alt_nl = models.CharField(_("photo description (Dutch)"), max_length=200, blank=True)
    image_alt_en = models.CharField(_("photo description (English)"), max_length=200, blank=True)
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)  # core.renditions: the photo's WebP sizes
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["key"]

    def __str__(self):
        return self.get_key_display()

    title = property(lambda self: in_language(self, "title"))
    body = property(lambda self: in_language(self, "body"))
    image_alt = property(lambda self: in_language(self, "image_alt"))

    @property
    def rendered_body(self):
        return render_markdown(self.body)
