"""Small middlewares of the studio's own: a strict CSP, a remembered language and staff's second factor."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from core import pagecache


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


class StaffSecondFactorMiddleware:
    """Staff (teachers, admins, superusers) must have an authenticator app before any page opens.

    With settings.STAFF_MFA_REQUIRED (always in production), a signed-in staff member without one is
    sent to set it up, from every page but the setup itself, logging out and the few account pages it
    may need; so no back-office page, admin page or intake form opens until it is done. Clients are never
    asked. Logging in with a second factor is allauth's own step (allauth.mfa)."""

    # URL names that stay open while the second factor is missing: allauth's MFA pages (mfa_*), and
    # what setting it up may lead through (confirming her password again, her email addresses).
    OPEN_URL_NAMES = {"account_logout", "account_login", "account_reauthenticate", "account_email",
                      "account_confirm_email", "account_email_verification_sent", "set_language", "healthz", "robots_txt"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.STAFF_MFA_REQUIRED or not request.user.is_authenticated:
            return None
        url_name = request.resolver_match.url_name or ""
        if url_name.startswith("mfa_") or url_name in self.OPEN_URL_NAMES:
            return None
        from .accounts import lacks_required_second_factor

        if not lacks_required_second_factor(request.user, role=pagecache.person_role(request)):
            return None
        messages.warning(request, _("Staff accounts log in with two-step verification. Set it up now with an "
                                    "authenticator app on your phone; then everything opens again."))
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):  # an htmx request swaps a part of a page: send the whole page on
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
