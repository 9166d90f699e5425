"""How allauth fits the studio: its messages and emails in the studio's words (emails with the studio's
name and public address), language from the visitor, names on signup, where each kind of person lands
after logging in, and the second factor staff log in with."""

import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.roles import is_admin, is_teacher


@checks.register(checks.Tags.security, deploy=True)
def check_public_address(app_configs=None, **kwargs):
    """Account emails link to SITE_URL: in production it must be the studio's public https address."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or parts.hostname in {"localhost", "127.0.0.1", "::1", "0.0.0.0"}:  # noqa: S104 - a check
        return [checks.Warning(f"SITE_URL is {settings.SITE_URL!r}: emails would link there.",
                               hint="Set SITE_URL to the studio's public address, e.g. https://studiotreeoflife.nl.",
                               id="studio.W001")]
    return []


class PublicSite:
    """What allauth calls the "current site", for the studio's emails: its name and public address
    (settings.SITE_URL), never the host a request happened to come in on."""

    def __init__(self):
        self.name = settings.STUDIO["name"]
        self.domain = urlsplit(settings.SITE_URL).netloc


def public_url(url: str) -> str:
    """An absolute link allauth built from the request, moved to the studio's public address."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    return settings.SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is not active. Get in touch with us if you think this is a mistake."),
        "cannot_remove_primary_email": _("This is the address you log in with; it cannot be removed."),
        "duplicate_email": _("This email address is already part of your account."),
        "email_password_mismatch": _("This email address and password do not match. Try again, or log in with a code by email."),
        "email_taken": _("There is already an account with this email address. Log in, or choose a new password if you forgot it."),
        "enter_current_password": _("Fill in your current password."),
        "incorrect_code": _("This code is not right. Check the code in our email and try again."),
        "incorrect_password": _("This password is not right."),
        "invalid_or_expired_key": _("This link or code no longer works. Ask for a new one."),
        "invalid_password_reset": _("This link to choose a new password no longer works. Ask for a new one."),
        "too_many_login_attempts": _("Too many attempts to log in. Wait a few minutes and try again, or choose a new password."),
        "unknown_email": _("We have no account with this email address. Check it for typing errors, or create an account."),
        "unverified_primary_email": _("Confirm your email address first."),
        "same_as_current": _("This is the same as now."),
        "rate_limited": _("That was a lot in a short time. Wait a moment and try again."),
    }

    def send_mail(self, template_prefix, email, context):
        """Every account email in the studio's frame: its name and public address, links on SITE_URL,
        and her name when we know her."""
        context = {key: public_url(value) if key.endswith("_url") and isinstance(value, str) else value
                   for key, value in context.items()}
        if context.get("user") is None:
            context["user"] = get_user_model().objects.filter(email__iexact=email).only("first_name").first()
        super().send_mail(template_prefix, email, {
            "studio": settings.STUDIO,
            "site_url": settings.SITE_URL,
            "password_reset_url": settings.SITE_URL + reverse("account_reset_password"),
            **context,
            "current_site": PublicSite(),
        })

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """allauth's notice of a change to the account ("was it not you?"), with her name. A first password
        chosen through an emailed link (a walk-in's invitation: she never logged in) is no alarming change:
        she gets a welcome that her password is set instead."""
        context = {"user": user, **(context or {})}
        if template_prefix == "account/email/password_reset" and user.last_login is None:
            template_prefix = "account/email/password_first_set"
            context["login_url"] = settings.SITE_URL + reverse("account_login")
        super().send_notification_mail(template_prefix, user, context, email)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = (get_language() or "nl")[:2]
        if commit:
            user.save()
        return user

    def is_reauthentication_required(self, *, app, **kwargs):
        """allauth asks for the password again before a change to the second factor unless she did so in
        the last minutes. While she sets up her first app (and reads the recovery codes it gave her), a
        login in those minutes counts too: a staff member sent there right after logging in is not asked
        twice. Switching the app off, new codes, or the codes later on ask as allauth does."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if (required and app == "allauth.mfa" and request is not None and request.user.is_authenticated
                and _setting_up_her_first_app(request)):
            records = get_authentication_records(request, request.user)
            last_at = max((record["at"] for record in records), default=0)
            return time.time() - last_at >= account_settings.REAUTHENTICATION_TIMEOUT
        return required

    def get_login_redirect_url(self, request):
        """Asked only when the login had no `next` (a client who was on her way somewhere goes back
        there first): the admin lands on her desk, a teacher on her day, a client on her account."""
        user = request.user
        if is_admin(user):
            return reverse("desk")
        if is_teacher(user):
            return reverse("bookings:teacher_overview")
        return super().get_login_redirect_url(request)


SETTING_UP = {"mfa_activate_totp", "mfa_view_recovery_codes"}


def _setting_up_her_first_app(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in SETTING_UP:
        return False
    apps = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).values_list("created_at", flat=True)
    if match.url_name == "mfa_activate_totp":
        return not apps
    recent = timezone.now() - timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT)
    return any(created >= recent for created in apps)


def verify_address_on_reset(sender, request, user, **kwargs):
    """A password set from an emailed link proves the address is hers (a walk-in's invitation is such
    a link): it counts as verified, so her first login does not ask her to confirm it again."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(verified=True)


def is_staff_member(user, *, role: str | None = None) -> bool:
    """Someone who works in the studio's back office or admin: a teacher, an admin, a superuser or
    anyone with access to the Django admin. They log in with a second factor. `role`: her role when
    already known (core.pagecache.person_role), which spares the database."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return role in ("teacher", "admin") if role is not None else is_teacher(user)


def lacks_required_second_factor(user, *, role: str | None = None) -> bool:
    """True for a staff member without an authenticator app while settings.STAFF_MFA_REQUIRED is on
    (production): she must set one up before anything else opens."""
    return (settings.STAFF_MFA_REQUIRED and is_staff_member(user, role=role)
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP]))


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-step verification in the studio's words."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("That code is not right. Enter the 6 digits your authenticator app shows right now."),
        "unverified_email": _("Confirm your email address first; then you can set up two-step verification."),
    }
