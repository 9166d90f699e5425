"""How allauth fits the studio: language from the visitor, names on signup, and where each kind of
person lands after logging in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils.translation import get_language

from core.roles import is_admin, is_teacher


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = (get_language() or "nl")[:2]
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """Asked only when the login had no `next` (a client who was on her way somewhere goes back
        there first): the admin lands on her desk, a teacher on her day, a client on her account."""
        user = request.user
        if is_admin(user):
            return reverse("bookings:reports")
        if is_teacher(user):
            return reverse("bookings:teacher_overview")
        return super().get_login_redirect_url(request)


def verify_address_on_reset(sender, request, user, **kwargs):
    """A password set from an emailed link proves the address is hers (a walk-in's invitation is such
    a link): it counts as verified, so her first login does not ask her to confirm it again."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(verified=True)
