"""Machine endpoints of the timetable (no language prefix): iCalendar feeds."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("timetable.ics", feeds.timetable_ics, name="timetable_ics"),
    path("timetable/<slug:style>.ics", feeds.timetable_ics, name="timetable_style_ics"),
]
