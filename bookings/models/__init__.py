from .booking import Booking, BookingEvent, WaitlistEntry
from .cards import ClassCard, ClassCardType, CreditEntry
from .intake import Intake, IntakeAccess
from .payments import Payment, Refund, StripeEvent
from .policy import BookingPolicy, CalendarFeed

__all__ = [
    "Booking", "BookingEvent", "BookingPolicy", "CalendarFeed", "ClassCard", "ClassCardType", "CreditEntry",
    "Intake", "IntakeAccess", "Payment", "Refund", "StripeEvent", "WaitlistEntry",
]
