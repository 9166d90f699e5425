"""Writing in the admin: live preview, cover upload with renditions, scheduling; and the image helper."""

import datetime
import io
import os
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from blog.models import Post
from core import images
from tests.blog.factories import PostFactory
from tests.factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


def image_bytes(size=(1600, 900), fmt="JPEG", color=(90, 120, 90), exif_orientation=None):
    picture = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    options = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "SecretCam"  # Make
        options["exif"] = exif.tobytes()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.fixture
def admin_client():
    staff = Client()
    staff.force_login(UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True))
    return staff


def field_errors(response, field):
    """The (code, message) pairs the admin form shows for a field, whatever the admin's language."""
    form = response.context["adminform"].form
    return [(error.code, " ".join(error.messages)) for error in form.errors.as_data().get(field, [])]


def post_form(**overrides):
    teacher = TeacherFactory()
    data = {
        "title": "Rust in je lijf", "slug": "rust-in-je-lijf", "language": "nl", "translation": "", "author": teacher.pk,
        "excerpt": "", "body": "Een alinea.\n\n## Een kop\n\nMeer tekst.", "sources": "", "cover_alt": "Een rustige mat bij het raam",
        "audio_title": "", "audio_transcript": "", "status": "published",
        "published_at_0": "", "published_at_1": "", "updated_on": "",
    }
    data.update(overrides)
    return data


# --- the live preview --------------------------------------------------------------------------


def test_the_preview_renders_markdown_for_staff(admin_client):
    response = admin_client.post(reverse("admin:blog_post_preview"), {"body": "## Kop\n\nTekst met **nadruk**."})
    data = response.json()
    assert '<h2 id="kop">Kop</h2>' in data["html"] and "<strong>nadruk</strong>" in data["html"]
    assert data["words"] == 4 and data["reading_minutes"] == 1


def test_the_preview_is_for_staff_only(client):
    url = reverse("admin:blog_post_preview")
    assert client.post(url, {"body": "x"}).status_code == 302  # to the admin login
    client.force_login(UserFactory(email="lezer@example.nl"))
    assert client.post(url, {"body": "x"}).status_code == 302


def test_the_edit_page_loads_the_preview_script(admin_client):
    html = admin_client.get(reverse("admin:blog_post_add")).content.decode()
    assert "/static/blog/admin_preview.js" in html
    assert f'data-preview-url="{reverse("admin:blog_post_preview")}"' in html


# --- cover upload ------------------------------------------------------------------------------


def test_an_uploaded_cover_is_re_encoded_and_gets_renditions(admin_client, client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("Mijn Foto.JPG", image_bytes(exif_orientation=6), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):  # the copies are made after the commit (core.renditions)
        response = admin_client.post(reverse("admin:blog_post_add"), post_form(cover_image=upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get()
    assert post.cover_image.name.startswith("blog/covers/") and post.cover_image.name.endswith(".jpg")
    stored = Image.open(post.cover_image.path)
    assert stored.size == (900, 1600)  # turned as the camera meant
    assert "SecretCam" not in open(post.cover_image.path, "rb").read().decode("latin-1")  # no metadata kept
    widths = [item["width"] for item in post.cover_renditions["sizes"]]
    assert widths == [480, 900]
    for item in post.cover_renditions["sizes"]:
        assert os.path.exists(os.path.join(post.cover_image.storage.location, item["name"]))
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'srcset="/media/blog/covers/' in html and " 480w" in html
    assert 'alt="Een rustige mat bij het raam"' in html


@pytest.mark.parametrize(
    "name, content, content_type",
    [("foto.jpg", b"dit is geen plaatje", "image/jpeg"), ("foto.pdf", b"%PDF-1.4 fake", "application/pdf")],
)
def test_a_non_image_upload_gets_a_clear_message_and_nothing_is_saved(admin_client, name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type=content_type)  # a new file each run: a read one is empty
    response = admin_client.post(reverse("admin:blog_post_add"), post_form(cover_image=upload))
    assert response.status_code == 200
    [(code, message)] = field_errors(response, "cover_image")
    assert code == "invalid_image" and message in response.content.decode()
    assert Post.objects.count() == 0


def test_an_oversized_upload_gets_a_clear_message_and_nothing_is_saved(admin_client, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 20_000)
    noisy = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 20_000
    upload = SimpleUploadedFile("groot.png", buffer.getvalue(), content_type="image/png")
    response = admin_client.post(reverse("admin:blog_post_add"), post_form(cover_image=upload))
    assert response.status_code == 200
    [(code, message)] = field_errors(response, "cover_image")
    assert code == "too_big" and "19.5\xa0KB" in message.replace(",", ".")
    assert message.replace("\xa0", "&nbsp;") in response.content.decode().replace("\xa0", "&nbsp;")
    assert Post.objects.count() == 0


def test_a_cover_needs_a_description(admin_client):
    upload = SimpleUploadedFile("foto.jpg", image_bytes(), content_type="image/jpeg")
    response = admin_client.post(reverse("admin:blog_post_add"), post_form(cover_image=upload, cover_alt=""))
    assert response.status_code == 200 and field_errors(response, "cover_alt")
    assert Post.objects.count() == 0


# --- scheduling in the admin -------------------------------------------------------------------


def test_scheduling_in_the_admin(admin_client, client):
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = admin_client.post(reverse("admin:blog_post_add"), post_form(
        status="scheduled", published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S"),
    ))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED and post.published_at > timezone.now()
    assert client.get(post.get_absolute_url()).status_code == 404
    listing = admin_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert timezone.localtime(post.published_at).strftime("%d-%m-%Y %H:%M") in listing


def test_scheduling_without_a_time_is_refused(admin_client):
    response = admin_client.post(reverse("admin:blog_post_add"), post_form(status="scheduled"))
    assert response.status_code == 200 and field_errors(response, "published_at")
    assert Post.objects.count() == 0


def test_publish_now_action(admin_client, client):
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    admin_client.post(reverse("admin:blog_post_changelist"), {"action": "publish_now", "_selected_action": [post.pk]})
    assert client.get(post.get_absolute_url()).status_code == 200


def test_linking_a_translation_in_the_admin_links_both_ways(admin_client):
    dutch = PostFactory(slug="rust")
    response = admin_client.post(reverse("admin:blog_post_add"), post_form(slug="rest", title="Rest", language="en", translation=dutch.pk))
    assert response.status_code == 302
    english = Post.objects.get(slug="rest")
    dutch.refresh_from_db()
    assert english.translation == dutch and dutch.translation == english


# --- studio.images -----------------------------------------------------------------------------


def test_clean_upload_refuses_too_many_pixels():
    upload = SimpleUploadedFile("groot.png", image_bytes(size=(3000, 2000), fmt="PNG"))
    with pytest.raises(ValidationError, match="te groot om te verwerken"):
        images.clean_upload(upload, max_pixels=5_000_000)


def test_clean_upload_refuses_a_truncated_image():
    data = image_bytes(size=(800, 600))
    with pytest.raises(ValidationError, match="beschadigd"):
        images.clean_upload(SimpleUploadedFile("half.jpg", data[: len(data) // 2]))


def test_clean_upload_keeps_transparency_as_png():
    picture = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    cleaned = images.clean_upload(SimpleUploadedFile("../../Logo Studio.png", buffer.getvalue()))
    assert re.fullmatch(r"[0-9a-f]{32}\.png", cleaned.name)  # the uploaded name is never used
    assert Image.open(io.BytesIO(cleaned.read())).mode == "RGBA"
