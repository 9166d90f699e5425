from .appointments import Appointment, AppointmentEvent
from .booking import Booking, BookingEvent, WaitlistEntry
from .cards import ClassCard, ClassCardType, CreditEntry
from .cashup import CashCount
from .intake import Intake, IntakeAccess
from .messages import QueuedMessage
from .payments import Payment, ReceiptCounter, Refund, StripeEvent
from .policy import BookingPolicy, CalendarFeed
from .programmes import ProgrammeCreditEntry, ProgrammeEnrolment, SessionNote

__all__ = [
    "Appointment", "AppointmentEvent", "Booking", "BookingEvent", "BookingPolicy", "CalendarFeed", "CashCount", "ClassCard", "ClassCardType",
    "CreditEntry", "Intake", "IntakeAccess", "Payment", "ProgrammeCreditEntry", "ProgrammeEnrolment", "QueuedMessage", "ReceiptCounter", "Refund", "SessionNote",
    "StripeEvent", "WaitlistEntry",
]
