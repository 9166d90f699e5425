"""The signed preview link of a post that is not public yet: the studio's staff can read it in the
public layout before it appears. The link carries the post's id, signed and dated; it stops working
after PREVIEW_DAYS, and when it is changed by even one character."""

import datetime

from django.core import signing
from django.urls import reverse

from .models import Post

PREVIEW_SALT = "blog.preview"
PREVIEW_DAYS = 7


def preview_token(post: Post) -> str:
    return signing.TimestampSigner(salt=PREVIEW_SALT).sign(str(post.pk))


def preview_url(post: Post) -> str:
    return reverse("blog_desk:preview", kwargs={"token": preview_token(post)})


def post_id_from_token(token: str) -> int | None:
    """The post's id when the token is ours and fresh enough; None when it is tampered with or too old."""
    try:
        value = signing.TimestampSigner(salt=PREVIEW_SALT).unsign(token, max_age=datetime.timedelta(days=PREVIEW_DAYS))
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return int(value) if value.isdigit() else None
