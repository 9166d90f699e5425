"""A post's cover goes through the same machinery as every photo (core.renditions, {% picture %}): its
copies made after the commit by the Celery task, a phone choosing among the smaller ones, the original
with its size until they are made, and the largest copy for link previews."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from blog.models import Post
from tests.blog.factories import PostFactory

pytestmark = pytest.mark.django_db


def jpeg(size):
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize(size).convert("RGB").save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue())


def with_cover(callbacks, size=(1800, 1000), execute=True):
    post = PostFactory(cover_alt="Een mat bij het raam")
    post.cover_image.save("mat.jpg", jpeg(size), save=False)
    with callbacks(execute=execute) as queued:
        post.save()
    return Post.objects.get(pk=post.pk), queued


def attributes(tag):
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))


def test_the_cover_copies_are_made_by_the_shared_task_after_the_commit(django_capture_on_commit_callbacks):
    post, queued = with_cover(django_capture_on_commit_callbacks, execute=False)
    assert post.cover_renditions == {} and queued, "nothing made inside the request's transaction"
    for callback in queued:  # the commit: the task (eager in tests) makes the copies
        callback()

    post.refresh_from_db()
    assert post.cover_renditions["source"] == post.cover_image.name
    assert [(size["width"], size["height"]) for size in post.cover_renditions["sizes"]] == [(480, 267), (960, 533), (1440, 800)]
    assert all(size["name"].endswith(".webp") for size in post.cover_renditions["sizes"])


def test_the_post_page_lets_a_phone_choose_among_the_smaller_copies(client, django_capture_on_commit_callbacks):
    post, _queued = with_cover(django_capture_on_commit_callbacks)
    html = client.get(post.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="post-cover">(.*?)</figure>', html, re.S)[1]
    source = attributes(re.search(r"<source [^>]*>", figure)[0])
    img = attributes(re.search(r"<img [^>]*>", figure)[0])
    assert source["media"] == "(max-width: 47.99rem)" and [entry.split()[1] for entry in source["srcset"].split(", ")] == ["480w", "960w"]
    assert img["alt"] == "Een mat bij het raam" and img["fetchpriority"] == "high" and (img["width"], img["height"]) == ("1440", "800")
    assert "1440w" in img["srcset"] and img["sizes"] == "(min-width: 50rem) 48rem, 100vw"
    largest = post.cover_renditions["sizes"][-1]["name"]
    assert re.search(rf'<meta property="og:image" content="http[^"]*/media/{re.escape(largest)}">', html)


def test_the_blog_card_shows_the_cover_lazily_and_decoratively(client, django_capture_on_commit_callbacks):
    with_cover(django_capture_on_commit_callbacks)
    html = client.get("/blog/").content.decode()
    card = re.search(r'<a class="post-card-image"[^>]*>(.*?)</a>', html, re.S)[1]
    img = attributes(re.search(r"<img [^>]*>", card)[0])
    assert card.startswith("<picture><source ") and img["alt"] == "" and img["loading"] == "lazy"


def test_until_the_copies_are_made_the_original_is_shown_with_its_size(client, django_capture_on_commit_callbacks):
    post, _queued = with_cover(django_capture_on_commit_callbacks, size=(1200, 800), execute=False)
    html = client.get(post.get_absolute_url()).content.decode()
    img = attributes(re.search(r'<figure class="post-cover"><img [^>]*>', html)[0])
    assert img["src"] == post.cover_image.url and "srcset" not in img and (img["width"], img["height"]) == ("1200", "800")
