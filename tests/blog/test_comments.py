"""Readers' comments: moderation, the studio's email, and what keeps spam out."""

import pytest
from django.urls import reverse

from blog import services
from blog.models import Comment
from tests.blog.factories import CommentFactory, PostFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMMENT = {"name": "Lotte", "email": "lotte@example.nl", "text": "Dank je, dit herken ik zo.", "website": ""}


@pytest.fixture
def post():
    return PostFactory(language="en", slug="your-psoas", title="Your psoas")


def comment_url(post):
    return f"/en/blog/{post.slug}/comment/"


def test_a_comment_waits_for_moderation_and_the_studio_is_emailed(client, post, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(post), COMMENT)
    assert response.status_code == 302 and response["Location"] == "/en/blog/your-psoas/?comment=thanks#comments"
    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == (Comment.Status.PENDING, "Lotte", "lotte@example.nl")
    page = client.get(response["Location"]).content.decode()
    assert "It appears here once the studio has read it." in page
    assert "Dank je, dit herken ik zo." not in page
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["hallo@studiotreeoflife.nl"] and mail.reply_to == ["lotte@example.nl"]
    assert "Your psoas" in mail.subject and "Dank je, dit herken ik zo." in mail.body
    assert "/boekhouding/blog/reacties/\n" in mail.body  # the desk's queue, not /admin/


def test_an_approved_comment_is_shown_and_a_removed_one_is_not(client, post):
    admin = UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True)
    kept = CommentFactory(post=post, status=Comment.Status.PENDING, text="Mooi geschreven.")
    spam = CommentFactory(post=post, status=Comment.Status.PENDING, text="Koop goedkope horloges")
    assert services.comments_approve(comments=[kept], by=admin) == 1
    assert services.comments_remove(comments=[spam], by=admin) == 1
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Mooi geschreven." in html and "horloges" not in html
    kept.refresh_from_db()
    assert kept.moderated_by == admin and kept.moderated_at is not None


def test_the_admin_queue_shows_what_waits_and_approves_it(client, post):
    admin = UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True)
    waiting = CommentFactory(post=post, status=Comment.Status.PENDING, text="Wacht op jou")
    CommentFactory(post=post, status=Comment.Status.APPROVED, text="Al goedgekeurd")
    client.force_login(admin)
    queue = client.get(reverse("admin:blog_comment_changelist")).content.decode()
    assert "Wacht op jou" in queue and "Al goedgekeurd" not in queue
    response = client.post(reverse("admin:blog_comment_changelist"), {"action": "approve", "_selected_action": [waiting.pk]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.APPROVED and waiting.moderated_by == admin
    client.post(reverse("admin:blog_comment_changelist") + "?status__exact=all", {"action": "remove", "_selected_action": [waiting.pk]})
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.REMOVED


def test_an_empty_comment_gets_a_clear_message_and_nothing_is_saved(client, post, mailoutbox):
    response = client.post(comment_url(post), {**COMMENT, "text": "   \n  "})
    assert response.status_code == 400
    assert "Please write a comment before sending it." in response.content.decode()
    assert Comment.objects.count() == 0 and mailoutbox == []


def test_a_missing_email_address_gets_a_clear_message(client, post):
    response = client.post(comment_url(post), {**COMMENT, "email": "geen-adres"})
    assert response.status_code == 400 and "Enter a valid email address." in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_honeypot_hit_is_thanked_and_nothing_is_saved(client, post, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(post), {**COMMENT, "website": "http://spam.example"})
    assert response.status_code == 302 and "comment=thanks" in response["Location"]
    assert Comment.objects.count() == 0 and mailoutbox == []


def test_too_many_comments_from_one_address_are_refused(client, post, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(services.COMMENTS_PER_HOUR):
            assert client.post(comment_url(post), {**COMMENT, "text": f"Reactie {number}"}).status_code == 302
        response = client.post(comment_url(post), {**COMMENT, "text": "Nog eentje"})
    assert response.status_code == 400
    assert "You have sent several comments in a short time." in response.content.decode()
    assert Comment.objects.count() == services.COMMENTS_PER_HOUR
    assert not Comment.objects.filter(text="Nog eentje").exists()
    assert len(mailoutbox) == services.COMMENTS_PER_HOUR
    other_reader = client.post(comment_url(post), {**COMMENT, "text": "Van elders"}, REMOTE_ADDR="192.0.2.7")
    assert other_reader.status_code == 302


def test_a_signed_in_reader_comments_under_their_account_name(client, post):
    reader = UserFactory(first_name="Sanne", last_name="de Vries", email="sanne@example.nl")
    client.force_login(reader)
    form = client.get(post.get_absolute_url()).content.decode()
    assert 'name="email"' not in form and "You comment as Sanne de Vries." in form
    response = client.post(comment_url(post), {"text": "Fijn stuk.", "website": ""})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.user, comment.name, comment.email) == (reader, "Sanne de Vries", "sanne@example.nl")


def test_a_signed_in_reader_needs_the_csrf_token(post):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(email="sanne@example.nl"))
    assert strict.post(comment_url(post), {"text": "Zonder token", "website": ""}).status_code == 403
    assert Comment.objects.count() == 0


def test_comments_on_a_draft_are_not_possible(client):
    draft = PostFactory(status="draft", published_at=None)
    assert client.post(f"/blog/{draft.slug}/reactie/", COMMENT).status_code == 404
    assert client.get(f"/blog/{draft.slug}/reactie/").status_code in (404, 405)
    assert Comment.objects.count() == 0
