from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

# Part of the "bookings" namespace (bookings/urls.py).
urlpatterns = [
    path(_("books/reports/"), views.reports_page, name="reports"),
    path(_("books/export/<slug:kind>.csv"), views.export_csv, name="export"),
]
