"""Reads of the timetable for pages: one query per question, whatever the amount of data."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F, Min, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from . import booking_window
from .models import STUDIO_TZ, AppointmentType, Closure, Offering, ProgrammeRun, Session


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STUDIO_TZ)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


class RowState:
    """What a session's row (and its page) offers at a given moment."""

    OPEN = "open"  # "Book", or "Waitlist" when full
    CLOSED = "closed"  # online booking has closed (the studio's rule), or the programme group is not open
    RUN_UNDER_WAY = "run_under_way"  # a programme date whose group has already begun
    STARTED = "started"  # in progress
    ENDED = "ended"
    CANCELLED = "cancelled"


def row_state(session, *, now, closes_minutes: int) -> str:
    """A programme date is booked with its whole group, so it is open only while the group is: open,
    and online booking of its first date not yet closed (bookings.personal.programmes.check_run_open);
    any other class until online booking closes, `closes_minutes` before it starts
    (bookings.group.services.check_bookable)."""
    if session.is_cancelled:
        return RowState.CANCELLED
    if session.ends_at <= now:
        return RowState.ENDED
    if session.starts_at <= now:
        return RowState.STARTED
    first = session.starts_at
    if session.programme_run_id:
        first = min(getattr(session, "run_first_start", None) or first, first)
        if first <= now:
            return RowState.RUN_UNDER_WAY
        if not session.programme_run.is_open:
            return RowState.CLOSED
    if now >= first - timedelta(minutes=closes_minutes):
        return RowState.CLOSED
    return RowState.OPEN


def as_rows(sessions, now=None):
    """The sessions as booking rows, each with its `row_state`. The studio's closing rule is read once,
    and only when a row still to begin needs it.

    The shared page cache keys a page by the minute (core.pagecache), so a copy is served at most until
    the end of the minute it was drawn in: a row's "Book" never outlives the closing moment by more
    than that (and the booking page refuses anyway)."""
    now = now or timezone.now()
    rows = list(sessions)
    to_come = any(not session.is_cancelled and session.starts_at > now for session in rows)
    closes_minutes = booking_window.closes_minutes() if to_come else 0
    for session in rows:
        session.row_state = row_state(session, now=now, closes_minutes=closes_minutes)
    return rows


def listed():
    """Shown sessions with what a booking row reads. A programme date is booked only with its whole
    group, so it shows its group's price, is told when its group begins (its earliest date, cancelled
    ones included, as the programme page counts) and tells its group's places left (`places_left`
    reads `run_places_left`: the fewest on any of the group's scheduled dates, as the programme page
    takes them). Each is one subquery in the same query, whatever the number of rows."""
    same_group = Session.objects.filter(programme_run=OuterRef("programme_run"))
    first_date = same_group.order_by("starts_at").values("starts_at")[:1]
    fewest_left = (same_group.scheduled().order_by().values("programme_run")
                   .annotate(fewest=Min(F("capacity") - F("places_taken"))).values("fewest"))
    return Session.objects.shown().for_listing().annotate(run_first_start=Subquery(first_date), run_places_left=Subquery(fewest_left))


def sessions_in_week(*, monday: date, style=None, teacher=None, now=None):
    """The shown sessions of one week (Monday to Sunday, Breda time), cancelled ones included."""
    sessions = listed().between(local_midnight(monday), local_midnight(monday + timedelta(days=7)))
    if style is not None:
        sessions = sessions.filter(offering__style=style)
    if teacher is not None:
        sessions = sessions.filter(teacher=teacher)
    return as_rows(sessions.order_by("starts_at"), now)


def closures_overlapping(start: date, end: date):
    return list(Closure.objects.filter(starts_on__lte=end, ends_on__gte=start))


def next_sessions(*, limit: int, now=None, offering=None, teacher=None):
    now = now or timezone.now()
    sessions = listed().scheduled().upcoming(now)
    if offering is not None:
        sessions = sessions.filter(offering=offering)
    if teacher is not None:
        sessions = sessions.filter(teacher=teacher)
    return as_rows(sessions.order_by("starts_at")[:limit], now)


