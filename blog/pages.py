"""How a post is shown in the public layout: by its own page, by the writing desk's signed preview,
and (its text only) by the desk's live preview. One place, so all three look the same."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.markup import render_markdown

from . import selectors, seo, text
from .forms import CommentForm
from .models import Post


def body_with_audio(post: Post):
    """The body's HTML with the audio player where the text says [audio] (or nowhere, then it follows the text)."""
    context = {"post": post, "audio_transcript": render_markdown(post.audio_transcript) if post.audio_transcript else ""}
    player = render_to_string("blog/includes/audio_player.html", context) if post.audio else ""
    body, placed = text.place_audio(post.body_html, player)
    return mark_safe(body), placed and bool(player), context["audio_transcript"]  # noqa: S308 - sanitised at save, player from our template


def text_context(post: Post) -> dict:
    """What templates/blog/includes/post_text.html needs: the table of contents, the body, audio and sources."""
    body_html, audio_in_body, transcript = body_with_audio(post)
    return {"post": post, "body_html": body_html, "audio_in_body": audio_in_body, "audio_transcript": transcript}


def render_post(request, post: Post, *, form=None, status=200, preview=False):
    """The post's page. A preview (a post that is not public yet, for the studio's staff) carries a banner,
    asks search engines to stay away and offers no comment form."""
    context = {
        **text_context(post),
        "form": form or CommentForm(user=request.user),
        "comment_sent": request.GET.get("comment") == "thanks",
        "other_language": post.language != get_language(),
        "share": seo.share_links(post),
        "json_ld": seo.article_json_ld(post),
        "preview": preview,
        **selectors.post_page_extras(post=post, now=timezone.now()),
    }
    response = render(request, "blog/post_detail.html", context, status=status)
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response
