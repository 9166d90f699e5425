"""The admin's desk, its first page: the day at a glance. It sits at the top layer because it shows
both the studio's money (bookings) and the blog's comments waiting."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from blog import selectors as blog_selectors
from bookings.books import today as books_today
from core.roles import admin_required


@admin_required
def today(request):
    now = timezone.now()
    current = timezone.localdate(now)
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = current
    if not date(2000, 1, 1) <= day <= date(current.year + 2, 12, 31):
        day = current
    context = books_today.the_day(day, now=now)
    context.update({"today": current, "comments_waiting": blog_selectors.comments_waiting(),
                    "previous_day": day.fromordinal(day.toordinal() - 1), "next_day": day.fromordinal(day.toordinal() + 1)})
    return render(request, "studio/desk_today.html", context)
