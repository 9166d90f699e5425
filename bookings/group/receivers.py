"""What the group classes do when something happens elsewhere. Connected by BookingsConfig.ready()."""

from classes.services import session_cancelled

from ..signals import place_freed
from . import services, waitlist


def end_bookings_of_cancelled_session(sender, session, reason, **kwargs):
    """The studio cancelled a class (inside its transaction, the session locked): bookings end,
    everything paid comes back, nobody waits for a place any more."""
    services.bookings_cancel_by_studio(session=session, reason=reason)
    waitlist.waitlist_clear(session_id=session.pk)


def offer_freed_place(sender, session_id, **kwargs):
    """A place came free: once that is committed, offer it to the first in line."""
    waitlist.offer_freed_places_task.delay_on_commit(session_id)


def connect() -> None:
    session_cancelled.connect(end_bookings_of_cancelled_session, dispatch_uid="bookings-group-session-cancelled")
    place_freed.connect(offer_freed_place, dispatch_uid="bookings-group-place-freed")
