"""A URL configuration that adds a view which fails, to see the 500 page."""

from django.urls import path

from studio.urls import urlpatterns as studio_urlpatterns


def boom(request):
    raise RuntimeError("secret traceback detail")


urlpatterns = [path("boom/", boom), *studio_urlpatterns]
