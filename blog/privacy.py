"""The blog's part of a person's data: their comments, found by account or by email address.
Registered with core.privacy by BlogConfig.ready()."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from core import privacy
from core.privacy import Record, Section

from .models import Comment


def comments_of(user):
    match = Q(user=user)
    if user.email:
        match |= Q(email__iexact=user.email)
    return Comment.objects.filter(match)


def sections(user) -> list[Section]:
    records = [Record([privacy.item("post", _("post"), str(comment.post))]
                      + privacy.fields(comment, ["name", "email", "text", "status", "created_at"]))
               for comment in comments_of(user).select_related("post").order_by("created_at", "pk")]
    return [Section("blog_comments", _("Comments on the blog"), records)]


def forget(user) -> None:
    """Comments stay readable under the post, without a name, an address or a link to the account."""
    with translation.override(settings.LANGUAGE_CODE):
        former = _("Former visitor")
    comments_of(user).update(name=former, email="", user=None)


def register() -> None:
    privacy.register(key="blog", order=90, sections=sections, forget=forget)
