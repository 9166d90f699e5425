from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from blog.sitemaps import BlogIndexSitemap, PostSitemap
from bookings import price_views
from bookings.payments.webhooks import stripe_webhook
from bookings.personal.sitemaps import PersonalSitemap
from classes.sitemaps import SessionSitemap, TimetableSitemap

from . import desk_views, views
from .sitemaps import StudioPagesSitemap

sitemaps = {
    "studio": StudioPagesSitemap,
    "timetable": TimetableSitemap,
    "sessions": SessionSitemap,
    "blog": BlogIndexSitemap,
    "posts": PostSitemap,
    "personal": PersonalSitemap,
}

# The admin's own login has no rate limit: it sends people to the site's (allauth, rate-limited) login.
admin.site.login = views.admin_login

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="django.contrib.sitemaps.views.sitemap"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("classes.feed_urls")),
    path("blog/feed/", include("blog.feed_urls")),
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("about/"), views.page, {"key": "about"}, name="about"),
    path(_("privacy/"), views.page, {"key": "privacy"}, name="privacy"),
    path(_("terms/"), views.page, {"key": "terms"}, name="terms"),
    path("contact/", views.contact, name="contact"),
    path("tre/", views.page, {"key": "tre"}, name="tre"),
    path(_("prices/"), price_views.price_list, name="prices"),
    path("", include("classes.urls")),
    path("blog/", include("blog.urls")),
    path(_("books/"), desk_views.today, name="desk"),
    path(_("books/pages/"), desk_views.pages, name="desk_pages"),
    path(_("books/pages/<slug:key>/"), desk_views.page_edit, name="desk_page"),
    path(_("books/blog/"), include("blog.desk_urls")),
    path("", include("bookings.urls")),
    path("", include("bookings.intake.urls")),
    path("", include("bookings.teaching.urls")),
    path("", include("studio.privacy_urls")),
    path(_("profile/"), views.profile, name="profile"),
    path("account/", include("allauth.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "studio.views.bad_request"

admin.site.site_header = "Studio Tree of Life"
admin.site.site_title = "Studio Tree of Life"
admin.site.index_title = _("Run the studio")
