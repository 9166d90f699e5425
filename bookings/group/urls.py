from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import teacher_views, views

# Part of the "bookings" namespace (bookings/urls.py).
urlpatterns = [
    path(_("book/<int:session_id>/"), views.book, name="book"),
    path(_("book/<int:session_id>/waitlist/"), views.waitlist_join, name="waitlist_join"),
    path(_("waitlist/<int:pk>/"), views.waitlist_claim, name="waitlist_claim"),
    path(_("waitlist/<int:pk>/leave/"), views.waitlist_leave, name="waitlist_leave"),
    path(_("waitlist/<int:pk>/automatic/"), views.waitlist_auto_book, name="waitlist_auto_book"),
    path(_("my-bookings/<int:pk>/cancel/"), views.cancel, name="cancel"),
    path(_("my-bookings/changed/<str:token>/cancel/"), views.cancel_after_change, name="cancel_after_change"),
    path(_("class-cards/"), views.card_shop, name="cards"),
    path(_("class-cards/<int:pk>/buy/"), views.card_buy, name="card_buy"),
    # The teacher's day
    path(_("teaching/"), teacher_views.overview, name="teacher_overview"),
    path(_("teaching/session/<int:pk>/"), teacher_views.session_roster, name="roster"),
    path(_("teaching/session/<int:pk>/add/"), teacher_views.add_by_hand, name="add_by_hand"),
    path(_("teaching/session/<int:pk>/cancel/"), teacher_views.cancel_session, name="cancel_session"),
    path(_("teaching/session/<int:pk>/message/"), teacher_views.message_session, name="message_session"),
    path(_("teaching/booking/<int:pk>/attendance/"), teacher_views.attendance, name="attendance"),
    path(_("teaching/booking/<int:pk>/paid/"), teacher_views.mark_paid, name="mark_paid"),
]
