"""The bench's ROOT_URLCONF: the site's URLs plus a trivial view, the yardstick every page is
measured against. Importing it also lets bench requests skip the page cache (bench/fresh.py)."""

from django.http import HttpResponse
from django.urls import path

from bench import fresh  # noqa: F401 - the cache bypass for the "fresh" rows
from studio.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
