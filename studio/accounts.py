"""How allauth fits the studio: language from the visitor, names on signup, where each kind of
person lands after logging in, and the second factor staff log in with."""

import time
from datetime import timedelta

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.roles import is_admin, is_teacher


class AccountAdapter(DefaultAccountAdapter):
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
