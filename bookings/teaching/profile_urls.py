from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import profile_views as views

# Part of the "teaching" namespace (bookings/teaching/urls.py): her own profile, no id.
urlpatterns = [
    path(_("teaching/profile/"), views.profile, name="profile"),
]
