class BookingError(Exception):
    """A booking rule said no; the message is shown to the client as is (already translated)."""


class PaymentError(Exception):
    """A payment could not be started, checked or refunded; the message is shown as is."""


class IntakeMissing(BookingError):
    """A first TRE® or one-to-one session (or, when the studio asks, a first group class) needs the intake form
    first; the view sends the client there."""
