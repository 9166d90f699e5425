from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from .models import Offering, Session, Teacher


class TimetableSitemap(Sitemap):
    """The timetable, each offering and each teacher, in Dutch and English."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return [("timetable", None), *[("offering", slug) for slug in Offering.objects.shown().values_list("slug", flat=True)],
                *[("teacher", slug) for slug in Teacher.objects.filter(is_active=True).values_list("slug", flat=True)]]

    def location(self, item):
        name, slug = item
        return reverse(f"classes:{name}", kwargs={"slug": slug} if slug else None)


class SessionSitemap(Sitemap):
    """Upcoming sessions, in Dutch and English."""

    i18n = True
    alternates = True
    changefreq = "hourly"
    limit = 1000

    def items(self):
        return Session.objects.shown().upcoming(timezone.now()).only("pk", "starts_at").order_by("starts_at")

    def location(self, item):
        return reverse("classes:session", kwargs={"pk": item.pk})
