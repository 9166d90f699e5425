"""`python manage.py import_posts FILE...` on the two articles of the old site."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from blog.models import Post
from blog.text import WORDS_PER_MINUTE
from studio.models import Page
from tests.factories import PageFactory, TeacherFactory

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "content"
CONTENT = SHARED if (SHARED / "spier-van-de-ziel.txt").exists() else REPO / "blog" / "demo_content"
ZIEL = CONTENT / "spier-van-de-ziel.txt"
SPANNING = CONTENT / "psoas-spanning-vasthouden.txt"
GARBLED = ("Ć", "Ʃ", "ƫ", "Ā")

pytestmark = pytest.mark.django_db


def run_import(*files, **options):
    out, err = StringIO(), StringIO()
    call_command("import_posts", *[str(path) for path in files], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def imported():
    TeacherFactory()  # Manoek Klootwijk, named in the second article
    run_import(SPANNING, ZIEL, publish=True)
    return {
        "ziel": Post.objects.get(slug="de-spier-van-de-ziel-waarom-de-psoas-de-sleutel-is-tot-minder-stress"),
        "spanning": Post.objects.get(slug="je-psoas-de-spier-die-spanning-vasthoudt-en-wat-je-eraan-kunt-doen"),
    }


def page_html(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_titles_are_exact(imported):
    assert imported["ziel"].title == "De Spier van de Ziel: Waarom de Psoas de Sleutel is tot Minder Stress"
    assert imported["spanning"].title == "Je psoas: de spier die spanning vasthoudt (en wat je eraan kunt doen)"


def test_headings_and_lists_are_recognised_on_the_page(client, imported):
    html = page_html(client, imported["ziel"])
    assert '<h2 id="een-mysterieus-en-krachtig-weefsel">Een Mysterieus en Krachtig Weefsel</h2>' in html
    assert re.search(r'<h3 id="[^"]+">1\. Begin met Bewustzijn: Yoga Nidra Body Scan</h3>', html)
    assert "<li>Laat je knieën tegen elkaar aan rusten</li>" in html
    assert "<blockquote>" in html
    spanning = page_html(client, imported["spanning"])
    assert '<h2 id="wat-is-de-psoas">Wat is de psoas?</h2>' in spanning
    assert "<li>lage rugpijn of een zeurende onderrug</li>" in spanning


def test_the_nine_sources_are_listed_in_order_under_the_article(client, imported):
    post = imported["ziel"]
    assert len(post.source_list) == 9
    assert post.source_list[0].startswith("Santaguida, P.L. & McGill, S.M. (1995)")
    assert post.source_list[-1] == "Koch, L. The Psoas Book - Celebrating the Muscle of the Soul (diverse edities)."
    html = page_html(client, post)
    section = html[html.index('id="post-sources"') :]
    items = re.findall(r"<li>(.*?)</li>", section[: section.index("</section>")])
    assert len(items) == 9
    assert items[0].startswith("Santaguida, P.L. &amp; McGill") and items[3].startswith("Psychiatry Institute (2024)")
    assert "Bronnen" not in post.body


def test_no_garbled_character_reaches_the_page(client, imported):
    for post in imported.values():
        html = page_html(client, post)
        for char in GARBLED:
            assert char not in html, f"{char!r} in {post.slug}"
    html = page_html(client, imported["ziel"])
    assert "dit één van de weinige poses" in html and "het creëren van voorwaarden" in html and "'geïnsereerd'" in html


def test_reading_time_is_computed_from_the_text(client, imported):
    ziel = imported["ziel"]
    assert 1500 < ziel.word_count < 2500
    assert ziel.reading_minutes == -(-ziel.word_count // WORDS_PER_MINUTE)
    assert ziel.reading_minutes == 8  # what the old site said, computed afresh
    assert imported["spanning"].reading_minutes < ziel.reading_minutes
    assert f"{ziel.reading_minutes} minuten leestijd" in page_html(client, ziel) or f"{ziel.reading_minutes} minutes read" in page_html(client, ziel)


def test_author_and_dates_come_from_the_file(imported):
    ziel = imported["ziel"]
    assert ziel.author.name == "Manoek Klootwijk"
    assert (ziel.published_at.month, ziel.published_at.day) == (10, 21)
    assert (ziel.updated_on.month, ziel.updated_on.day) == (10, 22)
    assert ziel.is_updated


def test_importing_again_updates_and_never_duplicates(imported):
    ziel = imported["ziel"]
    Post.objects.filter(pk=ziel.pk).update(title="Oude titel", body="oud")
    out, _err = run_import(SPANNING, ZIEL, publish=True)
    assert "Updated" in out and "Created" not in out
    assert Post.objects.count() == 2
    ziel.refresh_from_db()
    assert ziel.title.startswith("De Spier van de Ziel") and "psoas" in ziel.body
    assert ziel.status == Post.Status.PUBLISHED


def test_without_publish_new_posts_are_drafts(client):
    run_import(SPANNING)
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert client.get(post.get_absolute_url()).status_code == 404


def test_the_tre_page_link_in_the_article_works(client, imported):
    PageFactory(key=Page.Key.TRE, title_nl="TRE®", title_en="TRE®", body_nl="Over TRE.", body_en="About TRE.")
    html = page_html(client, imported["spanning"])
    assert 'Op de <a href="/tre/" rel="noopener noreferrer">TRE®-pagina</a> lees je' in html
    assert client.get("/tre/").status_code == 200


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
        (b"- Manoek Klootwijk\n- 21 okt\nEen alinea.", "No title found"),
    ],
)
def test_a_bad_file_gives_a_clear_error_and_saves_nothing(tmp_path, content, message):
    bad = tmp_path / "kapot.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run_import(ZIEL, bad, publish=True)  # the good file is not saved either
    assert "Nothing was imported" in str(error.value) and "kapot.txt" in str(error.value) and message in str(error.value)
    assert Post.objects.count() == 0


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="bestaat-niet.txt: cannot be read"):
        run_import(tmp_path / "bestaat-niet.txt")
    assert Post.objects.count() == 0


def test_characters_it_cannot_repair_are_listed(tmp_path):
    odd = tmp_path / "vreemd.txt"
    odd.write_text("Rust in je lijf\nEen zin met een kapot teken: xĀx, helaas.\n", encoding="utf-8")
    out, err = run_import(odd)
    assert "Created" in out
    assert "vreemd.txt: could not repair line 2, column 31: 'Ā'" in err
    assert "1 character(s) could not be repaired" in err


def test_an_unknown_author_option_is_refused():
    with pytest.raises(CommandError, match="no teacher"):
        run_import(ZIEL, author="niemand")
