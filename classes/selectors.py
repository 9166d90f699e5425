"""Reads of the timetable for pages: one query per question, whatever the amount of data."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

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

    Two queries in all: the offerings, and their upcoming sessions.
    """
    now = now or timezone.now()
    offerings = {o.pk: o for o in Offering.objects.shown().select_related("style").filter(pk__in=list(offering_ids))}
    upcoming = (
        Session.objects.shown().scheduled().upcoming(now).for_listing()
        .filter(offering_id__in=list(offerings)).order_by("starts_at")
    )
    grouped = defaultdict(list)
    for session in upcoming.iterator():
        bucket = grouped[session.offering_id]
        if len(bucket) < per_offering:
            bucket.append(session)
        if all(len(grouped[pk]) >= per_offering for pk in offerings):
            break
    result = []
    for pk in offering_ids:
        if pk in offerings:
            offerings[pk].next_sessions = grouped[pk]
            result.append(offerings[pk])
    return result
