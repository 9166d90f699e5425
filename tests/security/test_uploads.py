"""Uploads: only real images of bounded size are kept, re-encoded, under a name we choose."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from classes.forms import TeacherForm
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def photo(name="../../etc/passwd.jpg", size=(64, 64), fmt="JPEG", exif=True):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (120, 160, 110))
    if exif:
        data = image.getexif()
        data[0x010E] = "secret description"
        image.save(buffer, fmt, exif=data)
    else:
        image.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form_for(teacher, upload):
    data = {"user": teacher.user_id, "slug": teacher.slug, "bio_nl": "x", "bio_en": "", "photo_alt_nl": "Manoek", "photo_alt_en": "Manoek", "is_active": "on"}
    return TeacherForm(data=data, files={"photo": upload}, instance=teacher)


def test_a_real_photo_is_re_encoded_under_a_random_name(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    teacher = TeacherFactory()
    form = form_for(teacher, photo())
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.photo.name.startswith("teachers/") and "passwd" not in saved.photo.name and ".." not in saved.photo.name
    with Image.open(saved.photo.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()


@pytest.mark.parametrize("content", [b"<?php echo 'hi'; ?>", b"GIF89a" + b"\x00" * 10, b""])
def test_something_that_is_not_an_image_is_refused(content):
    teacher = TeacherFactory()
    form = form_for(teacher, SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg"))
    assert not form.is_valid() and "photo" in form.errors
    teacher.refresh_from_db()
    assert not teacher.photo


def test_an_oversized_image_is_refused_with_a_message():
    teacher = TeacherFactory()
    form = form_for(teacher, photo(size=(8000, 6000), exif=False))  # 48 megapixels: past the limit
    assert not form.is_valid()
    assert "te groot" in " ".join(form.errors["photo"])
