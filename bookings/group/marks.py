"""Her own marks on the shared timetable pages: "you are booked", "on the waitlist".

The timetable, offering, session and home pages are cached once for every signed-in client
(core.pagecache); each session row carries a marker `<!--mine:<session id>-->`. This overlay
fills the markers of her sessions and drops the others. Her marks come from one small query,
kept in the cache under her own version (which every change to her bookings or waitlist
places bumps), so most pages cost no query for them at all.
"""

import re
from datetime import timedelta

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import pagecache

from ..models import Booking, WaitlistEntry

MARKER = re.compile(r"<!--mine:(\d+)-->")


def _labels():
    return {
        ("booking", Booking.Status.CONFIRMED): _("You are booked"),
        ("booking", Booking.Status.PENDING_PAYMENT): _("Waiting for your payment"),
        ("booking", Booking.Status.OFFERED): _("A place is held for you"),
        ("waitlist", WaitlistEntry.Status.WAITING): _("You are on the waitlist"),
        ("waitlist", WaitlistEntry.Status.OFFERED): _("A place is offered to you"),
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
    if "<!--mine:" not in html:
        return html
    marks = pagecache.person_memo(request, "marks", lambda: her_sessions(request.user, timezone.now()))
    labels = _labels()

    def fill(match):
        mark = marks.get(int(match.group(1)))
        if mark is None or mark not in labels:
            return ""
        return format_html(' <span class="badge badge-mine">{}</span>', labels[mark])

    return MARKER.sub(fill, html)


def register() -> None:
    pagecache.register_overlay(overlay)
