from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class BlogIndexSitemap(Sitemap):
    """The blog's index in Dutch and English."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return ["blog:index"]

    def location(self, item):
        return reverse(item)


class PostSitemap(Sitemap):
    """Every published post at the address of its own language; a scheduled post from its publish time on."""

    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return selectors.sitemap_posts()

    def location(self, post):
        return post.get_absolute_url()

    def lastmod(self, post):
        return post.changed_at
