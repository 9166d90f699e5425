"""The blog's pages: the index, a post with its calls to action, related posts and metadata."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post
from bookings.models import BookingPolicy
from tests.blog.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory, days_ago, html_of, long_body
from tests.factories import OfferingFactory, SessionFactory, StyleFactory

pytestmark = pytest.mark.django_db


# --- the index ---------------------------------------------------------------------------------


def test_index_lists_published_posts_newest_first_in_the_readers_language(client):
    older = PostFactory(title="Oudere tekst", published_at=days_ago(5))
    newer = PostFactory(title="Nieuwere tekst", published_at=days_ago(1))
    PostFactory(title="Nog een concept", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="An English article", language="en")
    html = html_of(client, "/blog/")
    assert html.index(newer.title) < html.index(older.title)
    assert "Nog een concept" not in html and "An English article" not in html
    english = html_of(client, "/en/blog/")
    assert "An English article" in english and "Nog een concept" not in english


def test_an_empty_index_says_so(client):
    html = html_of(client, "/en/blog/")
    assert "There are no articles here yet." in html


def test_index_is_paginated(client):
    for day in range(12):
        PostFactory(title=f"Artikel {day:02d}", published_at=days_ago(day + 1))
    first = html_of(client, "/blog/")
    assert "Artikel 00" in first and "Artikel 09" in first and "Artikel 10" not in first
    assert 'rel="next" href="?page=2"' in first
    second = html_of(client, "/blog/?page=2")
    assert "Artikel 10" in second and "Artikel 11" in second and "Artikel 00" not in second
    assert '<link rel="canonical" href="http://127.0.0.1:8000/blog/?page=2">' in second
    assert client.get("/blog/?page=twee").status_code == 404


def test_a_page_past_the_last_sends_her_to_the_last_page(client):
    """Switching language on /en/blog/?page=3 lands on /blog/?page=3, and the Dutch index may have fewer
    pages: she goes to its last page (the other parts of the query kept), not to a 404."""
    for day in range(12):
        PostFactory(title=f"Artikel {day:02d}", published_at=days_ago(day + 1))
    response = client.get("/blog/?page=3")
    assert response.status_code == 302 and response["Location"] == "/blog/?page=2"
    assert "Artikel 11" in html_of(client, response["Location"])
    response = client.get("/blog/?utm_source=nieuwsbrief&page=7")
    assert response.status_code == 302 and response["Location"] == "/blog/?utm_source=nieuwsbrief&page=2"
    response = client.get("/blog/?page=0")
    assert response.status_code == 302 and response["Location"] == "/blog/"


def test_a_page_past_the_last_of_a_short_index_goes_to_the_index_itself(client):
    PostFactory(title="Het enige artikel")
    response = client.get("/en/blog/?page=3")  # the Dutch article is listed in English too
    assert response.status_code == 302 and response["Location"] == "/en/blog/"
    body = CategoryFactory(slug="lichaam", name_nl="Lichaam")
    response = client.get(body.get_absolute_url() + "?page=2")
    assert response.status_code == 302 and response["Location"] == body.get_absolute_url()


def test_index_by_category_and_by_tag(client):
    body = CategoryFactory(slug="lichaam", name_nl="Lichaam")
    psoas = TagFactory(slug="psoas", name="psoas")
    in_both = PostFactory(title="Over de psoas", categories=[body], tags=[psoas])
    only_category = PostFactory(title="Over je schouders", categories=[body])
    other = PostFactory(title="Over iets anders")
    by_category = html_of(client, body.get_absolute_url())
    assert in_both.title in by_category and only_category.title in by_category and other.title not in by_category
    by_tag = html_of(client, psoas.get_absolute_url())
    assert in_both.title in by_tag and only_category.title not in by_tag
    assert client.get("/blog/tag/bestaat-niet/").status_code == 404


def test_the_home_page_shows_the_latest_posts(client):
    PostFactory(title="Het nieuwste artikel", published_at=days_ago(1))
    PostFactory(title="Nog in de maak", status=Post.Status.DRAFT, published_at=None)
    html = html_of(client, "/")
    assert "Het nieuwste artikel" in html and "Nog in de maak" not in html


# --- the post page -----------------------------------------------------------------------------


def test_post_page_shows_author_dates_reading_time_and_sources(client):
    post = PostFactory(
        language="en", title="Your psoas", slug="your-psoas", body=long_body(),
        published_at=timezone.make_aware(datetime.datetime(2025, 10, 21, 9, 0)), updated_on=datetime.date(2025, 10, 22),
        sources="Koch, L. The Psoas Book.\nSantaguida, P.L. (1995). https://example.org/psoas",
    )
    html = html_of(client, "/en/blog/your-psoas/")
    assert "<h1 id=\"post-title\" lang=\"en\">Your psoas</h1>" in html
    assert 'rel="author">Manoek Klootwijk</a>' in html
    assert '<time datetime="2025-10-21T09:00:00+02:00">21 October 2025</time>' in html
    assert "Updated on <time datetime=\"2025-10-22\">22 October 2025</time>" in html
    assert f"{post.reading_minutes} minutes read" in html and post.reading_minutes >= 4
    assert '<a href="https://example.org/psoas" rel="nofollow">https://example.org/psoas</a>' in html
    assert html.index("Koch, L. The Psoas Book.") < html.index("Santaguida")


def test_a_long_post_gets_a_table_of_contents_and_a_short_one_does_not(client):
    long = PostFactory(body=long_body(), sources="Een bron.")
    short = PostFactory(body="Een korte tekst.\n\n## Eén kop\n\nNog wat.")
    html = html_of(client, long.get_absolute_url())
    toc = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))]
    assert '<a href="#deel-1-van-het-verhaal">Deel 1 van het verhaal</a>' in toc
    assert '<a href="#oefening-1">Oefening 1</a>' in toc
    assert 'href="#post-sources"' in toc
    assert '<h2 id="deel-1-van-het-verhaal">' in html
    assert 'class="toc"' not in html_of(client, short.get_absolute_url())


def test_calls_to_action_show_next_sessions_with_places_left_and_a_booking_link(client):
    yin = OfferingFactory(style=StyleFactory(slug="yin"))
    hatha = OfferingFactory(style=StyleFactory(slug="hatha"))
    soon = SessionFactory(offering=yin, starts_at=timezone.now() + datetime.timedelta(days=1), capacity=12, places_taken=9)
    full = SessionFactory(offering=yin, starts_at=timezone.now() + datetime.timedelta(days=2), capacity=6, places_taken=6)
    SessionFactory(offering=yin, starts_at=timezone.now() - datetime.timedelta(days=1))  # past
    SessionFactory(offering=yin, starts_at=timezone.now() + datetime.timedelta(days=3), status="cancelled")
    post = PostFactory(language="en", offerings=[yin, hatha])
    html = html_of(client, post.get_absolute_url())
    cta = html[html.index('class="cta"') :]
    assert f'href="{yin.get_absolute_url()}">Yin yoga</a>' in cta
    assert "3 places left" in cta
    assert f'<a class="button" href="{soon.get_absolute_url()}">Book' in cta
    assert f'<a class="button button-quiet" href="{full.get_absolute_url()}">View' in cta
    assert cta.count('class="cta-session"') == 2
    assert "No dates planned right now." in cta  # Hatha has none yet


def test_a_change_in_places_shows_at_once(client):
    yin = OfferingFactory(style=StyleFactory(slug="yin"))
    session = SessionFactory(offering=yin, capacity=12, places_taken=0)
    post = PostFactory(language="en", offerings=[yin])
    assert "12 places left" in html_of(client, post.get_absolute_url())
    session.places_taken = 11
    session.save(update_fields=["places_taken"])
    assert "1 place left" in html_of(client, post.get_absolute_url())


def test_related_posts_share_tags_first(client):
    psoas, adem = TagFactory(slug="psoas"), TagFactory(slug="adem")
    post = PostFactory(tags=[psoas, adem])
    close = PostFactory(title="Zeer verwant", tags=[psoas, adem], published_at=days_ago(30))
    near = PostFactory(title="Een beetje verwant", tags=[psoas], published_at=days_ago(20))
    PostFactory(title="Niet verwant maar nieuw", published_at=days_ago(2))
    PostFactory(title="Ook niet verwant", published_at=days_ago(3))
    html = html_of(client, post.get_absolute_url())
    related = html[html.index('class="related"') :]
    assert related.index(close.title) < related.index(near.title) < related.index("Niet verwant maar nieuw")
    assert "Ook niet verwant" not in related


def test_share_links_need_no_third_party_script(client):
    post = PostFactory(title="Rust & adem")
    html = html_of(client, post.get_absolute_url())
    assert "https://wa.me/?text=Rust%20%26%20adem%20http%3A%2F%2F127.0.0.1%3A8000%2Fblog%2F" in html
    assert "mailto:?subject=Rust%20%26%20adem" in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/ld+json"' in tag or re.search(r'src="/static/', tag), tag


def test_open_graph_json_ld_and_canonical(client):
    post = PostFactory(title="De spier van de ziel", slug="spier", excerpt="Over je psoas.", tags=[TagFactory(slug="psoas", name="psoas")])
    html = html_of(client, post.get_absolute_url())
    assert '<link rel="canonical" href="http://127.0.0.1:8000/blog/spier/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="De spier van de ziel">' in html
    assert '<meta property="og:url" content="http://127.0.0.1:8000/blog/spier/">' in html
    assert '<meta property="article:tag" content="psoas">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))
    assert data["@type"] == "Article" and data["headline"] == "De spier van de ziel"
    assert data["author"] == {"@type": "Person", "name": "Manoek Klootwijk"}
    assert data["datePublished"] == post.published_at.isoformat() and data["inLanguage"] == "nl"
    assert data["mainEntityOfPage"]["@id"] == "http://127.0.0.1:8000/blog/spier/"


def test_a_draft_or_unknown_post_is_a_404(client):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/blog/bestaat-niet/").status_code == 404


def test_a_translated_post_sends_readers_to_their_language(client):
    dutch = PostFactory(slug="rust", title="Rust")
    english = PostFactory(slug="rest", title="Rest", language="en", translation=dutch)
    Post.objects.filter(pk=dutch.pk).update(translation=english)
    response = client.get("/en/blog/rust/")
    assert response.status_code == 302 and response["Location"] == "/en/blog/rest/"
    assert 'hreflang="en" lang="en">Read this article in English</a>' in html_of(client, "/blog/rust/")


def test_a_dutch_only_post_in_english_says_so_and_points_to_its_own_address(client):
    PostFactory(slug="alleen-nederlands")
    html = html_of(client, "/en/blog/alleen-nederlands/")
    assert "This article is only available in Dutch." in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/blog/alleen-nederlands/">' in html


# --- a fixed number of queries -----------------------------------------------------------------


def _queries(client, url):
    cache.clear()  # measure the page being made, not the visitors' page cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def _lots_of_content(post_count, tag_count, comment_count, offering_count):
    tags = [TagFactory() for _ in range(tag_count)]
    categories = [CategoryFactory() for _ in range(3)]
    styles = ["yin", "hatha", "balans", "tre"]
    offerings = [OfferingFactory(style=StyleFactory(slug=styles[i % 4]), slug=f"aanbod-{i}") for i in range(offering_count)]
    for offering in offerings:
        for day in range(1, 5):
            SessionFactory(offering=offering, starts_at=timezone.now() + datetime.timedelta(days=day))
    posts = [PostFactory(tags=tags, categories=categories, offerings=offerings, body=long_body()) for _ in range(post_count)]
    for post in posts[:1]:
        for _ in range(comment_count):
            CommentFactory(post=post)
    return posts[0]


def test_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    _lots_of_content(post_count=1, tag_count=1, comment_count=0, offering_count=0)
    few = _queries(client, "/blog/")
    _lots_of_content(post_count=14, tag_count=6, comment_count=0, offering_count=0)
    assert _queries(client, "/blog/") == few
    # count, page, categories, tags, the category menu
    cache.clear()
    with django_assert_num_queries(5):
        client.get("/blog/")


def test_post_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    BookingPolicy.objects.get_or_create(pk=1)  # the studio's booking rules, as a running site has them
    small = _lots_of_content(post_count=1, tag_count=1, comment_count=1, offering_count=1)
    few = _queries(client, small.get_absolute_url())
    big = _lots_of_content(post_count=12, tag_count=8, comment_count=30, offering_count=3)
    assert _queries(client, big.get_absolute_url()) == few
    # post, categories, tags, offering ids, offerings, their sessions, comments, related posts, and the
    # booking rules (whether a session can still be booked; kept in the cache, cleared here)
    cache.clear()
    with django_assert_num_queries(9):
        client.get(big.get_absolute_url())
