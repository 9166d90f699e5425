"""The teacher's own profile in her back office: what her public page says about her, and her portrait."""

from django import forms
from django.utils.translation import gettext_lazy as _

from classes.forms import TeacherForm


class TeacherProfileForm(TeacherForm):
    """classes.forms.TeacherForm (the photo checked and re-encoded, its description required) without what
    only the admin decides: her account, her web address and whether she teaches now."""

    class Meta(TeacherForm.Meta):
        fields = ["bio_nl", "bio_en", "photo", "photo_alt_nl", "photo_alt_en"]
        widgets = {"bio_nl": forms.Textarea(attrs={"rows": 10}), "bio_en": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "bio_nl": _("What clients read about you on your page. Markdown: **bold**, a blank line between paragraphs."),
            "bio_en": _("The same in English; empty: the English page shows the Dutch."),
            "photo": _("A portrait: JPEG, PNG or WebP, at most 10 MB. Smaller copies for phones are made by themselves."),
        }
