"""What the group classes do when something happens elsewhere. Connected by BookingsConfig.ready()."""

from classes.services import session_cancelled, session_changed

from .. import places
from ..signals import place_freed
from . import changes, emails, services, waitlist


def end_bookings_of_cancelled_session(sender, session, reason, **kwargs):
    """The studio cancelled a class (inside its transaction, the session locked): bookings end,
    everything paid comes back, nobody waits for a place any more."""
    services.bookings_cancel_by_studio(session=session, reason=reason)
    waitlist.waitlist_clear(session_id=session.pk)


def tell_about_changed_session(sender, session, old, changed, **kwargs):
    """The studio changed a class (inside its transaction, the session locked). A new time, room or
    teacher: once committed, everyone booked and on the waitlist gets an email in their language.
    More places: they are offered to the waitlist, as any freed place is."""
    if changes.is_a_move(changed):
        booked, waiting = changes.who_to_tell(session)
        before = changes.old_values(old)
        for booking in booked:
            emails.send_session_changed.delay_on_commit(booking.pk, session.revision, before)
        for entry in waiting:
            emails.send_session_changed_waitlist.delay_on_commit(entry.pk, session.revision, before)
    if "capacity" in changed and changes.places_added(old, session):
        places.announce_freed(session.pk)


def offer_freed_place(sender, session_id, **kwargs):
    """A place came free: once that is committed, offer it to the first in line."""
    waitlist.offer_freed_places_task.delay_on_commit(session_id)


def connect() -> None:
    session_cancelled.connect(end_bookings_of_cancelled_session, dispatch_uid="bookings-group-session-cancelled")
    session_changed.connect(tell_about_changed_session, dispatch_uid="bookings-group-session-changed")
    place_freed.connect(offer_freed_place, dispatch_uid="bookings-group-place-freed")
