from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

# Part of the "bookings" namespace (bookings/urls.py).
urlpatterns = [
    path(_("memberships/"), views.memberships, name="memberships"),
    path(_("memberships/buy/"), views.membership_buy, name="membership_buy"),
    path(_("memberships/done/"), views.membership_return, name="membership_return"),
    path(_("memberships/stopped/"), views.membership_stopped, name="membership_stopped"),
    path(_("my-membership/"), views.my_membership, name="my_membership"),
    path(_("my-membership/pause/"), views.membership_pause, name="membership_pause"),
    path(_("my-membership/pause/end/"), views.membership_pause_end, name="membership_pause_end"),
    path(_("my-membership/cancel/"), views.membership_cancel, name="membership_cancel"),
    path(_("my-membership/cancel/undo/"), views.membership_cancel_undo, name="membership_cancel_undo"),
    path(_("my-membership/payment-method/"), views.membership_payment_method, name="membership_payment_method"),
    path(_("my-membership/payment-method/done/"), views.membership_payment_method_done, name="membership_payment_method_done"),
]
