"""The blog's feeds: machine endpoints without a language prefix (/blog/feed/, /blog/feed/en/)."""

from django.urls import path

from .feeds import PostFeed

urlpatterns = [
    path("", PostFeed(language_code="nl"), name="blog_feed"),
    path("en/", PostFeed(language_code="en"), name="blog_feed_en"),
]
