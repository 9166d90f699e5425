"""The studio's URLs plus uploaded files under /media/, as the web server serves them in production
(the live test server runs with DEBUG off, where studio/urls.py leaves /media/ to that server)."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from studio.urls import urlpatterns as studio_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)  # read per request: tests move MEDIA_ROOT


urlpatterns = [*studio_urlpatterns, path("media/<path:path>", media)]
