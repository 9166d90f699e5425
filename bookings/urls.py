"""Every page of bookings under one namespace, "bookings"; each purpose lists its own paths.
The intake has its namespace of its own (bookings/intake/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import account_views
from .books import urls as books_urls
from .group import urls as group_urls
from .memberships import urls as memberships_urls
from .offers import urls as offers_urls
from .payments import urls as payments_urls
from .personal import urls as personal_urls

app_name = "bookings"
urlpatterns = [
    path(_("my-bookings/"), account_views.my_bookings, name="my_bookings"),
    path(_("calendar/<str:token>.ics"), account_views.calendar_feed, name="calendar_feed"),
    path(_("calendar/new-link/"), account_views.calendar_reset, name="calendar_reset"),
    path(_("my-bookings/<int:pk>/calendar.ics"), account_views.booking_ics, name="booking_ics"),
    path(_("my-sessions/<int:pk>/calendar.ics"), account_views.appointment_ics, name="appointment_ics"),
    *group_urls.urlpatterns,
    *payments_urls.urlpatterns,
    *personal_urls.urlpatterns,
    *books_urls.urlpatterns,
    *offers_urls.urlpatterns,
    *memberships_urls.urlpatterns,
]
