"""Forms that take a photo: the upload is checked and re-encoded, and a photo needs its description."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import images

from .models import Offering, Teacher

ACCEPTED_IMAGES = images.ACCEPT  # the formats core.images accepts, as a browser names them


class PhotoCheckedForm(forms.ModelForm):
    """Only real images of bounded size are kept, re-encoded under a random name; a form with a photo
    and its Dutch description (``photo_field``, ``alt_field``) refuses the photo without one. The
    resized copies for pages are made after the save (core.renditions)."""

    photo_field = "photo"
    alt_field = "photo_alt_nl"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.photo_field in self.fields:  # Django's ImageField would say "image/*", GIF and HEIC included
            self.fields[self.photo_field].widget.attrs["accept"] = ACCEPTED_IMAGES
        if self.alt_field in self.fields and not self.fields[self.alt_field].help_text:
            self.fields[self.alt_field].help_text = gettext_lazy(
                "Needed with a photo: what it shows, in a few words, for people who cannot see it.")

    def _checked_upload(self, name):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):
            return images.clean_upload(upload)
        return upload

    def clean_photo(self):
        return self._checked_upload("photo")

    def clean_image(self):
        return self._checked_upload("image")

    def clean(self):
        data = super().clean()
        if (self.alt_field in self.fields and data.get(self.photo_field)
                and not (data.get(self.alt_field) or "").strip() and self.alt_field not in self.errors):
            self.add_error(self.alt_field, _("Please describe the photo in a few words, for people who cannot see it."))
        return data


class TeacherForm(PhotoCheckedForm):
    class Meta:
        model = Teacher
        fields = ["user", "slug", "bio_nl", "bio_en", "photo", "photo_alt_nl", "photo_alt_en", "is_active"]


class OfferingForm(PhotoCheckedForm):
    class Meta:
        model = Offering
        fields = ["photo"]  # the admin adds the fields of its fieldsets
