"""The teacher's own profile in her back office (/lesgeven/profiel/): her text and portrait on her public
page, in both languages, a photo only with its description; only her own, never through the Django admin."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from classes.models import Teacher
from tests.factories import UserFactory, teacher_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]  # uploads in a folder of the test

URL = "/lesgeven/profiel/"
ALT_MESSAGE = "Beschrijf de foto in een paar woorden, voor mensen die hem niet kunnen zien."
NOT_AN_IMAGE = "Dit bestand is geen afbeelding die we kunnen gebruiken. Upload een foto in JPEG-, PNG- of WebP-formaat."


def portrait(name="IMG_2040.jpg"):
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((1200, 1500)).convert("RGB").save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def profile_data(**changes):
    data = {"bio_nl": "Ik geef **zachte** yoga in Breda.", "bio_en": "I teach **gentle** yoga in Breda.",
            "photo_alt_nl": "Manoek lachend op haar mat", "photo_alt_en": "Manoek smiling on her mat"}
    return {**data, **changes}


def media_files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_the_url_is_hers_in_dutch_and_english():
    assert reverse("teaching:profile") == URL
    with translation.override("en"):
        assert reverse("teaching:profile") == "/en/teaching/profile/"


def test_the_back_office_menu_links_to_her_profile(client, teacher):
    client.force_login(teacher.user)
    html = client.get(reverse("bookings:teacher_overview")).content.decode()
    assert f'<a href="{URL}">Mijn profiel</a>' in html


def test_the_form_asks_her_text_and_portrait_and_nothing_only_the_admin_decides(client, teacher):
    client.force_login(teacher.user)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Mijn profiel</h1>" in html
    for name in ("bio_nl", "bio_en", "photo", "photo_alt_nl", "photo_alt_en"):
        assert f'name="{name}"' in html, name
    for name in ("user", "slug", "is_active"):
        assert f'name="{name}"' not in html, name
    assert 'accept="image/jpeg,image/png,image/webp"' in html and 'enctype="multipart/form-data"' in html
    assert f'href="{teacher.get_absolute_url()}"' in html


def test_she_writes_her_text_and_uploads_her_portrait_and_clients_see_them(client, teacher, django_capture_on_commit_callbacks):
    public = teacher.get_absolute_url()
    client.get(public)  # the public page is in the cache now
    client.force_login(teacher.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, profile_data(photo=portrait()))
    assert response.status_code == 302 and response["Location"] == URL
    assert "Je profiel is opgeslagen en staat nu op je pagina." in client.get(URL).content.decode()

    teacher.refresh_from_db()
    assert teacher.bio_nl == "Ik geef **zachte** yoga in Breda." and teacher.photo_alt_en == "Manoek smiling on her mat"
    assert teacher.photo.name.startswith("teachers/") and not teacher.photo.name.endswith("IMG_2040.jpg")  # re-encoded, new name
    assert [size["width"] for size in teacher.photo_renditions["sizes"]] == [480, 960, 1200]

    client.logout()
    dutch = client.get(public).content.decode()
    assert "<strong>zachte</strong>" in dutch
    img = re.search(r'<img class="picture teacher-photo"[^>]*>', dutch)[0]
    assert 'alt="Manoek lachend op haar mat"' in img and "480w" in img
    with translation.override("en"):
        english = client.get(teacher.get_absolute_url()).content.decode()
    assert "<strong>gentle</strong>" in english and 'alt="Manoek smiling on her mat"' in english


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_portrait_without_a_description_is_refused_and_nothing_saved(client, teacher, media, alt):
    client.force_login(teacher.user)
    response = client.post(URL, profile_data(photo=portrait(), photo_alt_nl=alt, bio_nl="Nieuwe tekst."))
    html = response.content.decode()
    assert response.status_code == 400 and ALT_MESSAGE in html
    assert 'href="#id_photo_alt_nl"' in html  # the summary at the top links to the field
    teacher.refresh_from_db()
    assert not teacher.photo and teacher.bio_nl == "Manoek geeft trauma-bewuste yoga." and media_files(media) == []


@pytest.mark.parametrize("content", [b"<?php echo 1; ?>", b"GIF89a" + b"\x00" * 40], ids=["script", "gif"])
def test_a_file_that_is_not_a_photo_we_take_is_refused_with_a_message_and_nothing_saved(client, teacher, media, content):
    client.force_login(teacher.user)
    upload = SimpleUploadedFile("portret.jpg", content, content_type="image/jpeg")
    response = client.post(URL, profile_data(photo=upload, bio_nl="Nieuwe tekst."))
    assert response.status_code == 400
    assert "geldige afbeelding" in response.content.decode() or NOT_AN_IMAGE in response.content.decode()
    teacher.refresh_from_db()
    assert not teacher.photo and teacher.bio_nl == "Manoek geeft trauma-bewuste yoga." and media_files(media) == []


def test_a_real_gif_is_refused_with_the_formats_we_take(client, teacher, media):
    buffer = io.BytesIO()
    Image.new("P", (60, 60)).save(buffer, "GIF")
    client.force_login(teacher.user)
    response = client.post(URL, profile_data(photo=SimpleUploadedFile("zwaai.gif", buffer.getvalue(), content_type="image/gif")))
    assert response.status_code == 400 and NOT_AN_IMAGE in response.content.decode()
    assert media_files(media) == []


def test_a_client_gets_no_profile_page(client):
    client.force_login(UserFactory(email="sanne@example.nl"))
    assert client.get(URL).status_code == 404
    assert client.post(URL, profile_data()).status_code == 404


def test_signed_out_she_is_asked_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_another_teacher_edits_only_her_own_profile(client, teacher):
    colleague = teacher_with_role(slug="ilse", bio_nl="Ilse geeft yin.",
                                  user=UserFactory(email="ilse@example.nl", first_name="Ilse", is_staff=True))
    client.force_login(colleague.user)
    html = client.get(URL).content.decode()
    assert "Ilse geeft yin." in html and "Manoek geeft" not in html
    assert client.post(URL, profile_data(bio_nl="Ilse over zichzelf.")).status_code == 302

    assert Teacher.objects.get(pk=colleague.pk).bio_nl == "Ilse over zichzelf."
    assert Teacher.objects.get(pk=teacher.pk).bio_nl == "Manoek geeft trauma-bewuste yoga."


def test_an_admin_who_does_not_teach_is_told_so(client):
    from django.contrib.auth.models import Group

    admin = UserFactory(email="beheer@example.nl", is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name="Admin")[0])
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 200 and "geen docentenpagina" in response.content.decode()
    assert 'name="bio_nl"' not in response.content.decode()