def offerings_with_next_sessions(offering_ids, *, per_offering: int = 3, now=None):
    """Offerings (in the given order) each with `.next_sessions`: for calls to action under an article.

    Two queries in all, whatever the number of sessions: the offerings, and at most
    `per_offering` upcoming sessions of each (a window function numbers them per offering).
    """
    now = now or timezone.now()
    offering_ids = list(offering_ids)
    offerings = {o.pk: o for o in Offering.objects.shown().select_related("style").filter(pk__in=offering_ids)}
    upcoming = (
        listed().scheduled().upcoming(now)
        .filter(offering_id__in=list(offerings))
        .annotate(rank=Window(RowNumber(), partition_by=[F("offering_id")], order_by=[F("starts_at").asc(), F("pk").asc()]))
        .filter(rank__lte=per_offering)
        .order_by("starts_at")
    )
    grouped = defaultdict(list)
    for session in as_rows(upcoming, now):  # each told whether it can still be booked online
        grouped[session.offering_id].append(session)
    result = []
    for pk in offering_ids:
        if pk in offerings:
            offerings[pk].next_sessions = grouped[pk]
            result.append(offerings[pk])
    return result


# Prices ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    """One price a page shows, as it is charged, with its own VAT rate."""

    cents: int
    vat_rate_percent: Decimal
    way: str = ""  # what it buys, when there is more than one way ("in a small group", a kind of session)
    is_lowest: bool = False  # the lowest of several (groups at different prices): "from"
    appointment_type: AppointmentType | None = field(default=None, compare=False)  # the kind of one-to-one session it buys


def open_runs(*, now):
    """Programme groups open for booking whose first date is still to come (the programme page's list)."""
    return ProgrammeRun.objects.filter(is_open=True).annotate(first_start=Min("sessions__starts_at")).filter(first_start__gt=now)


def session_prices(session) -> list[Price]:
    """The price of a place in this session: the group's price of a programme date (for all its dates),
    else the drop-in price."""
    way = _("for the programme") if session.is_programme_date else ""
    return [Price(session.price_cents, session.vat_rate_percent, way)]


def active_appointment_types():
    """The kinds of one-to-one session in use, in the order pages list them."""
    return AppointmentType.objects.filter(is_active=True).select_related("offering").order_by("position", "name_nl", "duration_minutes")


def programme_prices(offerings, *, now, appointment_types=None) -> dict[int, list[Price]]:
    """The prices of programmes, by offering id, each as charged and with the programme's VAT rate: in a
    small group the lowest price of its open groups ("from" when they differ), then one-to-one one price
    per kind of session that offers it. The one rule for the offering page and the prices page
    (bookings.prices). One query for the groups of all of them, and one for the kinds of session unless
    the caller has read them (`appointment_types`: the active ones, in their order)."""
    by_id = {offering.pk: offering for offering in offerings}
    if not by_id:
        return {}
    group = defaultdict(set)
    for offering_id, cents in open_runs(now=now).filter(offering__in=list(by_id)).values_list("offering_id", "price_cents"):
        group[offering_id].add(cents)
    if appointment_types is None:
        appointment_types = active_appointment_types().filter(offering__in=list(by_id))
    alone = defaultdict(list)
    for kind in appointment_types:
        if kind.offering_id in by_id and kind.offers_programme:
            alone[kind.offering_id].append(kind)
    prices = {}
    for pk, offering in by_id.items():
        rate = offering.vat_rate_percent
        prices[pk] = [Price(min(group[pk]), rate, _("in a small group"), is_lowest=len(group[pk]) > 1)] if group[pk] else []
        for kind in alone[pk]:
            way = _("one-to-one") if len(alone[pk]) == 1 else _("one-to-one, %(name)s") % {"name": kind.name}
            prices[pk].append(Price(kind.programme_price_cents, rate, way, appointment_type=kind))
    return prices


def offering_prices(offering, *, now=None) -> list[Price]:
    """The prices an offering's page shows, each what is charged (as on the prices page, bookings.prices):
    a group class its drop-in price; a programme its `programme_prices`; a one-to-one offering each kind
    of session booked alone that belongs to it (or, when none names it, every one not belonging to
    another one-to-one offering), each with its own VAT rate."""
    if offering.kind == Offering.Kind.GROUP:
        return [Price(offering.drop_in_price_cents, offering.vat_rate_percent)]
    now = now or timezone.now()
    if offering.kind == Offering.Kind.PROGRAMME:
        return programme_prices([offering], now=now)[offering.pk]
    bookable = list(active_appointment_types().filter(is_bookable_alone=True))
    own = [kind for kind in bookable if kind.offering_id == offering.pk] or [
        kind for kind in bookable if kind.offering_id is None or kind.offering.kind != Offering.Kind.ONE_TO_ONE]
    return [Price(kind.price_cents, kind.vat_rate_percent, kind.name if len(own) > 1 else "") for kind in own]
