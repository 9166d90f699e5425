"""The blog's background work: telling the studio about a new comment."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from .models import Comment


@shared_task(name="blog.tasks.send_comment_notification", acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_comment_notification(comment_id):
    """Email the studio that a comment waits in the moderation queue. A vanished comment is skipped."""
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        queue_url = settings.SITE_URL + reverse("blog_desk:comments")  # the queue at the admin's desk
        post_url = settings.SITE_URL + comment.post.get_absolute_url()
    who = f"{comment.name} <{comment.email}>" if comment.email else comment.name
    body = (
        f"Nieuwe reactie op “{comment.post.title}”\n{post_url}\n\n"
        f"Van: {who}\n\n{comment.text}\n\n"
        f"De reactie staat pas online als je haar goedkeurt:\n{queue_url}\n"
    )
    message = EmailMessage(subject=f"Nieuwe reactie: {comment.post.title}", body=body, to=[getattr(settings, "BLOG_MODERATOR_EMAIL", settings.STUDIO_EMAIL)])
    if comment.email:
        message.reply_to = [comment.email]
    message.send()
