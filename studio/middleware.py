"""Small middlewares of the studio's own: a strict CSP and a remembered language."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils.translation import get_language_from_path


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy from settings on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(self)")
        return response


class RememberedLanguageMiddleware:
    """Sends a visitor who chose English to the English twin of an unprefixed (Dutch) page.

    Dutch lives at unprefixed URLs and English under /en/. The choice is kept in
    the language cookie (set by the switch) or, for a signed-in client without
    that cookie, on their profile. Machine endpoints are not translated, so
    `translate_url` leaves them alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not get_language_from_path(request.path_info):
            preferred = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if not preferred:
                user = getattr(request, "user", None)
                if user is not None and user.is_authenticated:
                    preferred = user.language
            if preferred and preferred != settings.LANGUAGE_CODE and preferred in dict(settings.LANGUAGES):
                target = translate_url(request.get_full_path(), preferred)
                if target != request.get_full_path():
                    return HttpResponseRedirect(target)
        return self.get_response(request)
