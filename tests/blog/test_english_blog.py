"""The English blog: the studio writes in Dutch, so English readers get the Dutch posts too, marked
"In Dutch" (lang and hreflang), inside the English site; a post's canonical address and its
alternates stay those of the post itself, and an English translation takes its original's place."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from blog.models import Post
from tests.blog.factories import CategoryFactory, PostFactory, days_ago, html_of

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def translated_pair(*, english_published_at=None, link_from="both"):
    """A Dutch post and its English translation, linked from one side or both."""
    dutch = PostFactory(slug="rust", title="Rust in je lijf", published_at=days_ago(3))
    english = PostFactory(slug="rest", title="Rest in your body", language="en", published_at=english_published_at or days_ago(2),
                          status=Post.Status.SCHEDULED if english_published_at and english_published_at > timezone.now()
                          else Post.Status.PUBLISHED)
    if link_from in ("english", "both"):
        Post.objects.filter(pk=english.pk).update(translation=dutch)
    if link_from in ("dutch", "both"):
        Post.objects.filter(pk=dutch.pk).update(translation=english)
    return dutch, english


def test_the_english_index_lists_the_dutch_posts_marked_in_dutch(client):
    PostFactory(slug="je-psoas", title="Je psoas, je vechtspier", excerpt="Over de spier die je lijf beschermt.")
    html = html_of(client, "/en/blog/")
    assert '<html lang="en">' in html
    assert '<h2 class="post-card-title" lang="nl"><a href="/en/blog/je-psoas/" hreflang="nl">Je psoas, je vechtspier</a></h2>' in html
    assert '<p class="post-card-summary" lang="nl">Over de spier die je lijf beschermt.</p>' in html
    assert '<span class="badge">In Dutch</span>' in html
    assert "those marked “In Dutch” have no English version yet" in html
    assert "There are no articles here yet." not in html


def test_the_dutch_index_carries_no_language_mark(client):
    PostFactory(slug="je-psoas", title="Je psoas, je vechtspier")
    html = html_of(client, "/blog/")
    assert '<a href="/blog/je-psoas/">Je psoas, je vechtspier</a>' in html
    assert "In het Nederlands" not in html and "hreflang=\"nl\">Je psoas" not in html


def test_english_posts_are_listed_plainly_and_mixed_with_the_dutch_newest_first(client):
    PostFactory(slug="oud", title="Een oudere tekst", published_at=days_ago(5))
    PostFactory(slug="breathing", title="Breathing out", language="en", published_at=days_ago(3))
    PostFactory(slug="nieuw", title="Een nieuwe tekst", published_at=days_ago(1))
    html = html_of(client, "/en/blog/")
    assert '<h2 class="post-card-title" lang="en"><a href="/en/blog/breathing/">Breathing out</a></h2>' in html
    assert html.index("Een nieuwe tekst") < html.index("Breathing out") < html.index("Een oudere tekst")
    assert html.count('<span class="badge">In Dutch</span>') == 2


@pytest.mark.parametrize("link_from", ["both", "english", "dutch"])
def test_an_english_translation_takes_the_place_of_its_dutch_original(client, link_from):
    translated_pair(link_from=link_from)
    english = html_of(client, "/en/blog/")
    assert "Rest in your body" in english and "Rust in je lijf" not in english and "In Dutch" not in english
    dutch = html_of(client, "/blog/")
    assert "Rust in je lijf" in dutch and "Rest in your body" not in dutch


def test_a_translation_not_yet_published_leaves_the_dutch_original_listed(client):
    translated_pair(english_published_at=timezone.now() + datetime.timedelta(days=2))
    english = html_of(client, "/en/blog/")
    assert "Rust in je lijf" in english and "Rest in your body" not in english


def test_the_english_home_page_shows_the_latest_dutch_posts_marked(client):
    PostFactory(slug="je-psoas", title="Je psoas, je vechtspier")
    html = html_of(client, "/en/")
    assert '<h3 class="post-card-title" lang="nl"><a href="/en/blog/je-psoas/" hreflang="nl">Je psoas, je vechtspier</a></h3>' in html
    assert '<span class="badge">In Dutch</span>' in html


def test_the_english_category_menu_and_page_include_dutch_posts(client):
    body = CategoryFactory(slug="lichaam", name_nl="Lichaam", name_en="Body")
    PostFactory(slug="je-psoas", title="Je psoas, je vechtspier", categories=[body])
    index = html_of(client, "/en/blog/")
    assert '<a href="/en/blog/category/lichaam/">Body</a>' in index
    category = html_of(client, "/en/blog/category/lichaam/")
    assert "<h1>Body</h1>" in category and "Je psoas, je vechtspier" in category and "In Dutch" in category


def test_a_dutch_post_in_the_english_site_keeps_its_dutch_words_and_its_own_address(client):
    PostFactory(slug="je-psoas", title="Je psoas, je vechtspier", body="Je psoas is een **diepe** spier.")
    html = html_of(client, "/en/blog/je-psoas/")
    assert '<html lang="en">' in html and ">Timetable</a>" in html  # the English menus
    assert '<h1 id="post-title" lang="nl">Je psoas, je vechtspier</h1>' in html
    assert '<div class="post-body prose" lang="nl">' in html
    assert "This article is only available in Dutch." in html
    assert f'<link rel="canonical" href="{SITE}/blog/je-psoas/">' in html
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert alternates == [("nl", f"{SITE}/blog/je-psoas/")]  # never the English copy, whose canonical is the Dutch page
    assert f'<link rel="alternate" hreflang="nl" href="{SITE}/blog/je-psoas/">' in html_of(client, "/blog/je-psoas/")


def test_a_translated_post_names_both_languages_as_alternates(client):
    translated_pair()
    for url in ("/blog/rust/", "/en/blog/rest/"):
        alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html_of(client, url))
        assert sorted(alternates) == [("en", f"{SITE}/en/blog/rest/"), ("nl", f"{SITE}/blog/rust/")]


def test_related_posts_on_a_dutch_post_in_english_stay_in_the_english_site(client):
    PostFactory(slug="je-psoas", title="Je psoas, je vechtspier")
    PostFactory(slug="adem", title="Adem en rust", published_at=days_ago(2))
    html = html_of(client, "/en/blog/je-psoas/")
    assert '<h3 class="post-card-title" lang="nl"><a href="/en/blog/adem/" hreflang="nl">Adem en rust</a></h3>' in html


def test_the_sitemap_keeps_each_post_at_its_own_address_only(client):
    PostFactory(slug="je-psoas")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/blog/je-psoas/</loc>" in xml and "/en/blog/je-psoas/" not in xml
    assert "/en/blog/</loc>" in xml


def test_the_english_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    body = CategoryFactory(slug="lichaam")
    PostFactory(categories=[body])
    PostFactory(language="en", slug="in-english")
    # count, page, categories, tags, the category menu
    cache.clear()
    with django_assert_num_queries(5):
        client.get("/en/blog/")
    for number in range(12):
        PostFactory(categories=[body], slug=f"nog-een-{number}")
        PostFactory(language="en", slug=f"another-{number}")
    translated_pair()
    cache.clear()
    with django_assert_num_queries(5):
        client.get("/en/blog/")
