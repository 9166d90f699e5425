from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StudioPagesSitemap(Sitemap):
    """The studio's own pages and what it sells beyond classes (memberships, gift vouchers), in Dutch and
    English with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return ["home", "prices", "about", "tre", "contact", "privacy", "terms", "bookings:memberships", "bookings:vouchers"]

    def location(self, item):
        return reverse(item)
