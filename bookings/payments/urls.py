from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

# Part of the "bookings" namespace (bookings/urls.py).
urlpatterns = [
    path(_("payment/done/"), views.checkout_return, name="checkout_return"),
    path(_("payment/<int:pk>/thanks/"), views.payment_thanks, name="payment_thanks"),
    path(_("payment/<int:pk>/stopped/"), views.checkout_cancelled, name="checkout_cancelled"),
    path(_("payment/<int:pk>/continue/"), views.checkout_resume, name="checkout_resume"),
    path(_("receipts/<int:pk>/"), views.receipt, name="receipt"),
    path(_("payments/<int:pk>/invoice.pdf"), views.invoice_download, name="invoice_pdf"),
    path(_("payments/<int:pk>/credit-invoice-<int:refund_pk>.pdf"), views.credit_invoice_download, name="credit_invoice_pdf"),
    path(_("payments/<int:pk>/voucher-credit-invoice-<int:entry_pk>.pdf"), views.voucher_credit_invoice_download,
         name="voucher_credit_invoice_pdf"),
]
