"""The memberships' part of a person's data: each membership with its dates, pause and cancellation.
A running one keeps the account open (Stripe would go on collecting); memberships stay, like the
payments they belong to. Registered with core.privacy by BookingsConfig.ready()."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import privacy
from core.privacy import Record, Section

from ..models import Membership
from . import periods


def sections(user) -> list[Section]:
    memberships = Membership.objects.filter(client=user).exclude(status=Membership.Status.NOT_STARTED).select_related("membership_type")
    records = [Record([privacy.item("membership", _("membership"), membership.membership_type.name),
                       *privacy.fields(membership, ["status", "price_cents", "created_at", "started_at", "current_period_start",
                                                    "current_period_end", "pause_from", "pause_until", "cancel_requested_at", "ends_at",
                                                    "ended_at", "payment_failed_at"],
                                       money={"price_cents": _("price per month")})])
               for membership in memberships.order_by("created_at", "pk")]
    return [Section("memberships", _("Memberships"), records)]


def blockers(user, now) -> list[str]:
    running = periods.live_membership(user)
    if running is None:
        return []
    if running.ends_at is not None:
        return [_("Your membership runs until %(date)s. You can close your account once it has ended.") % {
            "date": formats.date_format(timezone.localtime(running.ends_at), "j F Y")}]
    return [_("You still have a running membership. Please cancel it first on your membership page; you can close your "
              "account once it has ended.")]


def register() -> None:
    privacy.register(key="memberships", order=25, sections=sections, blockers=blockers)
