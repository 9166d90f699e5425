"""The RSS feed, the sitemap, and scheduled posts that appear by themselves at their time."""

import datetime
from email.utils import parsedate_to_datetime

import feedparser
import pytest
import time_machine
from django.utils import timezone

from blog import services
from blog.models import Post
from tests.blog.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def test_the_feed_parses_and_lists_only_published_posts(client):
    first = PostFactory(title="Eerste artikel", slug="eerste", excerpt="Over rust & adem <3", published_at=timezone.now() - datetime.timedelta(days=3))
    second = PostFactory(title="Tweede artikel", slug="tweede", published_at=timezone.now() - datetime.timedelta(days=1))
    PostFactory(title="Concept", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Later", status=Post.Status.SCHEDULED, published_at=timezone.now() + datetime.timedelta(days=1))
    PostFactory(title="In English", language="en")

    response = client.get("/blog/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == "nl"
    assert [entry.title for entry in feed.entries] == ["Tweede artikel", "Eerste artikel"]
    assert feed.entries[0].link == "http://testserver/blog/tweede/"
    assert feed.entries[1].summary == "Over rust & adem <3"
    published = parsedate_to_datetime(feed.entries[1].published)
    assert abs(published - first.published_at) < datetime.timedelta(seconds=1)
    assert second.author.name in feed.entries[0].author


def test_the_english_feed_lists_english_posts_and_the_dutch_ones_marked(client):
    PostFactory(title="Rust", slug="rust", published_at=timezone.now() - datetime.timedelta(days=2))
    PostFactory(title="Rest", slug="rest", language="en", published_at=timezone.now() - datetime.timedelta(days=1))
    feed = feedparser.parse(client.get("/blog/feed/en/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Rest", "Rust (in Dutch)"]
    assert feed.entries[0].link == "http://testserver/en/blog/rest/"
    assert feed.entries[1].link == "http://testserver/en/blog/rust/"  # inside the English site, as on the English index
    dutch = feedparser.parse(client.get("/blog/feed/").content)
    assert [entry.title for entry in dutch.entries] == ["Rust"]


def test_posts_are_in_the_sitemap_at_their_own_language(client):
    PostFactory(slug="rust")
    PostFactory(slug="rest", language="en")
    PostFactory(slug="concept", status=Post.Status.DRAFT, published_at=None)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/blog/rust/</loc>" in xml and "/en/blog/rest/</loc>" in xml and "/en/blog/rust/" not in xml
    assert "concept" not in xml
    assert "/blog/</loc>" in xml and "/en/blog/</loc>" in xml


def _everywhere(client, post):
    """Where a reader or a robot could find the post: page, index, feed, sitemap."""
    return {
        "page": client.get(post.get_absolute_url()).status_code == 200,
        "index": post.title in client.get("/blog/").content.decode(),
        "feed": post.title in client.get("/blog/feed/").content.decode(),
        "sitemap": post.slug in client.get("/sitemap.xml").content.decode(),
    }


def test_a_scheduled_post_appears_by_itself_at_its_time(client):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(title="Het geplande artikel", slug="gepland", status=Post.Status.DRAFT, published_at=None)
        services.post_schedule(post=post, at=NOW + datetime.timedelta(hours=2), now=NOW)
        assert _everywhere(client, post) == {"page": False, "index": False, "feed": False, "sitemap": False}

    with time_machine.travel(NOW + datetime.timedelta(hours=1, minutes=59), tick=False):
        assert _everywhere(client, post) == {"page": False, "index": False, "feed": False, "sitemap": False}

    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):  # nobody did anything
        assert _everywhere(client, post) == {"page": True, "index": True, "feed": True, "sitemap": True}
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED


def test_scheduling_in_the_past_is_refused():
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    with pytest.raises(services.BlogError):
        services.post_schedule(post=post, at=timezone.now() - datetime.timedelta(minutes=1))


def test_publish_now_and_back_to_draft(client):
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    services.post_publish(post=post)
    assert client.get(post.get_absolute_url()).status_code == 200
    services.post_unpublish(post=post)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_published_post_with_a_future_time_waits_for_it(client):
    post = PostFactory(status=Post.Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(post.get_absolute_url()).status_code == 404
