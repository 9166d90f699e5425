"""Admin forms of the timetable that take an upload: the photo is checked and re-encoded."""

from django import forms

from core import images

from .models import Offering, Teacher


class PhotoCheckedForm(forms.ModelForm):
    """Only real images of bounded size are kept, re-encoded under a random name."""

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload and hasattr(upload, "content_type"):
            return images.clean_upload(upload)
        return upload


class TeacherForm(PhotoCheckedForm):
    class Meta:
        model = Teacher
        fields = ["user", "slug", "bio_nl", "bio_en", "photo", "photo_alt", "is_active"]


class OfferingForm(PhotoCheckedForm):
    class Meta:
        model = Offering
        fields = ["photo"]  # the admin adds the fields of its fieldsets
