"""Reads of the timetable for pages: one query per question, whatever the amount of data."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import STUDIO_TZ, Closure, Offering, Session


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STUDIO_TZ)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def sessions_in_week(*, monday: date, style=None, teacher=None):
    """The shown sessions of one week (Monday to Sunday, Breda time), cancelled ones included."""
    sessions = Session.objects.shown().for_listing().between(local_midnight(monday), local_midnight(monday + timedelta(days=7)))
    if style is not None:
        sessions = sessions.filter(offering__style=style)
    if teacher is not None:
        sessions = sessions.filter(teacher=teacher)
    return list(sessions.order_by("starts_at"))


def closures_overlapping(start: date, end: date):
    return list(Closure.objects.filter(starts_on__lte=end, ends_on__gte=start))


def next_sessions(*, limit: int, now=None, offering=None, teacher=None):
    sessions = Session.objects.shown().scheduled().upcoming(now).for_listing()
    if offering is not None:
        sessions = sessions.filter(offering=offering)
    if teacher is not None:
        sessions = sessions.filter(teacher=teacher)
    return list(sessions.order_by("starts_at")[:limit])


def offerings_with_next_sessions(offering_ids, *, per_offering: int = 3, now=None):
    """Offerings (in the given order) each with `.next_sessions`: for calls to action under an article.

    Two queries in all, whatever the number of sessions: the offerings, and at most
    `per_offering` upcoming sessions of each (a window function numbers them per offering).
    """
    now = now or timezone.now()
    offering_ids = list(offering_ids)
    offerings = {o.pk: o for o in Offering.objects.shown().select_related("style").filter(pk__in=offering_ids)}
    upcoming = (
        Session.objects.shown().scheduled().upcoming(now).for_listing()
        .filter(offering_id__in=list(offerings))
        .annotate(rank=Window(RowNumber(), partition_by=[F("offering_id")], order_by=[F("starts_at").asc(), F("pk").asc()]))
        .filter(rank__lte=per_offering)
        .order_by("starts_at")
    )
    grouped = defaultdict(list)
    for session in upcoming:
        grouped[session.offering_id].append(session)
    result = []
    for pk in offering_ids:
        if pk in offerings:
            offerings[pk].next_sessions = grouped[pk]
            result.append(offerings[pk])
    return result
