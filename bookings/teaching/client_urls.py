from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import client_views

# Part of the "teaching" namespace (bookings/teaching/urls.py).
urlpatterns = [
    path(_("teaching/clients/"), client_views.client_list, name="clients"),
    path(_("teaching/clients/<int:pk>/"), client_views.client_detail, name="client"),
    path(_("teaching/clients/<int:pk>/class/"), client_views.book_class, name="client_book_class"),
    path(_("teaching/clients/<int:pk>/one-to-one/"), client_views.book_one_to_one, name="client_book_one_to_one"),
    path(_("teaching/clients/<int:pk>/programme/"), client_views.book_programme, name="client_book_programme"),
    path(_("teaching/clients/<int:pk>/credits/"), client_views.credits, name="client_credits"),
]
