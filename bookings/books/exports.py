"""CSV files for the bookkeeper, made the way Excel opens them in the Netherlands: UTF-8 with a byte
order mark (or Excel guesses the wrong characters), a semicolon between cells (the comma is the
decimal mark there), amounts with a decimal comma and no thousands separator (1234,50), dates as
dd-mm-yyyy and times as HH:MM in a column of their own.

The words (headers, statuses, products, ways of paying) are in the active language: Dutch, or
English under /en/. The numbers keep the Dutch form in both, so the file reads the same in the
bookkeeper's Excel whoever downloaded it.

Every text cell passes `_safe_cell`: a cell that starts like a formula gets a leading apostrophe,
so a name such as =HYPERLINK(...) stays text. Numbers are written by us from whole cents and counts,
so they go in as they are (a refund's negative VAT must stay a number)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from classes.models import STUDIO_TZ
from core.money import euros_plain, vat_included

from ..models import Booking, Payment, Voucher, VoucherEntry
from ..models.payments import PAID_STATUSES
from ..payments import kinds
from .movements import refund_rows
from .periods import Period
from .vat import vat_summary

BOM = "\ufeff"


class Number:
    """A cell that is a number we made ourselves, written as Excel in the Netherlands reads it."""

    def __init__(self, text: str):
        self.text = text

    @classmethod
    def cents(cls, cents: int) -> "Number":
        return cls(euros_plain(cents, decimal_mark=","))

    @classmethod
    def rate(cls, rate) -> "Number":
        """21 -> '21', 10.5 -> '10,5'."""
        rate = Decimal(rate)
        return cls(str(int(rate)) if rate == rate.to_integral_value() else format(rate.normalize(), "f").replace(".", ","))

    @classmethod
    def whole(cls, count: int) -> "Number":
        return cls(str(int(count)))


def _safe_cell(value):
    """Spreadsheet programs run cells starting with = + - @ (or a tab or return) as formulas; prefix them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cell(value) -> str:
    if isinstance(value, Number):
        return value.text
    if isinstance(value, datetime):
        return value.astimezone(STUDIO_TZ).strftime("%d-%m-%Y")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return _safe_cell(value)


def _time(moment) -> str:
    return moment.astimezone(STUDIO_TZ).strftime("%H:%M") if moment else ""


def _yes_no(flag) -> str:
    return _("yes") if flag else _("no")


