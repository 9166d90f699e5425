"""Reads of the blog for pages and feeds: a fixed number of queries, however much there is."""

from django.db.models import Count, IntegerField, Prefetch, Q, Value
from django.utils import timezone

from classes.selectors import offerings_with_next_sessions

from .models import Category, Comment, Post, Tag

PAGE_SIZE = 10
RELATED_POSTS = 3
CTA_SESSIONS_PER_OFFERING = 3


def _with_labels(posts):
    return posts.prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "name_nl")),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
    )


def published_posts(*, language: str, now=None, category: Category | None = None, tag: Tag | None = None):
    """The index for readers in `language` (Post.for_readers_in), newest first (a queryset, for the paginator)."""
    posts = Post.objects.published(now).for_readers_in(language, now).for_listing()
    if category is not None:
        posts = posts.filter(categories=category)
    if tag is not None:
        posts = posts.filter(tags=tag)
    return _with_labels(posts).order_by("-published_at", "-pk")


def latest_posts(*, language: str, limit: int = 3, now=None) -> list[Post]:
    """For the home page: one query."""
    return list(Post.objects.published(now).for_readers_in(language, now).for_listing().order_by("-published_at", "-pk")[:limit])


def categories_in_use(*, language: str, now=None) -> list[Category]:
    """Categories that have at least one published post for readers in the language, for the index's menu."""
    visible = Post.objects.published(now).for_readers_in(language, now).values("pk")
    return list(Category.objects.filter(posts__in=visible).distinct().order_by("position", "name_nl"))


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def tag_by_slug(slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def post_for_page(*, slug: str, now=None) -> Post | None:
    """A published post with its author, translation, categories and tags; None when it is not (yet) public."""
    posts = Post.objects.published(now).select_related("author__user", "translation")
    return _with_labels(posts).filter(slug=slug).first()


def post_for_preview(*, pk: int) -> Post | None:
    """Any post, public or not, with what its page shows: for the staff's signed preview."""
    return _with_labels(Post.objects.select_related("author__user", "translation")).filter(pk=pk).first()


def calls_to_action(*, post: Post, now=None) -> list:
    """The offerings the post invites readers to, each with `.next_sessions` (places left included)."""
    offering_ids = list(post.offerings.order_by("position", "name_nl").values_list("pk", flat=True))
    if not offering_ids:
        return []
    return offerings_with_next_sessions(offering_ids, per_offering=CTA_SESSIONS_PER_OFFERING, now=now)


def approved_comments(*, post: Post) -> list[Comment]:
    comments = post.comments.approved().select_related("reply_to")
    fields = ("pk", "post_id", "name", "text", "created_at", "by_studio", "reply_to", "reply_to__name")
    return list(comments.only(*fields).order_by("created_at", "pk"))


def related_posts(*, post: Post, now=None, limit: int = RELATED_POSTS) -> list[Post]:
    """Other posts in the same language, those sharing most tags and categories first, then the newest."""
    tag_ids = [tag.pk for tag in post.tags.all()]
    category_ids = [category.pk for category in post.categories.all()]
    shared = Value(0, output_field=IntegerField())
    if tag_ids:
        shared = shared + Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
    if category_ids:
        shared = shared + Count("categories", filter=Q(categories__in=category_ids), distinct=True)
    posts = Post.objects.published(now).in_language(post.language).exclude(pk=post.pk)
    return list(posts.annotate(shared=shared).order_by("-shared", "-published_at", "-pk")[:limit])


def post_page_extras(*, post: Post, now=None) -> dict:
    now = now or timezone.now()
    return {
        "calls_to_action": calls_to_action(post=post, now=now),
        "comments": approved_comments(post=post),
        "related_posts": related_posts(post=post, now=now),
    }


def feed_posts(*, language: str, limit: int = 20, now=None) -> list[Post]:
    """The feed for readers in `language`: what its index lists."""
    posts = Post.objects.published(now).for_readers_in(language, now).for_listing()
    return list(_with_labels(posts).order_by("-published_at", "-pk")[:limit])


def sitemap_posts(*, now=None):
    return Post.objects.published(now).only("slug", "language", "changed_at", "published_at").order_by("-published_at", "-pk")


# The admin's desk --------------------------------------------------------------


def comments_waiting() -> int:
    """How many readers' comments wait for the studio to read them (for the desk's menu and its Today page)."""
    return Comment.objects.pending().count()


def comments_to_moderate() -> list[Comment]:
    """The moderation queue: waiting comments, oldest first, with the title of their post."""
    return list(Comment.objects.pending().select_related("post").only(
        "pk", "name", "email", "text", "created_at", "status", "post__id", "post__title", "post__slug", "post__language",
    ).order_by("created_at", "pk"))


def desk_posts(*, search: str = "", now=None) -> dict[str, list[Post]]:
    """Every post for the writing desk, as drafts, scheduled (soonest first) and published (newest first); one query."""
    now = now or timezone.now()
    posts = Post.objects.select_related("author__user").defer("body", "body_html", "toc", "audio_transcript", "sources")
    if search.strip():
        posts = posts.filter(title__icontains=search.strip())
    groups = {"drafts": [], "scheduled": [], "published": []}
    for post in posts.order_by("-published_at", "-changed_at", "-pk"):
        if post.status == Post.Status.DRAFT:
            groups["drafts"].append(post)
        elif post.published_at > now:
            groups["scheduled"].append(post)
        else:
            groups["published"].append(post)
    groups["scheduled"].reverse()
    return groups
