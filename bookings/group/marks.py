"""Her own marks on the shared timetable pages: "you are booked", "on the waitlist".

The timetable, offering, session and home pages are cached once for every signed-in client
(core.pagecache), with markers where a session may be hers:
- `<!--mine:<session id>-->` (the session page): filled with her badge ("You are booked"), else dropped;
- `<!--mine-row:<session id>-->button<!--/mine-row-->` (a booking row): on her sessions the row's
  book or waitlist button gives way to her state ("Booked", "On the waitlist", a link to her
  bookings); on the others the button stays.
Her marks come from one small query, kept in the cache under her own version (which every change
to her bookings or waitlist places bumps), so most pages cost no query for them at all.
"""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import pagecache

from ..models import Booking, WaitlistEntry

MARKER = re.compile(r"<!--mine:(\d+)-->|<!--mine-row:(\d+)-->(.*?)<!--/mine-row-->", re.S)


def _labels():
    return {
        ("booking", Booking.Status.CONFIRMED): _("You are booked"),
        ("booking", Booking.Status.PENDING_PAYMENT): _("Waiting for your payment"),
        ("booking", Booking.Status.OFFERED): _("A place is held for you"),
        ("waitlist", WaitlistEntry.Status.WAITING): _("You are on the waitlist"),
        ("waitlist", WaitlistEntry.Status.OFFERED): _("A place is offered to you"),
    }


def _row_labels():
    """The short words a booking row shows instead of its button."""
    return {
        ("booking", Booking.Status.CONFIRMED): _("Booked"),
        ("booking", Booking.Status.PENDING_PAYMENT): _("To pay"),
        ("booking", Booking.Status.OFFERED): _("Place held for you"),
        ("waitlist", WaitlistEntry.Status.WAITING): _("On the waitlist"),
        ("waitlist", WaitlistEntry.Status.OFFERED): _("Place offered"),
    }


RECENT = timedelta(days=1)


def her_sessions(client, now) -> dict[int, tuple[str, str]]:
    """{session id: (booking|waitlist, status)} for her places and waitlist entries of classes that
    have not ended (or ended in the last day, so a kept copy stays right while it is kept)."""
    marks = {}
    waiting = WaitlistEntry.objects.filter(client=client, session__ends_at__gt=now - RECENT,
                                           status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED])
    for session_id, status in waiting.values_list("session_id", "status").order_by():
        marks[session_id] = ("waitlist", status)
    places = (Booking.objects.filter(client=client, session__ends_at__gt=now - RECENT)
              .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.RELEASED]))
    for session_id, status in places.values_list("session_id", "status").order_by():
        marks[session_id] = ("booking", status)  # a place outranks a waitlist line
    return marks


def overlay(request, html: str) -> str:
    if "<!--mine" not in html:
        return html
    marks = pagecache.person_memo(request, "marks", lambda: her_sessions(request.user, timezone.now()))
    labels, row_labels, mine_url = None, None, None

    def fill(match):
        nonlocal labels, row_labels, mine_url
        lone, row, button = match.groups()
        mark = marks.get(int(lone or row))
        if lone:
            labels = labels or _labels()
            return format_html(' <span class="badge badge-mine">{}</span>', labels[mark]) if mark in labels else ""
        row_labels = row_labels or _row_labels()
        if mark not in row_labels:
            return button
        mine_url = mine_url or reverse("bookings:my_bookings")
        return format_html('<a class="mine-chip" href="{}">{}</a>', mine_url, row_labels[mark])

    return MARKER.sub(fill, html)


def register() -> None:
    pagecache.register_overlay(overlay)
