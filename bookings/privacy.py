"""The private calendar link in a person's data; closing the account removes it. Registered with
core.privacy by BookingsConfig.ready()."""

from django.utils.translation import gettext as _

from core import privacy
from core.privacy import Record, Section

from .models import CalendarFeed


def _calendar(user) -> Section:
    feeds = [Record([privacy.item("created_at", _("created"), feed.created_at)]) for feed in CalendarFeed.objects.filter(client=user)]
    return Section("calendar_feed", _("Private calendar link"), feeds, single=True,
                   note=_("The link itself is secret; you find it on your bookings page."))


def forget(user) -> None:
    CalendarFeed.objects.filter(client=user).delete()


def register() -> None:
    privacy.register(key="calendar", order=80, sections=lambda user: [_calendar(user)], forget=forget)
