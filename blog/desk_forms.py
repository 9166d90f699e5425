"""The writing desk's forms: a post (the admin's form, with the site's own widgets), a search, a reply."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from classes.models import Offering, Teacher
from core import images

from . import services
from .forms import PostAdminForm
from .models import Category, Post, Tag

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PostDeskForm(PostAdminForm):
    """Everything of a post on one page. The rules are the admin form's and the model's (cover needs a
    description, a scheduled post a time); the time must be to come (services.check_schedule_time)."""

    published_at = forms.DateTimeField(
        label=_("Publish time"), required=False, input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("For a scheduled post: the moment it appears by itself (Breda time). Published: empty means now."),
    )

    class Meta(PostAdminForm.Meta):
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "desk-markdown", "data-preview-url": reverse_lazy("blog_desk:markdown_preview")}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 5}),
            "audio_transcript": forms.Textarea(attrs={"rows": 5}),
            "cover_image": forms.ClearableFileInput(attrs={"accept": images.ACCEPT}),
            "updated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "categories": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
            "offerings": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
        }
        error_messages = {
            "slug": {"unique": _("Another post already uses this web address. Choose another one.")},
            "title": {"required": _("Give the post a title.")},
            "body": {"required": _("Write the text of the post.")},
        }

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Empty: made from the title.")
        self.fields["author"].queryset = Teacher.objects.select_related("user")
        self.fields["categories"].queryset = Category.objects.order_by("position", "name_nl")
        self.fields["tags"].queryset = Tag.objects.order_by("name")
        self.fields["offerings"].queryset = Offering.objects.order_by("position", "name_nl")
        self.fields["translation"].queryset = self.fields["translation"].queryset.only("pk", "title", "language")
        self.fields["translation"].label_from_instance = lambda post: f"{post.title} ({post.language.upper()})"
        if self.instance.pk and self.instance.is_visible(self.now):
            self.initial["status"] = Post.Status.PUBLISHED  # its scheduled time has come: it is out

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title") or "")[:120].strip("-")
        if not slug:
            raise forms.ValidationError(_("Choose a web address: letters, digits and hyphens."))
        return slug

    def clean(self):
        cleaned = super().clean()
        at = cleaned.get("published_at")
        if cleaned.get("status") == Post.Status.SCHEDULED:
            if at is None:
                self.add_error("published_at", _("Choose when the post should appear."))
            else:
                try:
                    services.check_schedule_time(at=at, now=self.now)
                except services.BlogError as error:
                    self.add_error("published_at", str(error))
        return cleaned


class PostSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by title"), required=False, max_length=100,
                        widget=forms.SearchInput(attrs={"autocomplete": "off"}))


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply as the studio"), max_length=services.COMMENT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write a reply before sending it.")},
    )
