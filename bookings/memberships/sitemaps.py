from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class MembershipsSitemap(Sitemap):
    """The memberships on sale, in Dutch and English."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return ["memberships"]

    def location(self, item):
        return reverse(f"bookings:{item}")
