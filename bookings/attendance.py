"""When the teacher may mark who came: check-in opens half an hour before the start (people arrive
early), a no-show only once the class or session has started. Undoing is always allowed. One rule for
group classes (bookings.group.roster) and one-to-ones (bookings.personal.appointments)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import BookingError

CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
PRESENT, NO_SHOW, UNDO = "present", "no_show", ""


@dataclass(frozen=True)
class AttendanceWindow:
    check_in_open: bool
    no_show_open: bool


def window(starts_at: datetime, *, now: datetime | None = None) -> AttendanceWindow:
    now = now or timezone.now()
    return AttendanceWindow(check_in_open=now >= starts_at - CHECK_IN_OPENS_BEFORE, no_show_open=now >= starts_at)


def check_allowed(attendance: str, starts_at: datetime, *, now: datetime | None = None) -> None:
    """Raise a BookingError with the reason when `attendance` cannot be set yet."""
    open_now = window(starts_at, now=now)
    if attendance == PRESENT and not open_now.check_in_open:
        raise BookingError(_("Checking in opens half an hour before the start."))
    if attendance == NO_SHOW and not open_now.no_show_open:
        raise BookingError(_("Someone can only be marked as not come once the class has started."))