def to_csv(header, rows) -> str:
    """The file's text, starting with the byte order mark; encode it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_safe_cell(title) for title in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return BOM + buffer.getvalue()


def export_bookings(period: Period) -> str:
    """Every booking of a class in the period (not the abandoned checkouts or unclaimed offers)."""
    bookings = (Booking.objects.filter(session__starts_at__gte=period.start, session__starts_at__lt=period.end)
                .exclude(status__in=["released", "offered"])
                .select_related("session__offering__style", "client").order_by("session__starts_at", "pk"))
    return to_csv(
        [_("Date"), _("Time"), _("Class"), _("Style"), _("Name"), _("Email"), _("Status"), _("Paid with"), _("Attendance"),
         _("Cancelled late"), _("Cancelled by the studio"), _("Price (€)")],
        ([b.session.starts_at, _time(b.session.starts_at), b.session.offering.name, b.session.offering.style.name, b.client.get_full_name(),
          b.client.email, b.get_status_display(), b.get_paid_with_display() if b.paid_with else "", b.get_attendance_display(),
          _yes_no(b.late_cancellation), _yes_no(b.cancelled_by_studio), Number.cents(b.price_cents)] for b in bookings),
    )


def export_payments(period: Period) -> str:
    """Every payment received in the period, with what was refunded of it so far (whenever) and the
    VAT on what it brought in after that: the VAT of the rest, rounded half up per payment."""
    payments = (Payment.objects.filter(status__in=PAID_STATUSES, paid_at__gte=period.start, paid_at__lt=period.end)
                .select_related("client").order_by("paid_at", "pk"))
    rows = []
    for p in payments:
        net = p.amount_cents - p.refunded_cents
        vat = vat_included(net, p.vat_rate_percent)
        rows.append([p.paid_at, _time(p.paid_at), p.receipt_number, p.client.get_full_name(), p.client.email, kinds.label_of(p.purpose),
                     p.get_method_display() if p.method else "", p.get_status_display(), Number.cents(p.amount_cents),
                     Number.cents(p.refunded_cents), Number.cents(net), Number.rate(p.vat_rate_percent), Number.cents(vat),
                     Number.cents(net - vat)])
    return to_csv(
        [_("Date paid"), _("Time"), _("Receipt number"), _("Name"), _("Email"), _("Product"), _("Payment method"), _("Status"),
         _("Gross (€)"), _("Refunded (€)"), _("Net received (€)"), _("VAT rate (%)"), _("VAT on net (€)"), _("Excl. VAT (€)")],
        rows,
    )


def export_refunds(period: Period) -> str:
    """Every refund made in the period with the VAT in it, all as positive amounts: the credit notes of
    the VAT return, whatever period their payment was in. The VAT is what the refund takes off the
    payment's VAT (see movements.py), so these rows add up to the summary's corrections."""
    rows = [[refund.created_at, _time(refund.created_at), refund.payment.receipt_number, refund.payment.paid_at,
             refund.payment.client.get_full_name(), refund.payment.client.email, kinds.label_of(refund.payment.purpose),
             Number.cents(movement.refunded), Number.rate(movement.rate), Number.cents(-movement.vat),
             Number.cents(movement.refunded + movement.vat), refund.reason]
            for refund, movement in refund_rows(period)]
    return to_csv(
        [_("Date refunded"), _("Time"), _("Receipt number"), _("Date paid"), _("Name"), _("Email"), _("Product"), _("Refunded (€)"),
         _("VAT rate (%)"), _("VAT refunded (€)"), _("Excl. VAT (€)"), _("Reason")],
        rows,
    )


def export_clients(period: Period) -> str:
    clients = (get_user_model().objects.filter(is_staff=False)
               .annotate(visits=Count("bookings", filter=Q(bookings__status="confirmed", bookings__session__starts_at__gte=period.start,
                                                           bookings__session__starts_at__lt=period.end)))
               .order_by("last_name", "first_name", "pk"))
    return to_csv(
        [_("First name"), _("Last name"), _("Email"), _("Phone"), _("Language"), _("Client since"), _("Bookings in the period")],
        ([c.first_name, c.last_name, c.email, c.phone, c.language.upper(), c.date_joined, Number.whole(c.visits)]
         for c in clients),
    )


def export_vat(period: Period) -> str:
    """The VAT summary of every quarter the period touches: a line per quarter and rate."""
    rows = []
    for entry in vat_summary(period):
        for line in entry.lines:
            rows.append([str(entry.quarter), Number.rate(line.rate), Number.whole(line.payments), Number.cents(line.gross),
                         Number.cents(line.refunded), Number.cents(line.net), Number.cents(line.vat), Number.cents(line.excluding_vat)])
    return to_csv(
        [_("Quarter"), _("VAT rate (%)"), _("Payments"), _("Gross received (€)"), _("Refunded (€)"), _("Net received incl. VAT (€)"),
         _("VAT (€)"), _("Excl. VAT (€)")],
        rows,
    )


def export_vouchers(period: Period) -> str:
    """Gift vouchers sold or used in the period, one row each: what was sold (no VAT: a multi-purpose
    voucher), what was used online and at the studio (the turnover is in those payments), what came
    back, expired or was corrected, and the balance at the period's end. Used amounts are positive."""
    start, end = period.start, period.end
    in_period = Q(entries__created_at__gte=start, entries__created_at__lt=end)

    def total(*kinds_):
        return Coalesce(Sum("entries__delta_cents", filter=in_period & Q(entries__kind__in=kinds_)), 0)

    K = VoucherEntry.Kind
    vouchers = (Voucher.objects.filter(issued_at__isnull=False, issued_at__lt=end)
                .filter(Q(issued_at__gte=start) | Q(pk__in=VoucherEntry.objects.filter(created_at__gte=start, created_at__lt=end)
                                                      .values("voucher_id")))
                .annotate(sold=total(K.ISSUE), online=total(K.REDEMPTION, K.RETURN), at_studio=total(K.AT_STUDIO),
                          expired=total(K.EXPIRY), corrected=total(K.CORRECTION),
                          balance=Coalesce(Sum("entries__delta_cents", filter=Q(entries__created_at__lt=end)), 0))
                .select_related("product", "buyer", "payment").order_by("issued_at", "pk"))
    rows = [[v.code, v.product.name, v.issued_at, v.payment.receipt_number if v.payment_id else "",
             v.buyer.get_full_name() if v.buyer_id else "", v.buyer.email if v.buyer_id else "", Number.cents(v.value_cents),
             Number.cents(v.sold), Number.cents(-v.online), Number.cents(-v.at_studio), Number.cents(-v.expired),
             Number.cents(v.corrected), Number.cents(v.balance), v.expires_at]
            for v in vouchers]
    return to_csv(
        [_("Code"), _("Gift voucher"), _("Date sold"), _("Receipt number"), _("Bought by"), _("Email"), _("Value (€)"),
         _("Sold in the period (€)"), _("Used online (€)"), _("Used at the studio (€)"), _("Expired (€)"), _("Corrections (€)"),
         _("Balance at the end (€)"), _("Valid until")],
        rows,
    )


EXPORTS = {"bookings": export_bookings, "payments": export_payments, "refunds": export_refunds, "clients": export_clients,
           "vat": export_vat, "vouchers": export_vouchers}
