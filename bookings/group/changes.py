"""When the studio changes a booked class's time, room or teacher (classes.services.session_change):
who is told, what they are told changed, and the link that lets someone who can no longer come
cancel free of charge, whatever the cancellation window.

The link carries a signed token (django.core.signing) naming the booking and the class's revision
at the change. It holds only for that booking's own client, while the class has not changed again
and has not started; the cancelling itself is `services.booking_cancel(after_change=revision)`.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.services import MOVING_FIELDS

from .. import ways_to_pay
from ..errors import BookingError
from ..models import Booking, WaitlistEntry

TOKEN_SALT = "bookings.group.changes.free-cancel"
TOLD_BOOKED = (Booking.Status.CONFIRMED, Booking.Status.PENDING_PAYMENT)
TOLD_WAITING = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)


class ChangeLinkError(BookingError):
    """The free-cancel link cannot be used; the message says why, in plain words."""


def is_a_move(changed) -> bool:
    """Did the change make what clients know out of date (time, room or teacher)?"""
    return bool(MOVING_FIELDS & set(changed))


def places_added(old: dict, session) -> bool:
    return session.capacity > old["capacity"]


def who_to_tell(session) -> tuple[list[Booking], list[WaitlistEntry]]:
    """Everyone concerned by a change: the bookings holding a place (confirmed, or being paid for)
    and everyone on the waitlist (waiting, or offered a place). Someone booked is told once."""
    booked = list(Booking.objects.filter(session=session, status__in=TOLD_BOOKED).select_related("client").order_by("created_at", "pk"))
    booked_clients = {booking.client_id for booking in booked}
    waiting = [entry for entry in WaitlistEntry.objects.filter(session=session, status__in=TOLD_WAITING)
               .select_related("client").order_by("created_at", "pk")
               if entry.client_id not in booked_clients]
    return booked, waiting


def old_values(old: dict) -> dict:
    """What the email needs of the values before the change, as plain data for a Celery task."""
    return {"starts_at": old["starts_at"].isoformat(), "ends_at": old["ends_at"].isoformat(),
            "room": old["room"].name, "room_id": old["room"].pk,
            "teacher": old["teacher"].name, "teacher_id": old["teacher"].pk}


@dataclass
class WhatChanged:
    """Old against new, for the email (datetimes are shown in Breda time by the templates)."""

    old_starts_at: datetime
    old_ends_at: datetime
    old_room: str
    old_teacher: str
    time: bool
    room: bool
    teacher: bool


def what_changed(old: dict, session) -> WhatChanged:
    """`old` as made by `old_values`; `session` as it is now."""
    old_starts_at = datetime.fromisoformat(old["starts_at"])
    old_ends_at = datetime.fromisoformat(old["ends_at"])
    return WhatChanged(
        old_starts_at=old_starts_at, old_ends_at=old_ends_at, old_room=old["room"], old_teacher=old["teacher"],
        time=(old_starts_at, old_ends_at) != (session.starts_at, session.ends_at),
        room=old["room_id"] != session.room_id, teacher=old["teacher_id"] != session.teacher_id,
    )


def may_cancel_on_its_own(booking: Booking) -> bool:
    """A date of a programme (or anything paid another purpose's way that refuses it) is not
    cancelled on its own; the email says so instead of offering the link."""
    way = ways_to_pay.way_for(booking.paid_with)
    return way is None or way.client_cancel_refusal is None


# The free-cancel link ------------------------------------------------------------------------


def free_cancel_token(booking: Booking, revision: int) -> str:
    return signing.dumps({"booking": booking.pk, "revision": revision}, salt=TOKEN_SALT, compress=True)


def free_cancel_read(token: str) -> tuple[int, int]:
    """The booking id and revision a link was made for. A link changed by hand, cut short or made
    elsewhere is refused."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        return int(data["booking"]), int(data["revision"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ChangeLinkError(_("This link is not complete or not valid. Please open the link from the email once more, "
                                "or cancel from your bookings page.")) from None


def free_cancel_check(booking: Booking, revision: int, *, now=None) -> None:
    """May the link still be used for this booking (already known to be the visitor's own)?"""
    now = now or timezone.now()
    session = booking.session
    if session.is_cancelled:
        raise ChangeLinkError(_("This class has been cancelled by the studio; you have received an email about it."))
    if session.has_started(now):
        raise ChangeLinkError(_("This class has already started, so this link no longer works."))
    if session.revision != revision:
        raise ChangeLinkError(_("This class has changed again since that email. Please use the link in the most recent email."))
    if not may_cancel_on_its_own(booking):
        raise ChangeLinkError(ways_to_pay.way_for(booking.paid_with).client_cancel_refusal())
