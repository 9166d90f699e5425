"""The demo's blog: the two psoas articles from the old site, published, in Dutch.

Called by ``python manage.py demo`` after the timetable exists; safe to run again.
"""

import datetime
from pathlib import Path

from django.utils import timezone

from classes.models import Offering, Teacher

from . import services
from .models import Category, Comment, Tag

CONTENT = Path(__file__).resolve().parent / "demo_content"
# The older article first: it has no date in the export, so it gets one two weeks before the other.
ARTICLES = ["spier-van-de-ziel.txt", "psoas-spanning-vasthouden.txt"]
OFFERING_SLUGS = ["tre-traject", "yin-yoga", "hatha-yoga"]
CATEGORY = ("lichaam-en-zenuwstelsel", "Lichaam & zenuwstelsel", "Body & nervous system")
TAGS = {
    "spier-van-de-ziel.txt": [("psoas", "psoas"), ("stress", "stress"), ("yin-yoga", "yin yoga"), ("yoga-nidra", "yoga nidra")],
    "psoas-spanning-vasthouden.txt": [("psoas", "psoas"), ("stress", "stress"), ("tre", "TRE®")],
}


def _teacher(author):
    if author is None or isinstance(author, Teacher):
        return author
    return Teacher.objects.filter(user=author).first()


def load(*, author=None, now=None):
    """Import both articles, publish them and link them to the TRE® programme, Yin and Hatha (when those exist)."""
    now = now or timezone.now()
    teacher = _teacher(author)
    category, _created = Category.objects.get_or_create(slug=CATEGORY[0], defaults={"name_nl": CATEGORY[1], "name_en": CATEGORY[2]})
    offerings = {offering.slug: offering for offering in Offering.objects.filter(slug__in=OFFERING_SLUGS)}
    posts = []
    fallback = None
    for name in ARTICLES:
        article = services.parse_import((CONTENT / name).read_bytes(), today=timezone.localdate(now))
        result = services.post_import(article=article, author=teacher, language="nl", publish=True, published_fallback=fallback, now=now)
        post = result.post
        if post.published_at:
            fallback = post.published_at - datetime.timedelta(days=14)
        post.categories.add(category)
        post.tags.add(*[Tag.objects.get_or_create(slug=slug, defaults={"name": label})[0] for slug, label in TAGS[name]])
        post.offerings.add(*[offerings[slug] for slug in OFFERING_SLUGS if slug in offerings])
        posts.append(post)
    if posts and not Comment.objects.exists():  # one reader's comment waiting at the admin's desk
        Comment.objects.create(post=posts[0], name="Lotte", email="lotte@example.nl", created_at=now,
                               text="Dank je wel. Hoe vaak per week kan ik deze oefening het beste doen?")
    return posts
