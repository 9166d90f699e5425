from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import session_views

# Part of the "teaching" namespace (bookings/teaching/urls.py).
urlpatterns = [
    path(_("teaching/session/<int:pk>/change/"), session_views.session_edit, name="session_edit"),
]
