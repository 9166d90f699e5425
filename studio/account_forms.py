"""allauth's account forms with the studio's own field labels (settings.ACCOUNT_FORMS): "Email address",
"Keep me logged in", "Repeat your new password" in both languages, instead of allauth's title case
("Remember Me", "Current Password", "New Password (again)"). The labels are visible above each field, so
the placeholders that only repeated them are dropped."""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

EMAIL = _("Email address")
PASSWORD = _("Password")
REPEAT_PASSWORD = _("Repeat your password")
NEW_PASSWORD = _("New password")
REPEAT_NEW_PASSWORD = _("Repeat your new password")


class Relabelled:
    """Give the fields named in `labels` the studio's label (and no placeholder)."""

    labels: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            field = self.fields.get(name)
            if field is not None:
                field.label = label
                field.widget.attrs.pop("placeholder", None)


class LoginForm(Relabelled, allauth_forms.LoginForm):
    labels = {"login": EMAIL, "password": PASSWORD, "remember": _("Keep me logged in on this device")}


class SignupForm(Relabelled, allauth_forms.SignupForm):
    labels = {"email": EMAIL, "password1": PASSWORD, "password2": REPEAT_PASSWORD}


class AddEmailForm(Relabelled, allauth_forms.AddEmailForm):
    labels = {"email": _("New email address")}


class ChangePasswordForm(Relabelled, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": _("Your current password"), "password1": NEW_PASSWORD, "password2": REPEAT_NEW_PASSWORD}


class SetPasswordForm(Relabelled, allauth_forms.SetPasswordForm):
    labels = {"password1": PASSWORD, "password2": REPEAT_PASSWORD}


class ResetPasswordForm(Relabelled, allauth_forms.ResetPasswordForm):
    labels = {"email": EMAIL}


class ResetPasswordKeyForm(Relabelled, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": NEW_PASSWORD, "password2": REPEAT_NEW_PASSWORD}


class ReauthenticateForm(Relabelled, allauth_forms.ReauthenticateForm):
    labels = {"password": PASSWORD}


class RequestLoginCodeForm(Relabelled, allauth_forms.RequestLoginCodeForm):
    labels = {"email": EMAIL}

