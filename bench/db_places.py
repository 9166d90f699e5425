"""A session's places as the database has them (run through `manage.py shell` with the argument
SESSION_ID). Prints one JSON line: capacity, places_taken, the confirmed bookings and those holding a place."""

import json
import sys

from bookings.models import Booking
from classes.models import Session

session = Session.objects.get(pk=int(sys.argv[1]))
bookings = Booking.objects.filter(session=session)
print(json.dumps({"capacity": session.capacity, "places_taken": session.places_taken, "confirmed": bookings.confirmed().count(),
                  "holding_a_place": bookings.holding_a_place().count()}))
