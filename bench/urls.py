"""The site's URLs plus a trivial view: the yardstick every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from studio.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
