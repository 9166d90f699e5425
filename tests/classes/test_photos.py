"""Photos of offerings, teachers and pages: WebP copies made on save, shown with {% picture %},
a description required with every photo, and the studio's own drawings while there is none."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from PIL import Image

from bookings.teaching.timetable_forms import OfferingForm as TeachingOfferingForm
from classes.forms import TeacherForm
from classes.models import Offering, Teacher
from core import renditions
from core.templatetags.pictures import drawing_size
from studio.admin import PageForm
from studio.models import Page
from tests.factories import OfferingFactory, PageFactory, StyleFactory, TeacherFactory

pytestmark = pytest.mark.django_db

ALT_MESSAGE = "Beschrijf de foto in een paar woorden, voor mensen die hem niet kunnen zien."
ILLUSTRATIONS = Path(__file__).resolve().parents[2] / "static" / "img" / "illustrations"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(size=(1600, 1000), name="IMG_0001.jpg"):
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize(size).convert("RGB").save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def teacher_data(teacher, **changes):
    data = {"user": teacher.user_id, "slug": teacher.slug, "bio_nl": "Manoek.", "bio_en": "", "photo_alt_nl": "Manoek op haar mat",
            "photo_alt_en": "Manoek on her mat", "is_active": "on"}
    return {**data, **changes}


def save_teacher_photo(teacher, upload, django_capture_on_commit_callbacks, **changes):
    form = TeacherForm(data=teacher_data(teacher, **changes), files={"photo": upload}, instance=teacher)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()
    teacher.refresh_from_db()
    return teacher


def stored(media, name):
    return (media / name).exists()


# Copies made on save ---------------------------------------------------------------------------------


def test_a_new_photo_gets_webp_copies_never_wider_than_the_photo(media, django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg((1000, 750)), django_capture_on_commit_callbacks)

    made = teacher.photo_renditions
    assert made["source"] == teacher.photo.name
    assert [(size["width"], size["height"]) for size in made["sizes"]] == [(480, 360), (960, 720), (1000, 750)]
    for size in made["sizes"]:
        assert size["name"].endswith(".webp") and stored(media, size["name"])
        with Image.open(media / size["name"]) as copy:
            assert copy.format == "WEBP" and copy.size == (size["width"], size["height"])


def test_a_replaced_photo_takes_its_old_copies_with_it(media, django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg(), django_capture_on_commit_callbacks)
    old = [size["name"] for size in teacher.photo_renditions["sizes"]]

    teacher = save_teacher_photo(teacher, jpeg((800, 800)), django_capture_on_commit_callbacks)

    assert not any(stored(media, name) for name in old)
    assert [size["width"] for size in teacher.photo_renditions["sizes"]] == [480, 800]
    assert all(stored(media, size["name"]) for size in teacher.photo_renditions["sizes"])


def test_saving_without_a_new_photo_makes_nothing_again(django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg(), django_capture_on_commit_callbacks)
    made = teacher.photo_renditions
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        teacher.bio_nl = "Anders."
        teacher.save()
    assert callbacks == []
    teacher.refresh_from_db()
    assert teacher.photo_renditions == made


def test_a_deleted_teacher_leaves_no_copies(media, django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg(), django_capture_on_commit_callbacks)
    names = [size["name"] for size in teacher.photo_renditions["sizes"]]
    with django_capture_on_commit_callbacks(execute=True):
        teacher.delete()
    assert names and not any(stored(media, name) for name in names)


def test_a_photo_that_cannot_be_read_is_shown_as_it_is_and_not_tried_again(media, django_capture_on_commit_callbacks):
    offering = OfferingFactory(style=StyleFactory(slug="yin"))
    offering.photo.save("broken.jpg", ContentFile(b"not really a jpeg"), save=False)
    with django_capture_on_commit_callbacks(execute=True):
        offering.save()
    offering.refresh_from_db()
    assert offering.photo_renditions == {"source": "offerings/broken.jpg", "sizes": []}
    assert renditions.refresh_now(offering, field="photo", renditions="photo_renditions") == offering.photo_renditions
    html = Template("{% load pictures %}{% picture o.photo o.photo_renditions alt='x' %}").render(Context({"o": offering}))
    assert f'src="{offering.photo.url}"' in html and "srcset" not in html


def test_the_copies_of_a_photo_replaced_meanwhile_are_not_kept(media):
    teacher = TeacherFactory()
    teacher.photo.save("first.jpg", ContentFile(jpeg().read()), save=False)
    Teacher.objects.filter(pk=teacher.pk).update(photo="teachers/newer.jpg")  # a newer upload came in meanwhile
    assert renditions.refresh_now(teacher, field="photo", renditions="photo_renditions") == {}
    assert Teacher.objects.get(pk=teacher.pk).photo_renditions == {}
    assert not list((media / "teachers").rglob("*.webp"))


# The description a photo needs -------------------------------------------------------------------------


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_teacher_photo_without_a_description_is_refused_and_nothing_saved(media, alt):
    teacher = TeacherFactory()
    form = TeacherForm(data=teacher_data(teacher, photo_alt_nl=alt), files={"photo": jpeg()}, instance=teacher)
    assert not form.is_valid()
    assert form.errors["photo_alt_nl"] == [ALT_MESSAGE]
    teacher.refresh_from_db()
    assert not teacher.photo and not list(media.rglob("*.*"))


def test_a_teacher_without_a_photo_needs_no_description():
    teacher = TeacherFactory()
    form = TeacherForm(data=teacher_data(teacher, photo_alt_nl=""), instance=teacher)
    assert form.is_valid(), form.errors


def test_clearing_the_description_of_a_kept_photo_is_refused(django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg(), django_capture_on_commit_callbacks)
    form = TeacherForm(data=teacher_data(teacher, photo_alt_nl=""), instance=teacher)
    assert not form.is_valid() and form.errors["photo_alt_nl"] == [ALT_MESSAGE]
    teacher.refresh_from_db()
    assert teacher.photo_alt_nl == "Manoek op haar mat"


def test_a_page_photo_without_a_description_is_refused_and_nothing_saved(media):
    page = PageFactory(key=Page.Key.ABOUT, title_nl="Over ons", title_en="About us")
    data = {"key": page.key, "title_nl": page.title_nl, "body_nl": page.body_nl, "title_en": page.title_en, "body_en": page.body_en,
            "image_alt_nl": "", "image_alt_en": ""}
    form = PageForm(data=data, files={"image": jpeg()}, instance=page)
    assert not form.is_valid() and form.errors["image_alt_nl"] == [ALT_MESSAGE]
    page.refresh_from_db()
    assert not page.image and not list(media.rglob("*.*"))


def test_a_page_photo_that_is_not_an_image_is_refused_with_a_message():
    page = PageFactory(key=Page.Key.ABOUT)
    data = {"key": page.key, "title_nl": "Over", "body_nl": "x", "title_en": "About", "body_en": "x", "image_alt_nl": "De zaal", "image_alt_en": ""}
    form = PageForm(data=data, files={"image": SimpleUploadedFile("zaal.jpg", b"<?php ?>", content_type="image/jpeg")}, instance=page)
    assert not form.is_valid()
    assert "geldige afbeelding" in " ".join(form.errors["image"])


def test_the_admin_saves_a_page_photo_with_its_copies(client, django_capture_on_commit_callbacks, media):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="eigenaar@example.nl", is_staff=True, is_superuser=True))
    page = PageFactory(key=Page.Key.ABOUT, title_nl="Over ons", title_en="About us")
    data = {"key": page.key, "title_nl": "Over ons", "body_nl": "Tekst", "title_en": "About us", "body_en": "Text",
            "image": jpeg(), "image_alt_nl": "De zaal in de ochtend", "image_alt_en": "The room in the morning"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:studio_page_change", args=[page.pk]), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.image and page.image_renditions["source"] == page.image.name and page.image_renditions["sizes"]


def test_the_teachers_offering_form_says_it_once(yin_style):
    data = {"name_nl": "Zachte yin", "name_en": "Gentle yin", "summary_nl": "Rustig.", "summary_en": "Calm.", "kind": "group",
            "style": yin_style.pk, "level": "all", "description_nl": "Een les.", "description_en": "", "what_to_expect_nl": "Rust.",
            "what_to_expect_en": "", "duration_minutes": "60", "default_capacity": "10", "session_count": "1", "drop_in_price": "17,50",
            "photo_alt_nl": "", "photo_alt_en": "", "is_shown": "on", "position": "3"}
    form = TeachingOfferingForm(data=data, files={"photo": jpeg()}, instance=Offering())
    assert not form.is_valid()
    assert form.errors["photo_alt_nl"] == [ALT_MESSAGE]


@pytest.fixture
def yin_style(db):
    return StyleFactory(slug="yin")


# {% picture %} -----------------------------------------------------------------------------------------


def render(template, **context):
    return Template("{% load pictures %}" + template).render(Context(context))


def attributes(html):
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', html))


def test_a_photo_is_shown_with_its_sizes_lazy_and_in_the_pages_language(django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg((1600, 1000)), django_capture_on_commit_callbacks)
    template = '{% picture t.photo t.photo_renditions alt=t.photo_alt sizes="20rem" css="teacher-photo" %}'
    with translation.override("en"):
        english = attributes(render(template, t=teacher))
    dutch = attributes(render(template, t=teacher))

    assert dutch["alt"] == "Manoek op haar mat" and english["alt"] == "Manoek on her mat"
    assert [entry.split()[1] for entry in dutch["srcset"].split(", ")] == ["480w", "960w", "1440w"]
    assert all(".webp " in entry for entry in dutch["srcset"].split(", "))
    assert (dutch["width"], dutch["height"], dutch["sizes"]) == ("1440", "900", "20rem")
    assert dutch["loading"] == "lazy" and dutch["decoding"] == "async" and "fetchpriority" not in dutch
    assert dutch["class"] == "picture teacher-photo"


def test_a_phone_chooses_among_the_smaller_copies_only(django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg((1600, 1000)), django_capture_on_commit_callbacks)
    html = render('{% picture t.photo t.photo_renditions alt=t.photo_alt sizes="100vw" %}', t=teacher)
    source = attributes(re.search(r"<source [^>]*>", html)[0])
    assert html.startswith("<picture><source ") and html.endswith("</picture>")
    assert source["media"] == "(max-width: 47.99rem)" and source["sizes"] == "100vw"
    assert [entry.split()[1] for entry in source["srcset"].split(", ")] == ["480w", "960w"]

    small = save_teacher_photo(teacher, jpeg((900, 600)), django_capture_on_commit_callbacks)
    assert render("{% picture t.photo t.photo_renditions %}", t=small).startswith("<img "), "no largest copy to keep from phones"


def test_a_picture_at_the_top_is_fetched_at_once():
    teacher = Teacher(photo="teachers/a.jpg", photo_renditions={"source": "teachers/a.jpg", "sizes": [
        {"width": 480, "height": 320, "name": "teachers/renditions/a-480w.webp"}]})
    html = attributes(render("{% picture t.photo t.photo_renditions alt='Manoek' eager=True %}", t=teacher))
    assert html["fetchpriority"] == "high" and "loading" not in html
    assert html["src"] == "/media/teachers/renditions/a-480w.webp"


def test_an_english_alt_falls_back_to_the_dutch_one(django_capture_on_commit_callbacks):
    teacher = save_teacher_photo(TeacherFactory(), jpeg(), django_capture_on_commit_callbacks, photo_alt_en="")
    with translation.override("en"):
        assert attributes(render("{% picture t.photo t.photo_renditions alt=t.photo_alt %}", t=teacher))["alt"] == "Manoek op haar mat"


def test_without_a_photo_the_drawing_stands_in_decoratively_with_its_size():
    html = attributes(render('{% picture "" None fallback="img/illustrations/yin.svg" %}'))
    assert html["src"] == "/static/img/illustrations/yin.svg"
    assert (html["alt"], html["width"], html["height"]) == ("", "600", "400")
    assert html["class"] == "picture is-drawing"


def test_without_a_photo_or_a_drawing_nothing_is_shown():
    assert render('{% picture "" None alt="x" %}') == ""


@pytest.mark.parametrize(("kind", "style", "drawing"), [
    (Offering.Kind.GROUP, "hatha", "hatha"), (Offering.Kind.GROUP, "balans", "balans"), (Offering.Kind.GROUP, "yin", "yin"),
    (Offering.Kind.PROGRAMME, "tre", "tre"), (Offering.Kind.ONE_TO_ONE, "tre", "one-to-one"), (Offering.Kind.GROUP, "pilates", "hero"),
])
def test_each_offering_has_a_drawing_of_its_style_or_kind(kind, style, drawing):
    assert Offering(kind=kind, style=StyleFactory(slug=style)).illustration == f"img/illustrations/{drawing}.svg"


def test_the_drawings_are_small_and_sized():
    names = {path.stem for path in ILLUSTRATIONS.glob("*.svg")}
    assert {"hatha", "balans", "yin", "tre", "one-to-one", "hero", "teacher"} <= names
    for path in ILLUSTRATIONS.glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        assert path.stat().st_size < 6_000, path
        assert "<script" not in text and "href=" not in text, f"{path.name}: nothing fetched or run"
        assert drawing_size(f"img/illustrations/{path.name}") != (None, None), path


# The pages that show them ------------------------------------------------------------------------------


def test_the_offering_page_shows_its_photo_or_its_styles_drawing(client, django_capture_on_commit_callbacks):
    offering = OfferingFactory(style=StyleFactory(slug="hatha"))
    html = client.get(offering.get_absolute_url()).content.decode()
    assert re.search(r'<img class="picture offering-photo is-drawing" src="/static/img/illustrations/hatha.svg"[^>]* alt=""', html)

    offering.photo_alt_nl = "Een les in de Boomzaal"
    offering.photo.save("zaal.jpg", ContentFile(jpeg().read()), save=False)
    with django_capture_on_commit_callbacks(execute=True):
        offering.save()
    html = client.get(offering.get_absolute_url()).content.decode()
    img = attributes(re.search(r'<img class="picture offering-photo"[^>]*>', html)[0])
    assert img["alt"] == "Een les in de Boomzaal" and "480w" in img["srcset"] and img["fetchpriority"] == "high"


def test_the_teacher_page_shows_a_drawing_until_there_is_a_portrait(client):
    teacher = TeacherFactory()
    html = client.get(teacher.get_absolute_url()).content.decode()
    assert 'src="/static/img/illustrations/teacher.svg"' in html


def test_the_home_hero_is_the_about_pages_photo_else_the_drawing(client, django_capture_on_commit_callbacks):
    page = PageFactory(key=Page.Key.ABOUT, title_nl="Over", title_en="About")
    assert 'class="picture hero-picture is-drawing" src="/static/img/illustrations/hero.svg"' in client.get("/").content.decode()

    page.image_alt_nl, page.image_alt_en = "De zaal met matten in het ochtendlicht", "The room with mats in the morning light"
    page.image.save("zaal.jpg", ContentFile(jpeg().read()), save=False)
    with django_capture_on_commit_callbacks(execute=True):
        page.save()
    dutch, english = client.get("/").content.decode(), client.get("/en/").content.decode()
    hero = attributes(re.search(r'<img class="picture hero-picture"[^>]*>', dutch)[0])
    assert hero["alt"] == "De zaal met matten in het ochtendlicht" and hero["fetchpriority"] == "high" and "960w" in hero["srcset"]
    assert 'alt="The room with mats in the morning light"' in english
    about = client.get(reverse("about")).content.decode()
    assert 'class="picture page-photo"' in about
