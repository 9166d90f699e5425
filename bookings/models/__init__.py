from .appointments import Appointment, AppointmentEvent
from .booking import Booking, BookingEvent, WaitlistEntry
from .cards import ClassCard, ClassCardType, CreditEntry
from .cashup import CashCount
from .intake import Intake, IntakeAccess
from .invoices import Invoice
from .memberships import Membership, MembershipType
from .messages import QueuedMessage
from .offers import DiscountCode, DiscountUse, IntroOfferUse, Voucher, VoucherEntry, VoucherProduct
from .payments import Payment, ReceiptCounter, Refund, StripeEvent
from .policy import BookingPolicy, CalendarFeed
from .programmes import ProgrammeCreditEntry, ProgrammeEnrolment, SessionNote

__all__ = [
    "Appointment", "AppointmentEvent", "Booking", "BookingEvent", "BookingPolicy", "CalendarFeed", "CashCount", "ClassCard", "ClassCardType",
    "CreditEntry", "DiscountCode", "DiscountUse", "Intake", "IntakeAccess", "IntroOfferUse", "Invoice", "Membership", "MembershipType", "Payment", "ProgrammeCreditEntry", "ProgrammeEnrolment", "QueuedMessage", "ReceiptCounter", "Refund", "SessionNote",
    "StripeEvent", "Voucher", "VoucherEntry", "VoucherProduct", "WaitlistEntry",
]
