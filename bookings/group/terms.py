"""What cancelling a class costs, as the one sentence a client reads: in the booking confirmation (for
her booking, by how it was paid) and on the booking page (before she chose how to pay)."""

from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import BookingPolicy


def cancel_terms(*, paid_with: str | None, free_until: datetime, now: datetime, policy: BookingPolicy) -> str:
    """The sentence in the active language. `paid_with`: how her booking is paid (Booking.PaidWith), or None
    on the booking page. Past `free_until` it says free cancelling is over; the booking page says so without
    naming what is lost, as she may still book with a membership or pay at the studio."""
    if now > free_until:
        return _passed(paid_with, policy.cancel_window_hours)
    until = timezone.localtime(free_until)
    if paid_with is None:
        return _("You can cancel free of charge until %(date)s: your class or money comes back. After that you can still cancel, "
                 "so someone else can have your place, but nothing is returned.") % {"date": dateformat.format(until, "l j F, H:i")}
    when = {"day": dateformat.format(until, "l j F"), "time": dateformat.format(until, "H:i")}
    later = _("Cancelling later still frees your place for someone else, but then nothing is returned.")
    if paid_with == "card":
        early = _("Plans can change, and that is all right. If you cancel before %(day)s at %(time)s, the class goes back on your card.")
    elif paid_with == "stripe" and policy.drop_in_cancellation == BookingPolicy.DropInCancellation.CREDIT:
        early = _("Plans can change, and that is all right. If you cancel before %(day)s at %(time)s, you receive a studio credit "
                  "for another class.")
    elif paid_with == "stripe":
        early = _("Plans can change, and that is all right. If you cancel before %(day)s at %(time)s, you get your money back.")
    elif paid_with == "membership":
        early = _("Plans can change, and that is all right. If you cancel before %(day)s at %(time)s, the class no longer counts "
                  "for your membership.")
        later = _("Cancelling later still frees your place for someone else, but then the class counts as used.")
    else:  # paid at the studio, or part of a programme: nothing comes back, but the place does
        return _("Plans can change, and that is all right. If you cannot come, please cancel before %(day)s at %(time)s, so that "
                 "someone else can have your place.") % when
    return f"{early % when} {later}"


def _passed(paid_with: str | None, hours: int) -> str:
    if paid_with is None:
        return ngettext(
            "Cancelling free of charge is no longer possible for this class: that can be done until %(hours)s hour before it "
            "begins. If you book and cannot come after all, please still cancel, so someone else can have your place.",
            "Cancelling free of charge is no longer possible for this class: that can be done until %(hours)s hours before it "
            "begins. If you book and cannot come after all, please still cancel, so someone else can have your place.",
            hours) % {"hours": hours}
    if paid_with in ("card", "stripe"):
        return ngettext(
            "Cancelling free of charge is no longer possible for this class: that can be done until %(hours)s hour before it "
            "begins. If you cannot come after all, please still cancel, so someone else can have your place; nothing is "
            "returned then.",
            "Cancelling free of charge is no longer possible for this class: that can be done until %(hours)s hours before it "
            "begins. If you cannot come after all, please still cancel, so someone else can have your place; nothing is "
            "returned then.",
            hours) % {"hours": hours}
    if paid_with == "membership":
        return ngettext(
            "Cancelling free of charge is no longer possible for this class: that can be done until %(hours)s hour before it "
            "begins. If you cannot come after all, please still cancel, so someone else can have your place; the class then "
            "counts as used.",
            "Cancelling free of charge is no longer possible for this class: that can be done until %(hours)s hours before it "
            "begins. If you cannot come after all, please still cancel, so someone else can have your place; the class then "
            "counts as used.",
            hours) % {"hours": hours}
    return ngettext(
        "This class begins within %(hours)s hour. If you cannot come after all, please still cancel, so someone else can "
        "have your place.",
        "This class begins within %(hours)s hours. If you cannot come after all, please still cancel, so someone else can "
        "have your place.",
        hours) % {"hours": hours}
