from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

# Part of the "bookings" namespace (bookings/urls.py).
urlpatterns = [
    path(_("gift-voucher/"), views.voucher_shop, name="vouchers"),
    path(_("gift-voucher/buy/"), views.voucher_buy, name="voucher_buy"),
    path(_("gift-voucher/<str:code>/"), views.voucher_page, name="voucher"),
    path(_("gift-voucher/<str:code>/pdf/"), views.voucher_pdf, name="voucher_pdf"),
    path(_("teaching/gift-voucher/"), views.voucher_at_studio, name="voucher_at_studio"),
]
