"""The desk's comment queue: what readers wrote, oldest first; approve, reject or answer as the studio."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import admin_required

from . import selectors, services
from .desk_forms import ReplyForm
from .models import Comment


def _queue(request, *, failed=None, status=200):
    """The queue page; `failed` is a (comment id, reply form) whose errors are shown at that comment."""
    queue = selectors.comments_to_moderate()
    for comment in queue:
        if failed and failed[0] == comment.pk:
            comment.reply_form = failed[1]
        else:
            comment.reply_form = ReplyForm(auto_id=f"id_reply_{comment.pk}_%s")
    return render(request, "blog/desk/comments.html", {"comments": queue}, status=status)


@admin_required
def comments(request):
    return _queue(request)


def _waiting(pk):
    return get_object_or_404(Comment.objects.select_related("post"), pk=pk)


def _decide(request, pk, *, approve: bool):
    comment = _waiting(pk)
    if not services.comment_decide(comment=comment, approve=approve, by=request.user):
        # A page opened before someone else decided (another tab, another admin): her click changes nothing.
        comment.refresh_from_db(fields=["status"])
        messages.info(request, _("The comment by %(name)s was already %(decision)s; nothing was changed.") % {
            "name": comment.name, "decision": comment.get_status_display().lower()})
    elif approve:
        messages.success(request, _("The comment by %(name)s is now under “%(title)s”.") % {"name": comment.name, "title": comment.post.title})
    else:
        messages.success(request, _("The comment by %(name)s will not be shown.") % {"name": comment.name})
    return redirect("blog_desk:comments")


@admin_required
@require_POST
def comment_approve(request, pk):
    return _decide(request, pk, approve=True)


@admin_required
@require_POST
def comment_reject(request, pk):
    return _decide(request, pk, approve=False)


@admin_required
@require_POST
def comment_reply(request, pk):
    comment = _waiting(pk)
    form = ReplyForm(request.POST, auto_id=f"id_reply_{comment.pk}_%s")
    if form.is_valid():
        try:
            services.comment_reply(comment=comment, text=form.cleaned_data["text"], by=request.user)
        except services.BlogError as error:
            form.add_error("text", str(error))
    if not form.is_valid():
        if comment.status == Comment.Status.PENDING:  # shown in the queue, with the message at its form
            return _queue(request, failed=(comment.pk, form), status=400)
        messages.error(request, " ".join(form.errors["text"]))
        return redirect("blog_desk:comments")
    messages.success(request, _("Your reply is under “%(title)s”, with the comment by %(name)s.") % {"name": comment.name, "title": comment.post.title})
    return redirect("blog_desk:comments")
