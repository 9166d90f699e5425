from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import appointment_views, programme_views, teacher_views

# Part of the "bookings" namespace (bookings/urls.py).
urlpatterns = [
    path(_("one-to-one/"), appointment_views.one_to_one, name="one_to_one"),
    path(_("one-to-one/<slug:slug>/"), appointment_views.slots, name="appointment_slots"),
    path(_("one-to-one/<slug:slug>/book/"), appointment_views.book, name="appointment_book"),
    path(_("my-sessions/<int:pk>/"), appointment_views.detail, name="appointment"),
    path(_("my-sessions/<int:pk>/cancel/"), appointment_views.cancel, name="appointment_cancel"),
    path(_("my-sessions/<int:pk>/move/"), appointment_views.move, name="appointment_move"),
    path(_("my-sessions/<int:pk>/touch/"), appointment_views.touch, name="appointment_touch"),
    path(_("programme/<slug:slug>/"), programme_views.programme, name="programme"),
    path(_("programme/group/<int:pk>/book/"), programme_views.join_group, name="programme_join"),
    path(_("programme/one-to-one/<int:pk>/buy/"), programme_views.buy_individual, name="programme_buy"),
    path(_("my-programmes/<int:pk>/"), programme_views.journey, name="journey"),
    path(_("my-programmes/<int:pk>/cancel/"), programme_views.cancel, name="programme_cancel"),
    path(_("teaching/personal/"), teacher_views.overview, name="teacher_personal"),
    path(_("teaching/one-to-one/<int:pk>/"), teacher_views.appointment_page, name="teacher_appointment"),
    path(_("teaching/one-to-one/<int:pk>/attendance/"), teacher_views.appointment_attendance, name="teacher_appointment_attendance"),
    path(_("teaching/one-to-one/<int:pk>/cancel/"), teacher_views.appointment_cancel, name="teacher_appointment_cancel"),
    path(_("teaching/one-to-one/<int:pk>/paid/"), teacher_views.appointment_paid, name="teacher_appointment_paid"),
    path(_("teaching/booking/<int:pk>/note/"), teacher_views.booking_note, name="booking_note"),
]
