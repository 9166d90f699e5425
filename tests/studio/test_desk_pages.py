"""The studio's own pages at the admin's desk (/boekhouding/paginas/): about, TRE, privacy and terms, their
texts in both languages and a photo with its description, edited without the Django admin; a save shows
on the cached public pages at once. Only the admin reaches them."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from studio.models import Page
from tests.factories import PageFactory, UserFactory, teacher_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]  # uploads in a folder of the test

LIST = "/boekhouding/paginas/"
ABOUT = "/boekhouding/paginas/about/"
ALT_MESSAGE = "Beschrijf de foto in een paar woorden, voor mensen die hem niet kunnen zien."


@pytest.fixture
def at_desk(client):
    admin = UserFactory(email="beheer@example.nl", first_name="Anna", is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name="Admin")[0])
    client.force_login(admin)
    return client


@pytest.fixture
def about(db):
    return PageFactory(key=Page.Key.ABOUT, title_nl="Over de studio", title_en="About the studio",
                       body_nl="Een **rustige** plek.", body_en="A **quiet** place.")


def photo():
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((1600, 1067)).convert("RGB").save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("zaal.jpg", buffer.getvalue(), content_type="image/jpeg")


def page_data(**changes):
    data = {"title_nl": "Over de studio", "body_nl": "Een **warme** plek in Breda.", "title_en": "About the studio",
            "body_en": "A **warm** place in Breda.", "image_alt_nl": "De zaal met matten in het ochtendlicht",
            "image_alt_en": "The room with mats in the morning light"}
    return {**data, **changes}


def test_the_desk_menu_links_to_the_pages_and_they_list_all_four(at_desk, about):
    desk = at_desk.get("/boekhouding/").content.decode()
    assert f'<a href="{LIST}">Pagina\'s</a>' in desk
    html = at_desk.get(LIST).content.decode()
    for key in ("about", "tre", "privacy", "terms"):
        assert f'href="/boekhouding/paginas/{key}/"' in html, key
    assert "Over de studio" in html and "Nog niet geschreven" in html  # TRE, privacy and terms are not written here
    assert f'href="{about_url()}">Bekijk op de site' in html


def test_the_form_asks_both_languages_and_the_photo_with_its_description(at_desk, about):
    html = at_desk.get(ABOUT).content.decode()
    for name in ("title_nl", "body_nl", "title_en", "body_en", "image", "image_alt_nl", "image_alt_en"):
        assert f'name="{name}"' in html, name
    assert 'name="key"' not in html and 'accept="image/jpeg,image/png,image/webp"' in html


def test_the_admin_saves_a_photo_and_text_and_the_cached_pages_show_them(at_desk, about, client, django_capture_on_commit_callbacks):
    from django.test import Client

    reader = Client()
    assert 'class="picture hero-picture is-drawing"' in reader.get("/").content.decode()  # cached now
    assert "rustige" in reader.get(about_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = at_desk.post(ABOUT, page_data(image=photo()))
    assert response.status_code == 302 and response["Location"] == LIST
    assert "is opgeslagen en staat nu op de site" in at_desk.get(LIST).content.decode()

    page = Page.objects.get(key=Page.Key.ABOUT)
    assert page.image_renditions["source"] == page.image.name and page.image_renditions["sizes"]
    hero = re.search(r'<img class="picture hero-picture"[^>]*>', reader.get("/").content.decode())[0]
    assert 'alt="De zaal met matten in het ochtendlicht"' in hero and "960w" in hero
    about_html = reader.get(about_url()).content.decode()
    assert "<strong>warme</strong>" in about_html and 'class="picture page-photo"' in about_html
    with translation.override("en"):
        assert "<strong>warm</strong>" in reader.get(about_url()).content.decode()


def test_a_page_not_written_yet_is_written_here(at_desk):
    response = at_desk.post("/boekhouding/paginas/tre/", page_data(title_nl="Over TRE", title_en="About TRE", image_alt_nl="",
                                                                    image_alt_en=""))
    assert response.status_code == 302
    assert Page.objects.get(key=Page.Key.TRE).title_nl == "Over TRE"


def test_a_photo_without_a_description_is_refused_and_nothing_saved(at_desk, about, media):
    response = at_desk.post(ABOUT, page_data(image=photo(), image_alt_nl="", body_nl="Andere tekst."))
    assert response.status_code == 400 and ALT_MESSAGE in response.content.decode()
    about.refresh_from_db()
    assert not about.image and about.body_nl == "Een **rustige** plek." and not list(media.rglob("*.*"))


def test_a_file_that_is_not_an_image_is_refused_and_nothing_saved(at_desk, about, media):
    upload = SimpleUploadedFile("zaal.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    response = at_desk.post(ABOUT, page_data(image=upload, body_nl="Andere tekst."))
    assert response.status_code == 400 and "geldige afbeelding" in response.content.decode()
    about.refresh_from_db()
    assert not about.image and about.body_nl == "Een **rustige** plek." and not list(media.rglob("*.*"))


def test_an_empty_title_is_refused_and_nothing_saved(at_desk, about):
    response = at_desk.post(ABOUT, page_data(title_en=""))
    assert response.status_code == 400
    about.refresh_from_db()
    assert about.title_en == "About the studio" and about.body_nl == "Een **rustige** plek."


def test_an_unknown_page_is_not_found(at_desk):
    assert at_desk.get("/boekhouding/paginas/geheim/").status_code == 404


def test_teachers_and_clients_cannot_reach_the_pages(client, about):
    teacher = teacher_with_role()
    for person in (teacher.user, UserFactory(email="sanne@example.nl")):
        client.force_login(person)
        for url in (LIST, ABOUT):
            assert client.get(url).status_code == 404, url
        assert client.post(ABOUT, page_data(body_nl="Overgenomen.")).status_code == 404
    about.refresh_from_db()
    assert about.body_nl == "Een **rustige** plek."


def test_the_english_photo_description_falls_back_to_the_dutch(about):
    about.image_alt_nl, about.image_alt_en = "De zaal", ""
    with translation.override("en"):
        assert about.image_alt == "De zaal" and about.title == "About the studio"
    assert about.title == "Over de studio"


def about_url():
    from django.urls import reverse

    return reverse("about")
