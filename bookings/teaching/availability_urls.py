from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import availability_views

# Part of the "teaching" namespace (bookings/teaching/urls.py): her hours for one-to-ones.
urlpatterns = [
    path(_("teaching/hours/"), availability_views.overview, name="availability"),
    path(_("teaching/hours/add/"), availability_views.hours_add, name="availability_hours_add"),
    path(_("teaching/hours/<int:pk>/"), availability_views.hours_edit, name="availability_hours_edit"),
    path(_("teaching/hours/<int:pk>/delete/"), availability_views.hours_delete, name="availability_hours_delete"),
    path(_("teaching/hours/days-off/add/"), availability_views.exception_add, name="availability_exception_add"),
    path(_("teaching/hours/days-off/<int:pk>/delete/"), availability_views.exception_delete, name="availability_exception_delete"),
    path(_("teaching/hours/settings/"), availability_views.settings_edit, name="availability_settings"),
    path(_("teaching/hours/session-kinds/add/"), availability_views.type_add, name="availability_type_add"),
    path(_("teaching/hours/session-kinds/<int:pk>/"), availability_views.type_edit, name="availability_type_edit"),
]
