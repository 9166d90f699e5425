"""News between the purposes of bookings (the listeners live with the purpose that cares).

- `place_freed(session_id)`: a held or booked place on a session went back; sent inside the
  transaction that freed it (listeners queue their work for after the commit). The group classes
  offer it to the waitlist.
- `session_filled(session)`: the last place on a session was just taken; sent inside that
  transaction, the session locked. The group classes tell whoever was offered a last-minute place
  that it has gone.
"""

from django.dispatch import Signal

place_freed = Signal()
session_filled = Signal()
