"""A booking's history: who did what, when (booked, paid, checked in, cancelled...). One line per
change, written in the same transaction as the change.

The code records short codes (`claimed_offer`, `released` with the note "checkout could not start");
people read them in plain words through `action_text` and `note_text`, never as codes. Every action
and every machine note the code records has a sentence here (a test reads the source to be sure)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Booking


def record(booking: Booking, action: str, *, actor=None, note="", now=None) -> None:
    booking.events.create(action=action, actor=actor, note=note, created_at=now or timezone.now())


# What happened, for a class booking (BookingEvent) and a one-to-one (AppointmentEvent) alike.
ACTIONS = {
    "booked": _("Booked"),
    "booked_by_staff": _("Booked by the studio"),
    "paid": _("Paid"),
    "paid_without_place": _("Paid after the place had been given to someone else; the money goes back"),
    "paid_without_time": _("Paid after the time had been given to someone else; the money goes back"),
    "paid_at_studio": _("Paid at the studio"),
    "cancelled": _("Cancelled in time"),
    "cancelled_late": _("Cancelled late"),
    "cancelled_by_studio": _("Cancelled by the studio"),
    "cancelled_after_change": _("Cancelled free of charge after the class changed"),
    "programme_cancelled": _("Cancelled together with the whole programme"),
    "offered_from_waitlist": _("A place was offered from the waitlist"),
    "claimed_offer": _("Took the place offered from the waitlist"),
    "booked_from_waitlist": _("Booked automatically from the waitlist, as she asked"),
    "claimed_last_minute": _("Took a last-minute place from the waitlist"),
    "released": _("Not completed; the place or time was given back"),
    "moved": _("Moved to another time"),
    "told_of_change": _("Was emailed that the class changed"),
    "touch_preference_set": _("Said whether touch is welcome"),
    "checked_in": _("Checked in"),
    "attended": _("Came to the session"),
    "no_show": _("Did not come"),
    "attendance_undone": _("Check-in or no-show undone"),
}
SOMETHING_CHANGED = _("Something changed")

# Notes and reasons the code itself writes (on history lines, ledger rows, refunds and payments).
NOTES = {
    "programme": _("as part of a programme"),
    "hold ran out": _("the time to pay ran out"),
    "its purchase was refunded": _("the money paid for it was refunded"),
    "hold or offer ran out": _("the time to pay or to take the offered place ran out"),
    "payment not completed": _("the payment was not completed"),
    "payment failed": _("the payment did not go through"),
    "checkout expired": _("the payment page expired"),
    "checkout could not start": _("the online payment could not be started; nothing was charged"),
    "client stopped paying": _("the client stopped paying"),
    "left the waitlist": _("left the waitlist"),
    "paid after the hold ran out": _("paid after the time to pay had run out"),
    "paid after what it held was given away": _("paid after the place or time had been given to someone else"),
    "cancelled in time": _("cancelled in time"),
    "cancelled after the class changed": _("cancelled free of charge after the class changed"),
    "class cancelled by the studio": _("the studio cancelled the class"),
    "one-to-one cancelled in time": _("the one-to-one session was cancelled in time"),
    "programme cancelled": _("the programme was cancelled"),
    "programme cancelled in time": _("the programme was cancelled in time"),
    "programme date cancelled by the studio": _("the studio cancelled a date of the programme"),
    "refunded in Stripe's dashboard": _("refunded by the studio in Stripe"),
}
AMOUNT_MISMATCH = "amount mismatch"  # Payment.problem starts so when Stripe reports another amount
# Actions whose note a person wrote (the studio's reason for cancelling) or that the code fills with
# readable facts (the old and new time, cash or PIN): shown as they are.
READABLE_NOTES = {"cancelled_by_studio", "moved", "paid_at_studio"}


def action_text(action: str) -> str:
    return str(ACTIONS.get(action, SOMETHING_CHANGED))


def note_text(action: str, note: str) -> str:
    """The note of a history line in plain words; an unknown machine note is left out, not shown raw."""
    note = (note or "").strip()
    if not note:
        return ""
    if note in NOTES:
        return str(NOTES[note])
    if action in READABLE_NOTES:
        return note.replace(" -> ", " → ")
    return ""


def reason_text(reason: str) -> str:
    """A ledger row's or refund's reason: the code's own reasons in plain words, a person's as written."""
    reason = (reason or "").strip()
    return str(NOTES[reason]) if reason in NOTES else reason


def problem_text(problem: str) -> str:
    """A payment's problem in plain words (never the code's own wording)."""
    problem = (problem or "").strip()
    if not problem:
        return ""
    if problem.startswith(AMOUNT_MISMATCH):
        return str(_("Stripe reported another amount than the price; please check this payment."))
    return str(NOTES.get(problem, _("Something went wrong with this payment.")))
