"""The admin's desk, its first page: the day at a glance. It sits at the top layer because it shows
both the studio's money (bookings) and, through the desk's template tag, the blog's comments waiting."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.books import today as books_today
from core.dates import DateOutOfRange, parse_day
from core.roles import admin_required


@admin_required
def today(request):
    now = timezone.now()
    current = timezone.localdate(now)
    try:
        day = parse_day(request.GET.get("day")) or current
    except DateOutOfRange:
        messages.info(request, _("That date is outside the years the studio works with; here is today."))
        day = current
    context = books_today.the_day(day, now=now)
    context.update({"today": current,
                    "previous_day": day - timedelta(days=1), "next_day": day + timedelta(days=1)})
    return render(request, "studio/desk_today.html", context)
