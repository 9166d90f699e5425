from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import account_views, appointment_views, books_views, personal_teacher_views, programme_views, teacher_views, views

app_name = "bookings"
urlpatterns = [
    path(_("book/<int:session_id>/"), views.book, name="book"),
    path(_("book/<int:session_id>/waitlist/"), views.waitlist_join, name="waitlist_join"),
    path(_("waitlist/<int:pk>/"), views.waitlist_claim, name="waitlist_claim"),
    path(_("waitlist/<int:pk>/leave/"), views.waitlist_leave, name="waitlist_leave"),
    path(_("my-bookings/"), account_views.my_bookings, name="my_bookings"),
    path(_("my-bookings/<int:pk>/cancel/"), views.cancel, name="cancel"),
    path(_("payment/done/"), views.checkout_return, name="checkout_return"),
    path(_("payment/<int:pk>/stopped/"), views.checkout_cancelled, name="checkout_cancelled"),
    path(_("payment/<int:pk>/continue/"), views.checkout_resume, name="checkout_resume"),
    path(_("class-cards/"), account_views.card_shop, name="cards"),
    path(_("class-cards/<int:pk>/buy/"), account_views.card_buy, name="card_buy"),
    path(_("receipts/<int:pk>/"), account_views.receipt, name="receipt"),
    path(_("calendar/<str:token>.ics"), account_views.calendar_feed, name="calendar_feed"),
    path(_("calendar/new-link/"), account_views.calendar_reset, name="calendar_reset"),
    # The teacher's day
    path(_("teaching/"), teacher_views.overview, name="teacher_overview"),
    path(_("teaching/session/<int:pk>/"), teacher_views.session_roster, name="roster"),
    path(_("teaching/session/<int:pk>/add/"), teacher_views.add_by_hand, name="add_by_hand"),
    path(_("teaching/session/<int:pk>/cancel/"), teacher_views.cancel_session, name="cancel_session"),
    path(_("teaching/session/<int:pk>/message/"), teacher_views.message_session, name="message_session"),
    path(_("teaching/booking/<int:pk>/attendance/"), teacher_views.attendance, name="attendance"),
    path(_("teaching/booking/<int:pk>/paid/"), teacher_views.mark_paid, name="mark_paid"),
    path(_("teaching/client/<int:pk>/"), teacher_views.client_story, name="client_story"),
    # One-to-one sessions and programmes
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
    path(_("teaching/personal/"), personal_teacher_views.overview, name="teacher_personal"),
    path(_("teaching/one-to-one/<int:pk>/"), personal_teacher_views.appointment_page, name="teacher_appointment"),
    path(_("teaching/one-to-one/<int:pk>/attendance/"), personal_teacher_views.appointment_attendance, name="teacher_appointment_attendance"),
    path(_("teaching/one-to-one/<int:pk>/cancel/"), personal_teacher_views.appointment_cancel, name="teacher_appointment_cancel"),
    path(_("teaching/booking/<int:pk>/note/"), personal_teacher_views.booking_note, name="booking_note"),
    # The admin's books
    path(_("books/reports/"), books_views.reports_page, name="reports"),
    path(_("books/export/<slug:kind>.csv"), books_views.export_csv, name="export"),
]
