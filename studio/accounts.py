"""How allauth fits the studio: language from the visitor, names on signup, where each kind of
person lands after logging in, and the second factor staff log in with."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.urls import reverse
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
        the last minutes. A login in those minutes counts too: a staff member sent to set up her app right
        after logging in, and shown her recovery codes after it, is not asked twice."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if required and app == "allauth.mfa" and request is not None and request.user.is_authenticated:
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


def verify_address_on_reset(sender, request, user, **kwargs):
    """A password set from an emailed link proves the address is hers (a walk-in's invitation is such
    a link): it counts as verified, so her first login does not ask her to confirm it again."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(verified=True)


def is_staff_member(user) -> bool:
    """Someone who works in the studio's back office or admin: a teacher, an admin, a superuser or
    anyone with access to the Django admin. They log in with a second factor."""
    return user.is_authenticated and (user.is_staff or is_teacher(user))


def lacks_required_second_factor(user) -> bool:
    """True for a staff member without an authenticator app while settings.STAFF_MFA_REQUIRED is on
    (production): she must set one up before anything else opens."""
    return (settings.STAFF_MFA_REQUIRED and is_staff_member(user)
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP]))


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-step verification in the studio's words."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("That code is not right. Enter the 6 digits your authenticator app shows right now."),
        "unverified_email": _("Confirm your email address first; then you can set up two-step verification."),
    }
