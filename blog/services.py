"""The blog's rules: publishing, translations, comments and the import.

Views, the admin, the management command and the demo all come here; each
function takes what it needs as keyword arguments and the time is passed in.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from classes.models import STUDIO_TZ, Teacher
from core import ratelimit
from core.pagecache import content_changed

from . import importing
from .models import Comment, Post
from .tasks import send_comment_notification

logger = logging.getLogger(__name__)

COMMENTS_PER_HOUR = 5
COMMENT_MAX_CHARS = 3000
IMPORT_PUBLISH_HOUR = 9  # an imported article with only a date appeared at 09:00 Breda time


class BlogError(Exception):
    """A blog rule said no; the message is shown to the person as is."""


# Publishing -------------------------------------------------------------------


def post_publish(*, post: Post, now=None) -> Post:
    """Publish now (or keep the time already set, when it has passed)."""
    now = now or timezone.now()
    if not post.published_at or post.published_at > now:
        post.published_at = now
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status", "published_at", "changed_at"])
    return post


def check_schedule_time(*, at: datetime.datetime, now=None) -> None:
    """A post is scheduled for a moment still to come; raises BlogError otherwise."""
    if at <= (now or timezone.now()):
        raise BlogError(_("Choose a moment in the future to schedule the post, or publish it now."))


def post_schedule(*, post: Post, at: datetime.datetime, now=None) -> Post:
    """Make the post appear by itself at ``at``: the published() query lets it through from then on."""
    now = now or timezone.now()
    check_schedule_time(at=at, now=now)
    post.status, post.published_at = Post.Status.SCHEDULED, at
    post.save(update_fields=["status", "published_at", "changed_at"])
    return post


def post_unpublish(*, post: Post) -> Post:
    post.status = Post.Status.DRAFT
    post.save(update_fields=["status", "changed_at"])
    return post


def post_link_translation(*, post: Post, other: Post | None) -> None:
    """Make ``post`` and ``other`` each other's translation (or unlink ``post`` when ``other`` is None)."""
    if other is not None and other.language == post.language:
        raise BlogError(_("The translation must be in the other language."))
    with transaction.atomic():
        partners = {pk for pk in (post.pk, other.pk if other else None) if pk}
        # Whoever pointed at either post before loses that link.
        Post.objects.filter(translation_id__in=partners).exclude(pk__in=partners).update(translation=None)
        Post.objects.filter(pk=post.pk).update(translation=other)
        content_changed()
        if other is not None:
            Post.objects.filter(pk=other.pk).update(translation=post)
    post.translation = other


def post_after_save(*, post: Post, translation_changed: bool = False) -> None:
    """What follows saving a post from a form (the admin's or the desk's): the translation link. (The
    cover's smaller copies are made after the commit by core.renditions, as for every photo.)"""
    if translation_changed:
        post_link_translation(post=post, other=post.translation)


# Comments ---------------------------------------------------------------------


def comment_submit(*, post: Post, text: str, name: str = "", email: str = "", user=None, client_key: str,
                   honeypot: str = "", now=None) -> Comment | None:
    """A reader's comment, saved to wait for moderation; the studio is emailed.

    Returns None, saving nothing, when the hidden honeypot field was filled in
    (a bot: it is thanked like anyone else). Raises BlogError when a rule says no.
    """
    now = now or timezone.now()
    if honeypot.strip():
        logger.info("Comment on post %s dropped: honeypot filled in", post.pk)
        return None
    text = (text or "").strip()
    if not text:
        raise BlogError(_("Please write a comment before sending it."))
    if len(text) > COMMENT_MAX_CHARS:
        raise BlogError(_("Please keep your comment under %(count)s characters.") % {"count": COMMENT_MAX_CHARS})
    if not post.is_visible(now):
        raise BlogError(_("Comments are closed for this article."))
    if user is not None and user.is_authenticated:
        name, email = user.get_full_name() or user.email.split("@")[0], user.email
    else:
        user = None
        name, email = (name or "").strip(), (email or "").strip()
        if not name or not email:
            raise BlogError(_("Please fill in your name and email address."))
    if not ratelimit.hit("blog-comment", client_key, limit=COMMENTS_PER_HOUR, period_seconds=3600):
        raise BlogError(_("You have sent several comments in a short time. Please try again in an hour."))
    comment = Comment.objects.create(post=post, user=user, name=name[:80], email=email, text=text, created_at=now)
    send_comment_notification.delay_on_commit(comment.pk)
    return comment


def _moderate(comments, *, status: str, by, now) -> int:
    ids = [comment.pk for comment in comments]
    changed = Comment.objects.filter(pk__in=ids).exclude(status=status).update(status=status, moderated_at=now, moderated_by=by)
    if changed:
        content_changed()
    return changed


