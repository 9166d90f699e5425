from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import cashup_views, offer_views, payment_views, product_views, rules_views, views

# Part of the "bookings" namespace (bookings/urls.py).
urlpatterns = [
    path(_("books/reports/"), views.reports_page, name="reports"),
    path(_("books/export/<slug:kind>.csv"), views.export_csv, name="export"),
    path(_("books/vat/"), views.vat_page, name="vat"),
    path(_("books/rules/"), rules_views.booking_rules, name="desk_rules"),
    path(_("books/payments/"), payment_views.payments, name="desk_payments"),
    path(_("books/payments/<int:pk>/"), payment_views.payment, name="desk_payment"),
    path(_("books/payments/<int:pk>/refund/"), payment_views.payment_refund, name="desk_refund"),
    path(_("books/payments/<int:pk>/refunds/<int:refund_pk>/retry/"), payment_views.refund_retry, name="desk_refund_retry"),
    path(_("books/cash-up/"), cashup_views.cash_up, name="desk_cash_up"),
    path(_("books/products/"), product_views.products, name="desk_products"),
    path(_("books/products/class-cards/new/"), product_views.card_type_edit, name="desk_card_type_new"),
    path(_("books/products/class-cards/<int:pk>/"), product_views.card_type_edit, name="desk_card_type"),
    path(_("books/products/memberships/"), offer_views.membership_types, name="desk_membership_types"),
    path(_("books/products/memberships/new/"), offer_views.membership_type_edit, name="desk_membership_type_new"),
    path(_("books/products/memberships/<int:pk>/"), offer_views.membership_type_edit, name="desk_membership_type"),
    path(_("books/vouchers/"), offer_views.vouchers, name="desk_vouchers"),
    path(_("books/vouchers/products/new/"), offer_views.voucher_product_edit, name="desk_voucher_product_new"),
    path(_("books/vouchers/products/<int:pk>/"), offer_views.voucher_product_edit, name="desk_voucher_product"),
    path(_("books/discount-codes/"), offer_views.discount_codes, name="desk_discount_codes"),
    path(_("books/discount-codes/new/"), offer_views.discount_code_edit, name="desk_discount_code_new"),
    path(_("books/discount-codes/<int:pk>/"), offer_views.discount_code_edit, name="desk_discount_code"),
]
