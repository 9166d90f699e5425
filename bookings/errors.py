class BookingError(Exception):
    """A booking rule said no; the message is shown to the client as is (already translated)."""


class PaymentError(Exception):
    """A payment could not be started, checked or refunded; the message is shown as is."""
