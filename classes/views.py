"""Public pages of the timetable: the week, an offering, a session, a teacher."""

import json
from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.money import euros_plain
from core.pagecache import cached_for_visitors

from . import selectors
from .models import Offering, Style, Teacher


def _filter_or_404(model, slug, **extra):
    if not slug:
        return None
    try:
        return model.objects.get(slug=slug, **extra)
    except model.DoesNotExist as error:
        raise Http404(f"unknown {model.__name__.lower()}") from error


@cached_for_visitors
def timetable(request, monday=None):
    now = timezone.now()
    today = timezone.localdate(now)
    monday = monday or selectors.week_start(today)
    if not 2000 <= monday.year <= 2100:
        raise Http404("week out of range")
    style = _filter_or_404(Style, request.GET.get("style"))
    teacher = _filter_or_404(Teacher, request.GET.get("teacher"), is_active=True)

    sessions = selectors.sessions_in_week(monday=monday, style=style, teacher=teacher, now=now)
    days = [{"date": monday + timedelta(days=offset), "sessions": []} for offset in range(7)]
    for session in sessions:
        days[timezone.localtime(session.starts_at).weekday()]["sessions"].append(session)
    sunday = monday + timedelta(days=6)

    chosen = {"style": style and style.slug, "teacher": teacher and teacher.slug}
    query = _query(chosen)
    week_url = lambda day: reverse("classes:timetable_week", kwargs={"monday": day}) + query  # noqa: E731
    styles = list(Style.objects.filter(offerings__is_shown=True).distinct())
    teachers = list(Teacher.objects.filter(is_active=True).select_related("user"))

    return render(request, "classes/timetable.html", {
        "days": days,
        "today": today,
        "monday": monday,
        "sunday": sunday,
        "is_this_week": monday == selectors.week_start(today),
        "previous_url": week_url(monday - timedelta(days=7)),
        "next_url": week_url(monday + timedelta(days=7)),
        "this_week_url": reverse("classes:timetable") + query,
        "closures": selectors.closures_overlapping(monday, sunday),
        "style_chips": _chips(request.path, chosen, "style", [(item.slug, item.name) for item in styles]),
        # One teacher needs no choosing: her chips show only when there are more (or one is chosen).
        "teacher_chips": _chips(request.path, chosen, "teacher", [(item.slug, item.first_name) for item in teachers])
        if len(teachers) > 1 or teacher else [],
        "style": style,
        "teacher": teacher,
        "session_count": len(sessions),
    })


def _query(chosen) -> str:
    query = urlencode({key: value for key, value in chosen.items() if value})
    return f"?{query}" if query else ""


def _chips(path, chosen, key, choices):
    """The filter chips for `key` ("All", then each choice): links to this week with that choice and
    the other filter kept, the chosen one marked."""
    return [
        {"label": label, "url": path + _query({**chosen, key: slug}), "active": chosen[key] == slug}
        for slug, label in [(None, _("All")), *choices]
    ]


@cached_for_visitors
def offering_detail(request, slug):
    offering = get_object_or_404(Offering.objects.shown().select_related("style"), slug=slug)
    now = timezone.now()
    return render(request, "classes/offering_detail.html", {
        "offering": offering,
        "prices": selectors.offering_prices(offering, now=now),
        "sessions": selectors.next_sessions(limit=8, offering=offering, now=now),
    })


@cached_for_visitors
def session_detail(request, pk):
    session = get_object_or_404(selectors.listed(), pk=pk)
    selectors.as_rows([session])  # its `row_state`: what the booking card offers now
    return render(request, "classes/session_detail.html", {
        "session": session,
        "offering": session.offering,
        "prices": selectors.session_prices(session),
        "event_json_ld": _event_json_ld(request, session),
    })


@cached_for_visitors
def teacher_detail(request, slug):
    teacher = get_object_or_404(Teacher.objects.select_related("user"), slug=slug, is_active=True)
    return render(request, "classes/teacher_detail.html", {
        "teacher": teacher,
        "sessions": selectors.next_sessions(limit=8, teacher=teacher),
    })


def _event_json_ld(request, session):
    """schema.org Event data for search engines, as a JSON string safe inside a <script> block."""
    studio = settings.STUDIO
    url = settings.SITE_URL + session.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.offering.name,
        "description": session.offering.summary,
        "startDate": timezone.localtime(session.starts_at).isoformat(),
        "endDate": timezone.localtime(session.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled" if session.is_cancelled else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
        "inLanguage": request.LANGUAGE_CODE,
        "location": {
            "@type": "Place",
            "name": f"{studio['name']}, {session.room.name}",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": studio["street"],
                "postalCode": studio["postcode"],
                "addressLocality": studio["city"],
                "addressCountry": "NL",
            },
        },
        "organizer": {"@type": "Organization", "name": studio["name"], "url": settings.SITE_URL + "/"},
        "performer": {"@type": "Person", "name": session.teacher.name},
        "offers": {
            "@type": "Offer",
            "price": euros_plain(session.price_cents),
            "priceCurrency": settings.CURRENCY,
            "url": url,
            "availability": "https://schema.org/SoldOut" if session.is_full else "https://schema.org/InStock",
        },
        "maximumAttendeeCapacity": session.capacity,
        "remainingAttendeeCapacity": session.places_left,
    }
    text = json.dumps(data, ensure_ascii=False)
    # Never let a text close the script element or open a comment.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
