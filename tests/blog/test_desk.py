"""The blog at the admin's desk: the post list, writing and scheduling, the live preview, the signed
preview link and the admin's "view on site". Comments are in test_desk_comments.py."""

import datetime
import io
import os
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from blog import preview
from blog.models import Post
from core import images
from tests.blog.factories import CategoryFactory, PostFactory, TagFactory
from tests.factories import OfferingFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)  # 09:00 in Breda
BREDA = ZoneInfo("Europe/Amsterdam")
NEW = reverse("blog_desk:post_new")


def png_bytes(size=(1200, 675), color=(120, 150, 110)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def post_data(**overrides):
    data = {
        "title": "Rust in je lijf", "slug": "", "language": "nl", "translation": "", "author": "", "excerpt": "",
        "body": "Een alinea.\n\n## Adem\n\nLangzaam in, langzaam uit.", "sources": "", "cover_alt": "",
        "audio_title": "", "audio_transcript": "", "status": "draft", "published_at": "", "updated_on": "",
    }
    data.update(overrides)
    return data


def errors_of(response, field):
    return [str(message) for message in response.context["form"].errors.get(field, [])]


# --- who may come --------------------------------------------------------------------------------


def test_the_desk_lives_under_the_books_in_both_languages():
    assert reverse("blog_desk:posts") == "/boekhouding/blog/"
    assert reverse("blog_desk:comments") == "/boekhouding/blog/reacties/"
    with translation.override("en"):
        assert reverse("blog_desk:posts") == "/en/books/blog/"


@pytest.mark.parametrize("name", ["blog_desk:posts", "blog_desk:post_new", "blog_desk:comments"])
def test_only_the_admin_opens_the_desk(client, desk_admin, client_user, teacher, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    for someone in (client_user, teacher.user):
        client.force_login(someone)
        assert client.get(url).status_code == 404
    client.force_login(desk_admin)
    page = client.get(url)
    assert page.status_code == 200
    assert 'class="teaching-nav desk-nav"' in page.content.decode()  # the desk's own menu, not /admin/


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_drafts_scheduled_with_their_time_and_published(at_desk, frozen):
    draft = PostFactory(title="Een concept over adem", status=Post.Status.DRAFT, published_at=None)
    later = PostFactory(title="Straks: Yin in de winter", status=Post.Status.SCHEDULED,
                        published_at=datetime.datetime(2026, 3, 9, 7, 30, tzinfo=datetime.UTC))
    out = PostFactory(title="Je psoas", published_at=NOW - datetime.timedelta(days=3))
    response = at_desk.get(reverse("blog_desk:posts"))
    html = response.content.decode()
    assert [p.pk for p in response.context["drafts"]] == [draft.pk]
    assert [p.pk for p in response.context["scheduled"]] == [later.pk]
    assert [p.pk for p in response.context["published"]] == [out.pk]
    assert "Verschijnt op 9 maart 2026, 08:30" in html  # Breda time
    for post in (draft, later):
        assert reverse("blog_desk:post_edit", args=[post.pk]) in html
        assert f'href="{preview.preview_url(post)}"' in html
    assert f'href="{out.get_absolute_url()}"' in html and reverse("blog_desk:post_edit", args=[out.pk]) in html
    assert "/admin/" not in html


def test_the_list_searches_by_title(at_desk):
    PostFactory(title="Je psoas en je adem")
    PostFactory(title="Yin yoga in de winter", status=Post.Status.DRAFT, published_at=None)
    response = at_desk.get(reverse("blog_desk:posts"), {"q": "PSOAS"})
    found = response.context["drafts"] + response.context["scheduled"] + response.context["published"]
    assert [post.title for post in found] == ["Je psoas en je adem"]
    assert "Artikelen met “PSOAS” in de titel." in response.content.decode()


def test_the_list_runs_the_same_few_queries_for_many_posts(at_desk, django_assert_max_num_queries):
    PostFactory(title="Eén")
    with django_assert_max_num_queries(6) as few:
        at_desk.get(reverse("blog_desk:posts"))
    for number in range(12):
        PostFactory(status=[Post.Status.DRAFT, Post.Status.PUBLISHED][number % 2], published_at=None if number % 2 == 0 else NOW,
                    categories=[CategoryFactory()], tags=[TagFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = at_desk.get(reverse("blog_desk:posts"))
    assert len(response.context["drafts"]) == 6


# --- writing ------------------------------------------------------------------------------------


def test_a_draft_gets_its_web_address_from_the_title(at_desk):
    response = at_desk.post(NEW, post_data(title="Rust in je lijf, écht"))
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("blog_desk:post_edit", args=[post.pk])
    assert (post.slug, post.status, post.published_at) == ("rust-in-je-lijf-echt", Post.Status.DRAFT, None)
    assert "<h2" in post.body_html
    page = at_desk.get(response["Location"]).content.decode()
    assert "Opgeslagen als concept. Alleen de studio ziet het." in page
    assert at_desk.get(post.get_absolute_url()).status_code == 404  # still not public


def test_the_form_offers_checkboxes_a_date_time_picker_and_the_live_preview(at_desk):
    CategoryFactory(name_nl="Psoas")
    OfferingFactory(name_nl="Yin yoga")
    html = at_desk.get(NEW).content.decode()
    assert re.search(r'<input type="checkbox" name="categories" value="\d+"', html)
    assert re.search(r'<input type="checkbox" name="offerings" value="\d+"', html)
    assert 'type="datetime-local" name="published_at"' in html
    assert f'data-preview-url="{reverse("blog_desk:markdown_preview")}"' in html
    assert "/static/blog/desk_editor.js" in html and "<script>" not in html
    assert "filter_horizontal" not in html and "SelectFilter" not in html


def test_everything_of_a_post_is_saved(at_desk, django_capture_on_commit_callbacks):
    teacher = TeacherFactory()
    category, tag, offering = CategoryFactory(name_nl="Psoas"), TagFactory(name="stress"), OfferingFactory()
    english = PostFactory(slug="your-psoas", language="en")
    upload = SimpleUploadedFile("mat.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):  # the cover's copies are made after the commit
        response = at_desk.post(NEW, post_data(
            slug="je-psoas", author=teacher.pk, translation=english.pk, excerpt="Kort.", sources="Bron een\nBron twee",
            cover_image=upload, cover_alt="Een mat bij het raam", categories=[category.pk], tags=[tag.pk], offerings=[offering.pk],
            status="published",
        ))
    assert response.status_code == 302
    post = Post.objects.get(slug="je-psoas")
    english.refresh_from_db()
    assert post.author == teacher and post.translation == english and english.translation == post
    assert list(post.categories.all()) == [category] and list(post.tags.all()) == [tag] and list(post.offerings.all()) == [offering]
    assert post.source_list == ["Bron een", "Bron twee"] and post.is_visible()
    assert post.cover_renditions["sizes"]  # smaller copies for phones
    assert 'alt="Een mat bij het raam"' in Client().get(post.get_absolute_url()).content.decode()


def test_scheduling_makes_the_post_appear_by_itself_at_its_time(at_desk, frozen):
    response = at_desk.post(NEW, post_data(status="scheduled", published_at="2026-03-05T09:30"))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED and post.published_at == datetime.datetime(2026, 3, 5, 9, 30, tzinfo=BREDA)
    assert "Het artikel verschijnt vanzelf op 5 maart 2026, 09:30." in at_desk.get(response["Location"]).content.decode()
    reader = Client()
    assert reader.get(post.get_absolute_url()).status_code == 404
    with time_machine.travel(post.published_at, tick=False):  # nobody does anything
        assert reader.get(post.get_absolute_url()).status_code == 200
        assert post.title in reader.get("/blog/feed/").content.decode()


def test_editing_keeps_the_web_address_and_saves_the_change(at_desk):
    post = PostFactory(title="Oude titel", slug="oude-titel")
    page = at_desk.get(reverse("blog_desk:post_edit", args=[post.pk])).content.decode()
    assert 'value="oude-titel"' in page and "data-new-post" not in page
    response = at_desk.post(reverse("blog_desk:post_edit", args=[post.pk]), post_data(title="Nieuwe titel", slug="oude-titel", status="published",
                                                                                  published_at=""))
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.slug) == ("Nieuwe titel", "oude-titel")


def too_big_png():
    noisy = Image.frombytes("RGB", (120, 120), os.urandom(120 * 120 * 3))
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    return SimpleUploadedFile("groot.png", buffer.getvalue(), content_type="image/png")


BAD_INPUT = {
    "missing title": (lambda: post_data(title=""), "title", "Geef het artikel een titel."),
    "cover without description": (lambda: post_data(cover_image=SimpleUploadedFile("mat.png", png_bytes(), content_type="image/png")),
                                  "cover_alt", "Beschrijf de afbeelding voor lezers die hem niet kunnen zien."),
    "scheduled without a time": (lambda: post_data(status="scheduled"), "published_at", "Kies wanneer het artikel moet verschijnen."),
    "scheduled in the past": (lambda: post_data(status="scheduled", published_at="2026-03-01T10:00"), "published_at",
                              "Kies een moment in de toekomst om het artikel in te plannen, of publiceer het nu."),
    "a time that is no time": (lambda: post_data(status="scheduled", published_at="morgen vroeg"), "published_at", "Voer een geldige datum/tijd in."),
    "reserved web address": (lambda: post_data(slug="feed"), "slug", "wordt door de website zelf gebruikt"),
    "not an image": (lambda: post_data(cover_alt="Een mat", cover_image=SimpleUploadedFile("mat.jpg", b"geen plaatje", content_type="image/jpeg")),
                     "cover_image", "Upload een geldige afbeelding."),
    "too big an image": (lambda: post_data(cover_alt="Een mat", cover_image=too_big_png()), "cover_image", "het maximum is 10,0\xa0KB"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_gets_a_clear_dutch_message_and_nothing_is_saved(at_desk, frozen, monkeypatch, settings, case):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10 * 1024)
    data, field, message = BAD_INPUT[case]
    response = at_desk.post(NEW, data())
    assert response.status_code == 400
    assert any(message in error for error in errors_of(response, field)), response.context["form"].errors
    html = response.content.decode().replace("&nbsp;", "\xa0")
    assert "Het artikel is niet opgeslagen." in html and message in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert Post.objects.count() == 0
    assert not os.path.exists(settings.MEDIA_ROOT / "blog") or not any((settings.MEDIA_ROOT / "blog").rglob("*.*"))


def test_a_web_address_in_use_is_refused_and_neither_post_changes(at_desk):
    first = PostFactory(slug="rust-in-je-lijf", title="Het eerste")
    response = at_desk.post(NEW, post_data(title="Rust in je lijf"))  # the address made from the title is taken
    assert response.status_code == 400
    assert errors_of(response, "slug") == ["Een ander artikel gebruikt dit webadres al. Kies een ander webadres."]
    assert Post.objects.count() == 1
    other = PostFactory(slug="tweede", title="Het tweede")
    response = at_desk.post(reverse("blog_desk:post_edit", args=[other.pk]), post_data(title="Gewijzigd", slug="rust-in-je-lijf"))
    assert response.status_code == 400
    other.refresh_from_db()
    first.refresh_from_db()
    assert (other.title, other.slug, first.title) == ("Het tweede", "tweede", "Het eerste")


# --- the live preview ------------------------------------------------------------------------------


def test_the_live_preview_renders_markdown_in_the_post_pages_markup(at_desk):
    response = at_desk.post(reverse("blog_desk:markdown_preview"), {
        "body": "## Adem rustig\n\nLangzaam **in**.\n\n<script>alert(1)</script><img src=x onerror=alert(2)>",
        "sources": "https://example.nl/bron", "language": "nl",
    })
    data = response.json()
    html = data["html"]
    assert '<div class="post-body prose" lang="nl">' in html and '<h2 id="adem-rustig">Adem rustig</h2>' in html
    assert "<strong>in</strong>" in html and 'id="post-sources"' in html
    assert "<script" not in html and "onerror" not in html and "alert(1)" not in html.replace("&lt;", "")
    assert data["summary"].startswith("1 minuut leestijd")


def test_the_live_preview_is_for_the_admin_and_wants_post_and_its_token(client, desk_admin, teacher):
    url = reverse("blog_desk:markdown_preview")
    client.force_login(teacher.user)
    assert client.post(url, {"body": "x"}).status_code == 404
    client.force_login(desk_admin)
    assert client.get(url).status_code == 405
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(desk_admin)
    assert careful.post(url, {"body": "x"}).status_code == 403


# --- the signed preview --------------------------------------------------------------------------


@pytest.fixture
def scheduled(frozen):
    return PostFactory(title="Straks te lezen", status=Post.Status.SCHEDULED, published_at=NOW + datetime.timedelta(days=2))


def test_the_staff_see_a_post_before_it_is_published(client, desk_admin, teacher, scheduled):
    url = preview.preview_url(scheduled)
    for someone in (desk_admin, teacher.user):
        client.force_login(someone)
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and "<h1" in html and "Straks te lezen" in html
        assert "Voorbeeld — niet gepubliceerd." in html and "Verschijnt vanzelf op 4 maart 2026, 09:00." in html
        assert '<meta name="robots" content="noindex, nofollow">' in html and response["X-Robots-Tag"] == "noindex, nofollow"
        assert 'class="comment-form"' not in html
    assert client.get(scheduled.get_absolute_url()).status_code == 404  # the public page stays closed


def test_a_draft_without_a_time_has_its_preview_too(at_desk):
    draft = PostFactory(title="Nog een concept", status=Post.Status.DRAFT, published_at=None, body="## Kop\n\nTekst.")
    html = at_desk.get(preview.preview_url(draft)).content.decode()
    assert "Nog een concept" in html and "Alleen de medewerkers van de studio zien deze pagina." in html
    assert '<h2 id="kop">Kop</h2>' in html


def test_nobody_else_sees_the_preview_even_with_the_link(client, client_user, scheduled):
    url = preview.preview_url(scheduled)
    assert client.get(url).status_code == 404
    client.force_login(client_user)
    assert client.get(url).status_code == 404


def test_a_tampered_or_old_preview_link_is_404(client, desk_admin, scheduled):
    client.force_login(desk_admin)
    token = preview.preview_token(scheduled)
    other = PostFactory(status=Post.Status.DRAFT, published_at=None)
    forged = token.replace(f"{scheduled.pk}:", f"{other.pk}:", 1)
    for bad in (forged, token[:-1] + ("A" if token[-1] != "A" else "B"), "12:abc:def"):
        assert client.get(reverse("blog_desk:preview", kwargs={"token": bad})).status_code == 404
    url = preview.preview_url(scheduled)
    with time_machine.travel(NOW + datetime.timedelta(days=1, hours=23), tick=False):  # still before it appears
        assert client.get(url).status_code == 200
    scheduled.published_at = NOW + datetime.timedelta(days=30)
    scheduled.save()
    with time_machine.travel(NOW + datetime.timedelta(days=7, minutes=1), tick=False):
        assert client.get(url).status_code == 404


def test_the_preview_of_a_post_that_is_out_sends_to_its_page(at_desk, frozen):
    post = PostFactory(published_at=NOW - datetime.timedelta(hours=1))
    response = at_desk.get(preview.preview_url(post))
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()


def test_the_admins_view_on_site_opens_the_preview_of_a_scheduled_post(client, scheduled):
    client.force_login(UserFactory(email="super@example.nl", is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:blog_post_change", args=[scheduled.pk])).content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink"', change).group(1).replace("&amp;", "&")
    assert link == preview.preview_url(scheduled)
    assert client.get(link).status_code == 200
    published = PostFactory(published_at=NOW - datetime.timedelta(days=1))
    change = client.get(reverse("admin:blog_post_change", args=[published.pk])).content.decode()
    assert f'<a href="{published.get_absolute_url()}" class="viewsitelink"' in change
