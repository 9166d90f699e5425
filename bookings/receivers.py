from django.dispatch import receiver

from classes.services import session_cancelled

from . import services


@receiver(session_cancelled, dispatch_uid="bookings-session-cancelled")
def end_bookings_of_cancelled_session(sender, session, reason, **kwargs):
    services.bookings_cancel_by_studio(session=session, reason=reason)
