"""The studio's own pages: home, about, contact, the editable legal pages,
the profile, the language switch and the machine endpoints."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from blog import selectors as blog_selectors
from bookings.models import BookingPolicy, ClassCardType
from bookings.policy import rules_for_clients
from classes import selectors as classes_selectors
from classes.models import AppointmentType, Offering
from core import ratelimit
from core.pagecache import cached_for_visitors

from . import health
from .forms import ContactForm, ProfileForm
from .models import Page
from .tasks import send_contact_message


@cached_for_visitors
def home(request):
    # What we offer: every group class and programme has a card that links to its own page; the
    # one-to-ones share one card, to their page, when a kind of one-to-one can be booked on its own
    # (named and described by the studio's one-to-one offering, if it wrote one).
    shown = list(Offering.objects.shown())
    offers = [offer for offer in shown if offer.kind != Offering.Kind.ONE_TO_ONE]
    return render(request, "studio/home.html", {
        "offers": offers,
        "programme": next((offer for offer in offers if offer.kind == Offering.Kind.PROGRAMME), None),
        "one_to_ones": AppointmentType.objects.filter(is_active=True, is_bookable_alone=True).exists(),
        "one_to_one_offer": next((offer for offer in shown if offer.kind == Offering.Kind.ONE_TO_ONE), None),
        "cards_on_sale": ClassCardType.objects.filter(is_on_sale=True, is_studio_credit=False).exists(),
        "tre_page": Page.objects.filter(key=Page.Key.TRE).exists(),
        # The hero picture: the about page's photo (uploaded in the admin), else the studio's drawing.
        "hero": Page.objects.filter(key=Page.Key.ABOUT).only("image", "image_alt_nl", "image_alt_en", "image_renditions").first(),
        "next_sessions": classes_selectors.next_sessions(limit=6),
        "latest_posts": blog_selectors.latest_posts(language=get_language(), limit=3),
    })


def page(request, key):
    context = {"page": get_object_or_404(Page, key=key)}
    if key == Page.Key.TERMS:
        # The booking rules are written from the studio's current settings, never typed in the text:
        # rendered on every request (this page is not in the page cache), so a saved rule shows at once.
        context["rules"] = rules_for_clients(BookingPolicy.current())
    return render(request, "studio/page.html", context)


def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # A bot filled in the hidden field: thank it and send nothing.
            messages.success(request, _("Thank you, your message has been sent."))
            return redirect("contact")
        if not ratelimit.hit("contact", ratelimit.client_ip(request), limit=5, period_seconds=3600):
            form.add_error(None, _("You have sent several messages in a short time. Please try again in an hour, or email us directly."))
        else:
            data = form.cleaned_data
            send_contact_message.delay_on_commit(data["name"], data["email"], data["message"])
            messages.success(request, _("Thank you, your message has been sent. We usually answer within two days."))
            return redirect("contact")
    return render(request, "studio/contact.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your details have been saved."))
        response = redirect("profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        response["Location"] = translate_url(response["Location"], user.language)
        return response
    return render(request, "studio/profile.html", {"form": form})


@csrf_exempt  # only sets the language; exempt so public pages carry no token and can be cached
@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the profile.

    This URL sits outside i18n_patterns, so LocaleMiddleware leaves Dutch active here, and Django's
    translate_url could not resolve an English `next` ("/en/...": no such Dutch path) and would send the
    visitor back to the English page. The language of the page she came from is active while Django's
    view translates it, so the switch works both ways."""
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        # Django's view takes any language it has a catalogue for ("fr") and would send her to "/fr/...".
        next_url = request.POST.get("next")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            next_url = reverse("home")
        return HttpResponseRedirect(next_url)  # a path, never a view name: `redirect("9999-12-31")` would try to reverse it
    next_path = urlsplit(_switch_target(request) or "").path
    with translation.override(translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE):
        response = django_set_language(request)
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def _switch_target(request) -> str | None:
    """The address Django's set_language goes back to, chosen as it does: a safe `next`, else a safe
    Referer, else "/" (None when neither is given and the request wants no page: Django answers 204)."""
    def is_safe(url):
        return url_has_allowed_host_and_scheme(url=url, allowed_hosts={request.get_host()}, require_https=request.is_secure())

    next_url = request.POST.get("next", request.GET.get("next"))
    if (next_url or request.accepts("text/html")) and not is_safe(next_url):
        next_url = request.META.get("HTTP_REFERER")
        if not is_safe(next_url):
            next_url = "/"
    return next_url


def admin_login(request, extra_context=None):
    """The admin site's login page, replaced: everyone logs in through the site's own login,
    which is rate-limited, and comes back to where they were going in the admin."""
    target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        messages.error(request, _("This account has no access to the studio's administration."))
        return redirect("home")
    return redirect_to_login(target, login_url=reverse("account_login"))


def bad_request(request, exception=None):
    """400: something in the address or a form we cannot use (see core.guards); nothing was saved."""
    return render(request, "400.html", status=400)


@never_cache
@require_GET
def healthz(request):
    """The database, the cache and the Celery broker, each "ok" or "error"; 503 when one is down."""
    healthy, body = health.report()
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /account/", "Disallow: /en/account/", f"Sitemap: {settings.SITE_URL}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
