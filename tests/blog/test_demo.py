"""The demo's blog: both psoas articles, published, in Dutch, inviting readers to classes."""

import pytest

from blog import demo
from blog.models import Post
from classes.models import Offering
from tests.factories import OfferingFactory, StyleFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_both_articles_linked_to_the_offerings_and_can_run_again(client):
    teacher = TeacherFactory()
    tre = OfferingFactory(style=StyleFactory(slug="tre"), slug="tre-traject", kind=Offering.Kind.PROGRAMME)
    yin = OfferingFactory(style=StyleFactory(slug="yin"), slug="yin-yoga")
    # no Hatha offering: it is skipped

    first = demo.load(author=teacher.user)
    again = demo.load(author=teacher.user)

    assert Post.objects.count() == 2 and {p.pk for p in first} == {p.pk for p in again}
    for post in Post.objects.all():
        assert post.language == "nl" and post.is_visible() and post.author == teacher
        assert set(post.offerings.all()) == {tre, yin}
        assert post.categories.count() == 1 and post.tags.exists()
        assert client.get(post.get_absolute_url()).status_code == 200
    ziel, spanning = first
    assert spanning.published_at < ziel.published_at  # the dateless article is the older one
    assert "[TRE®-pagina](/tre/)" in spanning.body
    assert "/blog/" in client.get("/blog/").content.decode()
