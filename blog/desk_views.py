"""The writing desk: the admin writes, previews and schedules posts on the site's own pages (never /admin/)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import roles
from core.roles import admin_required

from . import pages, preview, selectors, services, text
from .desk_forms import PostDeskForm, PostSearchForm
from .models import Post


@admin_required
def posts(request):
    search = PostSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    groups = selectors.desk_posts(search=query, now=timezone.now())
    for post in groups["drafts"] + groups["scheduled"]:
        post.preview_url = preview.preview_url(post)
    return render(request, "blog/desk/posts.html", {"search": search, "query": query, **groups})


@admin_required
def post_new(request):
    author = getattr(request.user, "teacher_profile", None)
    return _write(request, Post(author=author, status=Post.Status.DRAFT))


@admin_required
def post_edit(request, pk):
    return _write(request, get_object_or_404(Post, pk=pk))


def _saved_message(post, now):
    if post.status == Post.Status.DRAFT:
        return _("Saved as a draft. Only the studio can see it.")
    if post.published_at > now:
        moment = formats.date_format(timezone.localtime(post.published_at), "j F Y, H:i")
        return _("Saved. The post appears by itself on %(moment)s.") % {"moment": moment}
    return _("Saved. The post is on the site.")


def _write(request, post):
    now = timezone.now()
    form = PostDeskForm(request.POST or None, request.FILES or None, instance=post, now=now)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            post = form.save()
        services.post_after_save(post=post, translation_changed="translation" in form.changed_data)
        messages.success(request, _saved_message(post, now))
        return redirect("blog_desk:post_edit", pk=post.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "post": post, "preview_url": preview.preview_url(post) if post.pk and not post.is_visible(now) else ""}
    return render(request, "blog/desk/post_form.html", context, status=status)


@admin_required
@require_POST
def markdown_preview(request):
    """The live preview: the text as readers will see it, in the markup of the post page (sanitised here)."""
    post = Post(title=request.POST.get("title", ""), body=request.POST.get("body", ""), sources=request.POST.get("sources", ""),
                language=request.POST.get("language") if request.POST.get("language") in ("nl", "en") else "nl")
    rendered = post.render_text()
    html = render_to_string("blog/includes/post_text.html", pages.text_context(post), request=request)
    return JsonResponse({"html": html, "summary": text.length_summary(rendered), "words": rendered.words})


def post_preview(request, token):
    """A post that is not public yet, in the public layout, for the studio's staff only (anyone else: 404)."""
    if not roles.is_teacher(request.user):
        raise Http404("not for you")
    post_id = preview.post_id_from_token(token)
    post = selectors.post_for_preview(pk=post_id) if post_id else None
    if post is None:
        raise Http404("no such preview")
    if post.is_visible():
        return redirect(post)
    return pages.render_post(request, post, preview=True)
