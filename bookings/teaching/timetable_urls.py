from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import timetable_views as views

# Part of the "teaching" namespace (bookings/teaching/urls.py): the timetable.
urlpatterns = [
    path(_("teaching/timetable/"), views.week, name="week"),
    path(_("teaching/timetable/offerings/"), views.offerings, name="offerings"),
    path(_("teaching/timetable/offerings/new/"), views.offering_edit, name="offering_new"),
    path(_("teaching/timetable/offerings/<int:pk>/"), views.offering_edit, name="offering_edit"),
    path(_("teaching/timetable/weekly/"), views.slots, name="slots"),
    path(_("teaching/timetable/weekly/new/"), views.slot_edit, name="slot_new"),
    path(_("teaching/timetable/weekly/<int:pk>/"), views.slot_edit, name="slot_edit"),
    path(_("teaching/timetable/weekly/<int:pk>/stop/"), views.slot_stop, name="slot_stop"),
    path(_("teaching/timetable/one-off/new/"), views.session_new, name="session_new"),
    path(_("teaching/closures/"), views.closures, name="closures"),
    path(_("teaching/closures/new/"), views.closure_new, name="closure_new"),
    path(_("teaching/closures/<int:pk>/remove/"), views.closure_delete, name="closure_delete"),
]