def comments_approve(*, comments, by, now=None) -> int:
    """Show the comments under their post. Returns how many changed."""
    return _moderate(comments, status=Comment.Status.APPROVED, by=by, now=now or timezone.now())


def comments_remove(*, comments, by, now=None) -> int:
    """Hide the comments for good (they stay in the admin, marked removed)."""
    return _moderate(comments, status=Comment.Status.REMOVED, by=by, now=now or timezone.now())


def comment_decide(*, comment: Comment, approve: bool, by, now=None) -> bool:
    """The desk's queue decides on a waiting comment: shown, or hidden for good. Only a comment still
    waiting changes (in one update, so two admins at once cannot undo each other); False when someone
    decided before."""
    status = Comment.Status.APPROVED if approve else Comment.Status.REMOVED
    changed = Comment.objects.filter(pk=comment.pk, status=Comment.Status.PENDING).update(
        status=status, moderated_at=now or timezone.now(), moderated_by=by)
    if changed:
        content_changed()
    return bool(changed)


def comment_reply(*, comment: Comment, text: str, by, now=None) -> Comment:
    """The studio answers a comment: the answer is shown at once under the post, signed by the studio,
    and a comment still waiting is approved with it (an answer to a hidden comment would make no sense)."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise BlogError(_("Please write a reply before sending it."))
    if len(text) > COMMENT_MAX_CHARS:
        raise BlogError(_("Please keep your comment under %(count)s characters.") % {"count": COMMENT_MAX_CHARS})
    if comment.status == Comment.Status.REMOVED:
        raise BlogError(_("This comment was removed; it cannot get a reply."))
    with transaction.atomic():
        _moderate([comment], status=Comment.Status.APPROVED, by=by, now=now)
        reply = Comment.objects.create(
            post_id=comment.post_id, reply_to=comment, by_studio=True, name=settings.STUDIO["name"][:80], text=text,
            status=Comment.Status.APPROVED, created_at=now, moderated_at=now, moderated_by=by,
        )
    comment.status = Comment.Status.APPROVED
    return reply


# Import of the old site's articles ---------------------------------------------

# Phrases in the old articles whose link was lost in the export, and where they pointed.
KNOWN_LINKS = {"TRE®-pagina": "tre"}


@dataclass
class ImportResult:
    post: Post
    created: bool
    unrepaired: list[str] = field(default_factory=list)


def _add_known_links(body: str, language: str) -> str:
    for phrase, url_name in KNOWN_LINKS.items():
        with translation.override(language):
            url = reverse(url_name)
        body = re.sub(rf"(?<!\[){re.escape(phrase)}(?!\]\()", f"[{phrase}]({url})", body, count=1)
    return body


def _teacher_named(name: str | None):
    if not name:
        return None
    wanted = " ".join(name.lower().split())
    for teacher in Teacher.objects.select_related("user"):
        if " ".join(teacher.name.lower().split()) == wanted:
            return teacher
    return None


def _local_moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(IMPORT_PUBLISH_HOUR), tzinfo=STUDIO_TZ)


def parse_import(raw: bytes, *, today: datetime.date) -> importing.ImportedArticle:
    """Read one exported article; raises importing.ImportFormatError with a message for the admin."""
    return importing.parse_article(raw, today=today)


def post_import(*, article: importing.ImportedArticle, author: Teacher | None = None, language: str = "nl",
                publish: bool = False, published_fallback: datetime.datetime | None = None, now=None) -> ImportResult:
    """Create or update (by slug) the post for a parsed article. Safe to run again: never a duplicate.

    On an update the text, title, dates and sources follow the file; what the
    admin set since (status, categories, offerings, cover) stays, except that
    ``publish`` publishes a draft.
    """
    now = now or timezone.now()
    published_at = _local_moment(article.published_on) if article.published_on else None
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(slug=article.slug).first()
        created = post is None
        if created:
            post = Post(slug=article.slug, language=language, status=Post.Status.DRAFT)
        post.title = article.title
        post.body = _add_known_links(article.body_markdown, post.language)
        post.excerpt = article.excerpt
        post.sources = "\n".join(article.sources)
        post.updated_on = article.updated_on
        post.author = author or _teacher_named(article.author_name) or post.author
        if published_at:
            post.published_at = published_at
        if publish and post.status == Post.Status.DRAFT:
            post.status = Post.Status.PUBLISHED
            post.published_at = post.published_at or published_fallback or now
        post.save()
    return ImportResult(post=post, created=created, unrepaired=list(article.unrepaired))
