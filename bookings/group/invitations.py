"""The invitation a walk-in receives when the teacher makes her an account: a welcome in her language
and a link to choose her password (allauth's own "set a new password" page, with allauth's token,
so the link works like a password reset and stops working once used)."""

from smtplib import SMTPException

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from ..emails import absolute, compose, speaking


def set_password_url(user) -> str:
    """The absolute link to choose a password (in the language active when called)."""
    path = reverse("account_reset_password_from_key",
                   kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    return absolute(path)


def invitation_message(user):
    days = max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1)
    with speaking(user):
        return compose("personal", user, {
            "title": _("Welcome to Studio Tree of Life"),
            "intro": [_("Lovely that you came to a class. The studio has made an account for you with this email address, "
                        "so you can see your bookings, book your next class and cancel when plans change.")],
            "outro": [_("Choose a password with the button below. The link works for %(days)d days; after that you can ask "
                        "for a new one with 'Forgot your password?' on the login page.") % {"days": days},
                      _("Did you not expect this email? Then you can simply ignore it.")],
            "button": {"url": set_password_url(user), "label": _("Choose your password")},
        })


@shared_task(name="bookings.tasks.send_walk_in_invitation", acks_late=True, autoretry_for=(SMTPException, OSError),
             retry_backoff=True, max_retries=5)
def send_walk_in_invitation(user_id: int) -> None:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return  # gone, or she chose a password already: nothing to invite her to
    invitation_message(user).send()
