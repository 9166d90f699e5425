"""The client's privacy rights: see and download everything the studio holds about them, and close
their account.

Every app registers what it holds about a person in `core.privacy` (its sections, what stops an
account from closing, what closing removes); this module adds the profile and the account itself,
and loops over the registry. `privacy_sections` gathers it all once; the readable page shows the
sections and `privacy_export` turns them into the JSON download, so both always hold the same.
`account_delete` removes or anonymises personal data and keeps what the law requires: payments
(amounts, dates, receipt numbers, refunds) stay, pointing at an anonymised account that can no
longer log in.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import privacy as registry
from core.privacy import PrivacyError, Record, Section, fields
from core.roles import is_teacher

__all__ = ["PrivacyError", "account_delete", "account_delete_blockers", "privacy_export", "privacy_sections"]

ANONYMOUS_DOMAIN = "deleted.invalid"  # a reserved top-level domain: mail to it never goes anywhere


def profile_sections(user) -> list[Section]:
    items = fields(user, ["email", "first_name", "last_name", "phone", "language", "date_joined", "last_login"])
    addresses = [Record(fields(address, ["email", "verified", "primary"])) for address in EmailAddress.objects.filter(user=user)]
    record = Record(items, [Section("email_addresses", _("Email addresses"), addresses)])
    return [Section("profile", _("Your details"), [record], single=True)]


def register() -> None:
    registry.register(key="profile", order=0, sections=profile_sections)


def privacy_sections(*, user) -> list[Section]:
    """Everything the studio holds about `user`, as labelled sections, in a fixed number of queries."""
    return [section for holder in registry.holders() for section in holder.sections(user)]


def privacy_export(*, user, now=None) -> dict:
    """The JSON download: every section under its key, plus when it was made and by which studio."""
    now = now or timezone.now()
    data = {
        "exported_at": registry.json_value(now),
        "studio": {key: settings.STUDIO[key] for key in ("name", "street", "postcode", "city", "email", "kvk")},
        "about": _("Everything Studio Tree of Life holds about you. Amounts are in euro cents; times are Europe/Amsterdam."),
    }
    for section in privacy_sections(user=user):
        data[section.key] = section.as_json()
    return data


def account_delete_blockers(*, user, now=None) -> list[str]:
    """Reasons the account cannot be closed right now, in plain words (empty: it can)."""
    now = now or timezone.now()
    reasons = []
    if user.is_staff or user.is_superuser or is_teacher(user):
        reasons.append(_("This is a staff account. Please ask the studio's administrator to close it."))
    for holder in registry.holders():
        if holder.blockers is not None:
            reasons += holder.blockers(user, now)
    return reasons


def account_delete(*, user, now=None) -> None:
    """Close the account: personal data removed or anonymised by every app that holds some, payment
    records kept (pointing at the anonymised account), and no way to log in any more. All or nothing."""
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        reasons = account_delete_blockers(user=user, now=now)
        if reasons:
            raise PrivacyError(reasons[0])
        for holder in registry.holders():  # before the address changes: some find what they hold by it
            if holder.forget is not None:
                holder.forget(user)
        # The login addresses, then the account itself.
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}-{secrets.token_hex(4)}@{ANONYMOUS_DOMAIN}"
        user.first_name = ""
        user.last_name = ""
        user.phone = ""
        user.is_active = False
        user.last_login = None
        user.set_unusable_password()  # also ends every session the account had open
        user.save()
        # Bookings, class cards with their ledger, payments and refunds stay: they point at this account.
