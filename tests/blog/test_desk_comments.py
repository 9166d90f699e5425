"""The comment queue at the admin's desk: approve, reject, reply as the studio; and who may do it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from blog import selectors
from blog.models import Comment
from tests.blog.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("blog_desk:comments")


@pytest.fixture
def post():
    return PostFactory(title="Je psoas en je adem", slug="je-psoas")


def waiting(post, text, *, name="Lotte", minutes_ago=60):
    return CommentFactory(post=post, name=name, text=text, status=Comment.Status.PENDING,
                          created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=minutes_ago))


def test_the_queue_lists_waiting_comments_oldest_first_with_post_and_author(at_desk, post):
    newer = waiting(post, "Mooi geschreven.", name="Sanne", minutes_ago=5)
    older = waiting(post, "Dit herken ik zo.", name="Lotte", minutes_ago=90)
    CommentFactory(post=post, text="Al goedgekeurd", status=Comment.Status.APPROVED)
    CommentFactory(post=post, text="Koop horloges", status=Comment.Status.REMOVED)
    response = at_desk.get(QUEUE)
    assert [c.pk for c in response.context["comments"]] == [older.pk, newer.pk]
    html = response.content.decode()
    assert html.index("Dit herken ik zo.") < html.index("Mooi geschreven.")
    assert "Je psoas en je adem" in html and "Lotte" in html and "lotte@example.nl" in html
    assert "Al goedgekeurd" not in html and "horloges" not in html
    assert "Er wachten 2 reacties op je." in html
    assert selectors.comments_waiting() == 2


def test_the_desk_menu_shows_how_many_comments_wait(at_desk, post):
    waiting(post, "Een")
    waiting(post, "Twee")
    nav = at_desk.get(reverse("blog_desk:posts")).content.decode()
    assert f'href="{QUEUE}">Reacties <span class="badge">2<span class="visually-hidden"> nog te lezen</span></span></a>' in nav


def test_an_approved_comment_appears_under_the_post_for_its_author(at_desk, desk_admin, post, client_user):
    comment = CommentFactory(post=post, user=client_user, name="Sanne", text="Dank je, dit helpt.", status=Comment.Status.PENDING)
    author = Client()
    author.force_login(client_user)
    assert "Dank je, dit helpt." not in author.get(post.get_absolute_url()).content.decode()
    response = at_desk.post(reverse("blog_desk:comment_approve", args=[comment.pk]))
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert "De reactie van Sanne staat nu onder “Je psoas en je adem”." in at_desk.get(QUEUE).content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.APPROVED, desk_admin)
    assert "Dank je, dit helpt." in author.get(post.get_absolute_url()).content.decode()
    assert selectors.comments_waiting() == 0


def test_a_decision_made_in_another_tab_is_not_undone(at_desk, post):
    comment = waiting(post, "Koop goedkope horloges")
    at_desk.post(reverse("blog_desk:comment_reject", args=[comment.pk]))
    page = at_desk.post(reverse("blog_desk:comment_approve", args=[comment.pk]), follow=True)  # the stale tab
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert "De reactie van Lotte was al verwijderd; er is niets veranderd." in page.content.decode()


def test_a_rejected_comment_never_appears(at_desk, post):
    comment = waiting(post, "Koop goedkope horloges")
    at_desk.post(reverse("blog_desk:comment_reject", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert "horloges" not in Client().get(post.get_absolute_url()).content.decode()
    assert "horloges" not in at_desk.get(QUEUE).content.decode()


def test_the_studio_replies_and_both_appear_under_the_post(at_desk, desk_admin, post, settings):
    comment = waiting(post, "Hoe vaak moet ik dit oefenen?")
    response = at_desk.post(reverse("blog_desk:comment_reply", args=[comment.pk]), {"text": "Elke dag een paar minuten is genoeg."})
    assert response.status_code == 302
    comment.refresh_from_db()
    reply = Comment.objects.get(reply_to=comment)
    assert comment.status == Comment.Status.APPROVED
    assert (reply.status, reply.by_studio, reply.name, reply.moderated_by, reply.user) == (
        Comment.Status.APPROVED, True, settings.STUDIO["name"], desk_admin, None)
    html = Client().get(post.get_absolute_url()).content.decode()
    assert html.index("Hoe vaak moet ik dit oefenen?") < html.index("Elke dag een paar minuten is genoeg.")
    assert '<li class="comment comment-studio"' in html and '<span class="badge">de studio</span> · antwoord op Lotte' in html


def test_an_empty_reply_gets_a_clear_message_and_nothing_changes(at_desk, post):
    comment = waiting(post, "Een vraag")
    response = at_desk.post(reverse("blog_desk:comment_reply", args=[comment.pk]), {"text": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Schrijf eerst een antwoord voordat je het verstuurt." in html
    assert f'id="id_reply_{comment.pk}_text"' in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and Comment.objects.count() == 1


def test_a_removed_comment_gets_no_reply(at_desk, post):
    comment = CommentFactory(post=post, status=Comment.Status.REMOVED)
    response = at_desk.post(reverse("blog_desk:comment_reply", args=[comment.pk]), {"text": "Toch een antwoord"}, follow=True)
    assert "Deze reactie is verwijderd; je kunt er niet meer op antwoorden." in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("action", ["comment_approve", "comment_reject", "comment_reply"])
def test_clients_and_teachers_cannot_moderate(client, client_user, teacher, post, action):
    comment = waiting(post, "Wacht op de studio")
    url = reverse(f"blog_desk:{action}", args=[comment.pk])
    assert "/account/login/" in client.post(url, {"text": "Hallo"})["Location"]
    for someone in (client_user, teacher.user):
        client.force_login(someone)
        assert client.post(url, {"text": "Hallo"}).status_code == 404
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and Comment.objects.count() == 1


@pytest.mark.parametrize("action", ["comment_approve", "comment_reject", "comment_reply"])
def test_moderation_takes_only_a_post(at_desk, post, action):
    comment = waiting(post, "Wacht op de studio")
    assert at_desk.get(reverse(f"blog_desk:{action}", args=[comment.pk])).status_code == 405
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_queue_runs_the_same_few_queries_for_many_comments(at_desk, post, django_assert_max_num_queries):
    waiting(post, "Eén")
    with django_assert_max_num_queries(6) as few:
        at_desk.get(QUEUE)
    for number in range(15):
        waiting(PostFactory(), f"Reactie {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = at_desk.get(QUEUE)
    assert len(response.context["comments"]) == 16
