"""The admin's desk, walked from /boekhouding/ by the demo studio's admin at her desk: every page of it
is reached by links from the desk's menu and the pages it leads to (a POST-only action as the action
of a form on such a page), never through /admin/, and no page logs a console error in Chromium."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Comment, Post
from bookings.models import Payment, Refund
from tests.backoffice import desk_names
from tests.e2e.demo_studio import the_demo_studio
from tests.e2e.pagewalk import walk
from tests.signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def desk_things(studio, now):
    """What some desk pages need for a link to them: a failed refund to try again, a comment waiting."""
    Refund.objects.create(payment=studio["payment"], amount_cents=500, reason="proef", idempotency_key="walk-refund",
                          status=Refund.Status.FAILED, failure_reason="declined", created_at=now - timedelta(hours=3))
    Payment.objects.filter(pk=studio["payment"].pk).update(amount_cents=1750)
    post = Post.objects.filter(status=Post.Status.PUBLISHED).first()
    Comment.objects.create(post=post, name="Eva", email="eva@example.nl", text="Dank je wel voor dit stuk.", created_at=now)
    Post.objects.filter(pk=Post.objects.exclude(pk=post.pk).first().pk).update(status=Post.Status.DRAFT)


def test_every_desk_page_is_reached_by_links_without_console_errors(page, live_server):
    from django.contrib.auth import get_user_model

    now = timezone.now()
    studio = the_demo_studio(now)
    desk_things(studio, now)
    admin = get_user_model().objects.get(email="admin@treeoflife.example")
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    sign_in(page, live_server, admin)

    names = desk_names()
    reached, opened = walk(page, reverse("desk"), names, live_server.url, linked_only=frozenset({"bookings:export"}))

    assert not names - reached, f"not reachable by links from /boekhouding/: {sorted(names - reached)}"
    assert not [path for path in opened if "/admin/" in path]
    assert not errors, "\n".join(errors)
