"""The client's privacy pages: everything the studio holds (readable, and as a JSON file) and closing
the account."""

import json

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core import ratelimit

from . import privacy

CONFIRMATION_PHRASE = gettext_lazy("delete my account")
ATTEMPTS_PER_HOUR = 10


@login_required
@never_cache
def overview(request):
    return render(request, "studio/privacy/overview.html", {
        "sections": privacy.privacy_sections(user=request.user),
        "blockers": privacy.account_delete_blockers(user=request.user),
    })


@login_required
@never_cache
def download(request):
    now = timezone.now()
    data = privacy.privacy_export(user=request.user, now=now)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    filename = f"studio-tree-of-life-my-data-{timezone.localdate(now):%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class AccountDeleteForm(forms.Form):
    """Confirm with the password; an account without one (log-in by emailed code) types a phrase."""

    password = forms.CharField(label=gettext_lazy("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirmation = forms.CharField(label=gettext_lazy("Type the words shown above"), max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            del self.fields["confirmation"]
        else:
            del self.fields["password"]
            self.fields["confirmation"].help_text = _("Type: %(phrase)s") % {"phrase": CONFIRMATION_PHRASE}

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not ratelimit.hit("account-delete", str(self.user.pk), limit=ATTEMPTS_PER_HOUR, period_seconds=3600):
            raise forms.ValidationError(_("Too many attempts. Please try again in an hour. Nothing has been deleted."))
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing has been deleted."))
        return password

    def clean_confirmation(self):
        typed = " ".join(self.cleaned_data["confirmation"].lower().split())
        if typed not in {str(CONFIRMATION_PHRASE).lower(), "delete my account"}:
            raise forms.ValidationError(_("The words do not match. Nothing has been deleted."))
        return typed


@sensitive_post_parameters("password")
@login_required
@never_cache
def delete_account(request):
    blockers = privacy.account_delete_blockers(user=request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            privacy.account_delete(user=request.user)
        except privacy.PrivacyError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            return redirect("privacy:deleted")
    return render(request, "studio/privacy/delete_account.html", {
        "form": form, "blockers": blockers, "phrase": CONFIRMATION_PHRASE,
    })


def deleted(request):
    """Where a closed account lands: what happened and what was kept."""
    return render(request, "studio/privacy/deleted.html")
