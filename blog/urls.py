from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "blog"
urlpatterns = [
    path("", views.index, name="index"),
    path(_("category/<slug:category_slug>/"), views.index, name="category"),
    path("tag/<slug:tag_slug>/", views.index, name="tag"),
    path("<slug:slug>/", views.post_detail, name="post"),
    path(_("<slug:slug>/comment/"), views.comment, name="comment"),
]
