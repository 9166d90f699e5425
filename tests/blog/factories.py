"""factory-boy factories for the blog's models."""

import datetime

import factory
from django.utils import timezone

from blog.models import Category, Comment, Post, Tag
from tests.factories import TeacherFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"categorie-{n}")
    name_nl = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    name_en = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize() + " (en)")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Rust in je lijf, deel {n}")
    slug = factory.Sequence(lambda n: f"rust-in-je-lijf-{n}")
    language = "nl"
    author = factory.SubFactory(TeacherFactory)
    excerpt = "Een korte inleiding over rust en adem."
    body = "Een eerste alinea over **rust**.\n\n## Adem\n\nLangzaam in, langzaam uit.\n"
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.add(*extracted)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)

    @factory.post_generation
    def offerings(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.offerings.add(*extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    name = "Lotte"
    email = "lotte@example.nl"
    text = "Wat een fijn artikel, dank je wel."
    status = Comment.Status.APPROVED


def long_body(sections=5, paragraphs=4):
    """A long read with headings: enough words and headings for a table of contents."""
    sentence = "Je psoas verbindt je onderrug met je bovenbenen en reageert op alles wat je meemaakt. "
    parts = ["Een inleiding die de lezer rustig meeneemt. " + sentence * 3]
    for number in range(1, sections + 1):
        parts.append(f"## Deel {number} van het verhaal")
        parts.extend(sentence * 4 for _ in range(paragraphs))
        parts.append(f"### Oefening {number}")
        parts.append(sentence * 2)
    return "\n\n".join(parts) + "\n"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def html_of(client, url):
    """The page at `url` as text, after checking it answered 200."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()
