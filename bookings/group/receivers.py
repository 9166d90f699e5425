"""What the group classes do when something happens elsewhere. Connected by BookingsConfig.ready()."""

from classes.services import session_cancelled, session_changed

from .. import places
from ..quiet_hours import send_considerately
from ..signals import place_freed, session_filled
from . import changes, emails, services, waitlist, waitlist_offers


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
        about = min(session.starts_at, old["starts_at"])  # a move of an early class is news before the night ends
        for booking in booked:
            send_considerately(emails.send_session_changed, booking.pk, session.revision, before, about=about)
        for entry in waiting:
            send_considerately(emails.send_session_changed_waitlist, entry.pk, session.revision, before, about=about)
    if "capacity" in changed and changes.places_added(old, session):
        places.announce_freed(session.pk)


def offer_freed_place(sender, session_id, **kwargs):
    """A place came free: once that is committed, offer it to the first in line."""
    waitlist_offers.offer_freed_places_task.delay_on_commit(session_id)


def tell_last_minute_place_gone(sender, session, **kwargs):
    """The class is full again: once that is committed, whoever was told of a last-minute place hears it
    has gone (after the commit, so the waitlist rows are never locked after a card or payment)."""
    waitlist_offers.last_minute_places_gone_task.delay_on_commit(session.pk)


def connect() -> None:
    session_cancelled.connect(end_bookings_of_cancelled_session, dispatch_uid="bookings-group-session-cancelled")
    session_changed.connect(tell_about_changed_session, dispatch_uid="bookings-group-session-changed")
    place_freed.connect(offer_freed_place, dispatch_uid="bookings-group-place-freed")
    session_filled.connect(tell_last_minute_place_gone, dispatch_uid="bookings-group-session-filled")
