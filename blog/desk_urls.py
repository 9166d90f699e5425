"""The blog at the admin's desk (/boekhouding/blog/, /en/books/blog/): writing, previews, the comment queue."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import desk_comment_views, desk_views

app_name = "blog_desk"
urlpatterns = [
    path("", desk_views.posts, name="posts"),
    path(_("new/"), desk_views.post_new, name="post_new"),
    path(_("<int:pk>/edit/"), desk_views.post_edit, name="post_edit"),
    path(_("live-preview/"), desk_views.markdown_preview, name="markdown_preview"),
    path(_("preview/<str:token>/"), desk_views.post_preview, name="preview"),
    path(_("comments/"), desk_comment_views.comments, name="comments"),
    path(_("comments/<int:pk>/approve/"), desk_comment_views.comment_approve, name="comment_approve"),
    path(_("comments/<int:pk>/reject/"), desk_comment_views.comment_reject, name="comment_reject"),
    path(_("comments/<int:pk>/reply/"), desk_comment_views.comment_reply, name="comment_reply"),
]
