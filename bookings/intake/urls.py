"""The intake form, the teacher's reading of it, and the touch preference per booking.
Included at the i18n root: path("", include("bookings.intake.urls"))."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views as intake_views

app_name = "intake"
urlpatterns = [
    path(_("intake/"), intake_views.intake_form, name="form"),
    path(_("intake/why/"), intake_views.about, name="about"),
    path(_("intake/withdraw-consent/"), intake_views.withdraw, name="withdraw"),
    path(_("intake/delete/"), intake_views.delete, name="delete"),
    path(_("my-bookings/<int:pk>/touch/"), intake_views.touch, name="touch"),
    path(_("teaching/client/<int:pk>/intake/"), intake_views.teacher_intake, name="teacher"),
]
