from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from . import views
from .converters import IsoWeekConverter

register_converter(IsoWeekConverter, "isoweek")

app_name = "classes"
urlpatterns = [
    path(_("timetable/"), views.timetable, name="timetable"),
    path(_("timetable/<isoweek:monday>/"), views.timetable, name="timetable_week"),
    path(_("timetable/session/<int:pk>/"), views.session_detail, name="session"),
    path(_("classes/<slug:slug>/"), views.offering_detail, name="offering"),
    path(_("teachers/<slug:slug>/"), views.teacher_detail, name="teacher"),
]
