"""An RSS feed of published posts per language; scheduled posts join it when their time comes."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from . import selectors

FEED_URL_NAMES = {"nl": "blog_feed", "en": "blog_feed_en"}


class PostFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, language_code="nl"):
        super().__init__()
        self.language = language_code

    def __call__(self, request, *args, **kwargs):
        with translation.override(self.language):
            return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Studio Tree of Life: blog")

    def description(self):
        return _("Articles about trauma-aware yoga, TRE® and a calmer nervous system, from Studio Tree of Life in Breda.")

    def link(self):
        return reverse("blog:index")

    def feed_url(self):
        return reverse(FEED_URL_NAMES[self.language])

    def items(self):
        return selectors.feed_posts(language=self.language)

    def item_title(self, post):
        if post.language != self.language:  # a Dutch post in the English feed, as on the English index
            return f"{post.title} ({_('in Dutch')})"
        return post.title

    def item_description(self, post):
        return post.summary

    def item_link(self, post):
        return post.reader_url  # the page in the feed's language (for a post in its own language, its own address)

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.changed_at

    def item_author_name(self, post):
        return post.author.name if post.author else None

    def item_categories(self, post):
        return [category.name for category in post.categories.all()] + [tag.name for tag in post.tags.all()]
