from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from classes.models import AppointmentType, Offering


class PersonalSitemap(Sitemap):
    """The one-to-one sessions (with their free moments) and the programmes, in Dutch and English."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        kinds = AppointmentType.objects.filter(is_active=True).order_by("position", "pk").values_list("slug", flat=True)
        programmes = Offering.objects.shown().filter(kind=Offering.Kind.PROGRAMME).values_list("slug", flat=True)
        return [("one_to_one", None), *[("appointment_slots", slug) for slug in kinds], *[("programme", slug) for slug in programmes]]

    def location(self, item):
        name, slug = item
        return reverse(f"bookings:{name}", kwargs={"slug": slug} if slug else None)
