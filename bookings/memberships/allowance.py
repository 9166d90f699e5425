"""Booking a group class with a membership: the same locked place-taking as a class-card credit
(the session first, then her membership row), and the rules of the membership: the style it covers,
paid up (a failed payment still books for the studio's grace days), not paused (now, or on the day
of the class), the class inside the paid period (or the next one when it renews), and, for a type
with N classes a month, fewer than N (+ a class carried over) already used in that period."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import ways_to_pay
from ..models import Booking, BookingPolicy, Membership
from . import periods
from .periods import MembershipError, Status


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _date(day) -> str:
    return formats.date_format(day, "j F Y")


def check(membership: Membership, *, session, now, policy: BookingPolicy) -> tuple | None:
    """Refuse (MembershipError, with what to do) a class this membership cannot pay for; else the
    period the class counts in. Call with the session and the membership locked when booking."""
    kind = membership.membership_type
    if not kind.covers(session.offering.style_id):
        raise MembershipError(_("Your membership (%(name)s) does not include %(class)s. You can pay for this class in another way.") % {
            "name": kind.name, "class": session.offering.name})
    grace_ends = periods.grace_ends(membership, policy)
    if grace_ends is not None and now > grace_ends:
        raise MembershipError(_(
            "Your last membership payment did not go through, so you cannot book with your membership until it is paid. "
            "On your membership page you can pay it with another payment method; then you can book again straight away."),
            action="pay")
    if membership.status not in periods.LIVE:
        raise MembershipError(_("Your membership is not active, so it cannot be used to book."))
    if periods.paused_now(membership, now=now):
        raise MembershipError(_(
            "Your membership is paused until %(until)s, so you cannot book with it now. Want to come sooner? You can end the "
            "pause on your membership page.") % {"until": _date(membership.pause_until)}, action="pause")
    day = periods.local_date(session.starts_at)
    if membership.is_paused_on(day):
        raise MembershipError(_(
            "Your membership is paused from %(from)s until %(until)s, and this class falls in that time. You can change or end "
            "the pause on your membership page.") % {"from": _date(membership.pause_from), "until": _date(membership.pause_until)},
            action="pause")
    if membership.ends_at is not None and session.starts_at >= membership.ends_at:
        raise MembershipError(_("Your membership ends on %(date)s, before this class.") % {"date": _day(membership.ends_at)})
    period = periods.period_of(membership, session.starts_at)
    if period is None:
        if membership.current_period_end is None:
            raise MembershipError(_("Your membership is waiting for its first payment. You can book with it once that is in."))
        horizon = periods.next_period_end(membership.current_period_end) if periods.renews(membership) else membership.current_period_end
        raise MembershipError(_("With your membership you can book classes up to %(date)s.") % {"date": _day(horizon)})
    limit = periods.allowance(membership, period)
    if limit is not None and periods.counted(membership, period[0], period[1]).count() >= limit:
        raise MembershipError(ngettext(
            "You have booked the %(count)d class of your membership for %(from)s – %(until)s already. Cancel another class in time "
            "to free it, or pay for this one in another way.",
            "You have booked all %(count)d classes of your membership for %(from)s – %(until)s already. Cancel another class in "
            "time to free one, or pay for this one in another way.", limit) % {
            "count": limit, "from": _day(period[0]), "until": _day(period[1])})
    return period


def membership_settle(booking: Booking, *, session, policy: BookingPolicy, now) -> None:
    """Pay a new booking with her membership (group.services.settle, inside the booking's transaction,
    the session locked): her membership row is locked next, so two bookings never share a last class."""
    membership = periods.live_membership(booking.client, lock=True)
    if membership is None:
        raise MembershipError(_("You have no membership that can be used to book."))
    check(membership, session=session, now=now, policy=policy)
    booking.membership = membership
    booking.price_cents = 0
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.hold_expires_at = None
    booking.save()


def booking_option(*, client, session, now, policy: BookingPolicy) -> dict:
    """What the class's booking page shows about her membership: whether she can book with it (and
    how many classes are left), or why not and what to do; or, without one, where memberships are sold."""
    membership = periods.live_membership(client)
    if membership is None:
        return {"membership": None, "memberships_url": reverse("bookings:memberships")}
    option = {"membership": membership, "usable": False, "refusal": "", "action_url": "", "action_label": "", "left": None}
    try:
        period = check(membership, session=session, now=now, policy=policy)
    except MembershipError as refusal:
        option["refusal"] = str(refusal)
        if refusal.action:
            option["action_url"] = reverse("bookings:membership_payment_method" if refusal.action == "pay" else "bookings:my_membership")
            option["action_label"] = _("Update your payment method") if refusal.action == "pay" else _("Your membership and its pause")
        return option
    option["usable"] = True
    limit = periods.allowance(membership, period)
    if limit is not None:
        option["left"] = max(limit - periods.counted(membership, period[0], period[1]).count(), 0)
    option["past_due"] = membership.status == Status.PAST_DUE
    return option


def studio_cancelled(booking, actor, now=None) -> None:
    """The studio cancelled the class: the class simply stops counting in her period; nothing else to give back."""


MEMBERSHIP_CLASS = ways_to_pay.WayToPay(paid_with=Booking.PaidWith.MEMBERSHIP, on_studio_cancel=studio_cancelled)
