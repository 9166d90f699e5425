from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core import images

from .models import Post
from .services import COMMENT_MAX_CHARS


class CommentForm(forms.Form):
    """A reader's comment. Signed-in readers only write the text; their name comes from the account."""

    name = forms.CharField(label=_("Your name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Not shown with your comment. We only use it if we need to reach you about it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX_CHARS,
        help_text=_("Plain text. It appears after the studio has read it."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write a comment before sending it.")},
    )
    # A field people never see; bots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]

    def clean_text(self):
        value = self.cleaned_data["text"].strip()
        if not value:
            raise forms.ValidationError(_("Please write a comment before sending it."))
        return value


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title", "slug", "language", "translation", "author", "excerpt", "body", "sources", "cover_image", "cover_alt",
            "audio", "audio_title", "audio_transcript", "status", "published_at", "updated_on", "categories", "tags", "offerings",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField blog-markdown", "data-preview-url": reverse_lazy("admin:blog_post_preview"),
                                          "data-preview-label": _("Preview")}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 6}),
            "audio_transcript": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "translation" in self.fields:
            others = Post.objects.order_by("-published_at", "title")
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk).exclude(language=self.instance.language)
            self.fields["translation"].queryset = others

    def clean_cover_image(self):
        upload = self.cleaned_data.get("cover_image")
        # Only a new upload is checked and re-encoded; the stored file stays as it is.
        if upload and hasattr(upload, "content_type"):
            return images.clean_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover_image") and not cleaned.get("cover_alt", "").strip():
            self.add_error("cover_alt", _("Describe the image for readers who cannot see it."))
        return cleaned
