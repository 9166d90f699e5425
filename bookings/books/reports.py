"""The studio's figures for a date range, and the CSV exports they can be checked against."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from classes.models import STUDIO_TZ, Session
from core.money import euros_plain

from ..models import Booking, Payment
from ..payments import kinds

PAID_STATUSES = [Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED, Payment.Status.REFUNDED]


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=STUDIO_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=STUDIO_TZ)


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def occupancy(period: Period):
    sessions = Session.objects.scheduled().filter(starts_at__gte=period.start, starts_at__lt=period.end)
    per_style = [
        {"style": row["offering__style__name_nl"], "taken": row["taken"], "places": row["places"], "sessions": row["n"],
         "percent": _percent(row["taken"], row["places"])}
        for row in sessions.values("offering__style__name_nl").annotate(taken=Sum("places_taken"), places=Sum("capacity"), n=Count("pk"))
        .order_by("offering__style__name_nl")
    ]
    per_week = [
        {"week": row["week"].date(), "taken": row["taken"], "places": row["places"], "percent": _percent(row["taken"], row["places"])}
        for row in sessions.annotate(week=TruncWeek("starts_at", tzinfo=STUDIO_TZ)).values("week")
        .annotate(taken=Sum("places_taken"), places=Sum("capacity")).order_by("week")
    ]
    top = list(sessions.select_related("offering").annotate(fill=F("places_taken") * 100 / F("capacity"))
               .order_by("-fill", "starts_at")[:10])
    return {"per_style": per_style, "per_week": per_week, "top_sessions": top}


def revenue(period: Period):
    """Money received in the period (by payment date), less what was refunded of it, per month and product."""
    paid = Payment.objects.filter(status__in=PAID_STATUSES, paid_at__gte=period.start, paid_at__lt=period.end)
    rows = (paid.annotate(month=TruncMonth("paid_at", tzinfo=STUDIO_TZ)).values("month", "purpose")
            .annotate(gross=Sum("amount_cents"), refunded=Sum("refunded_cents")).order_by("month", "purpose"))
    months = {}
    for row in rows:
        month = months.setdefault(row["month"].date(), {"month": row["month"].date(), "total": 0, "by_product": {}})
        net = row["gross"] - row["refunded"]
        month["by_product"][row["purpose"]] = net
        month["total"] += net
    per_product = {purpose: 0 for purpose in kinds.purposes()}
    for month in months.values():
        for purpose, amount in month["by_product"].items():
            per_product[purpose] = per_product.get(purpose, 0) + amount
    products = [{"purpose": purpose, "label": kinds.label_of(purpose), "amount": amount} for purpose, amount in per_product.items()]
    return {"per_month": list(months.values()), "per_product": per_product, "products": products, "total": sum(per_product.values())}


def attendance_rates(period: Period, *, now):
    in_period = Booking.objects.filter(session__starts_at__gte=period.start, session__starts_at__lt=min(period.end, now))
    counts = in_period.aggregate(
        confirmed=Count("pk", filter=Q(status="confirmed")),
        no_show=Count("pk", filter=Q(status="confirmed", attendance="no_show")),
        cancelled=Count("pk", filter=Q(status="cancelled", cancelled_by_studio=False)),
        late=Count("pk", filter=Q(status="cancelled", late_cancellation=True, cancelled_by_studio=False)),
    )
    counts["no_show_percent"] = _percent(counts["no_show"], counts["confirmed"])
    counts["late_cancel_percent"] = _percent(counts["late"], counts["confirmed"] + counts["cancelled"])
    return counts


def report(period: Period, *, now):
    return {"period": period, "occupancy": occupancy(period), "revenue": revenue(period), "rates": attendance_rates(period, now=now)}


# CSV exports -------------------------------------------------------------------

def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return buffer.getvalue()


def _safe_cell(value):
    """Spreadsheet programs run cells starting with = + - @ as formulas; prefix them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _local(moment):
    return moment.astimezone(STUDIO_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_bookings(period: Period) -> str:
    bookings = (Booking.objects.filter(session__starts_at__gte=period.start, session__starts_at__lt=period.end)
                .exclude(status__in=["released", "offered"])
                .select_related("session__offering__style", "client").order_by("session__starts_at", "pk"))
    return _csv(
        ["session_start", "offering", "style", "client_name", "client_email", "status", "paid_with", "attendance",
         "late_cancellation", "cancelled_by_studio", "price_eur"],
        ([_local(b.session.starts_at), b.session.offering.name_nl, b.session.offering.style.name_nl, b.client.get_full_name(),
          b.client.email, b.status, b.paid_with, b.attendance, int(b.late_cancellation), int(b.cancelled_by_studio),
          euros_plain(b.price_cents)] for b in bookings),
    )


def export_payments(period: Period) -> str:
    payments = (Payment.objects.filter(status__in=PAID_STATUSES, paid_at__gte=period.start, paid_at__lt=period.end)
                .select_related("client").order_by("paid_at", "pk"))
    return _csv(
        ["paid_at", "receipt_number", "client_email", "product", "method", "amount_eur", "refunded_eur", "net_eur", "vat_eur", "status"],
        ([_local(p.paid_at), p.receipt_number, p.client.email, p.purpose, p.method, euros_plain(p.amount_cents),
          euros_plain(p.refunded_cents), euros_plain(p.amount_cents - p.refunded_cents), euros_plain(p.vat_cents), p.status]
         for p in payments),
    )


def export_clients(period: Period) -> str:
    clients = (get_user_model().objects.filter(is_staff=False)
               .annotate(visits=Count("bookings", filter=Q(bookings__status="confirmed", bookings__session__starts_at__gte=period.start,
                                                           bookings__session__starts_at__lt=period.end)))
               .order_by("last_name", "first_name", "pk"))
    return _csv(
        ["first_name", "last_name", "email", "phone", "language", "joined", "bookings_in_period"],
        ([c.first_name, c.last_name, c.email, c.phone, c.language, _local(c.date_joined), c.visits] for c in clients),
    )


EXPORTS = {"bookings": export_bookings, "payments": export_payments, "clients": export_clients}
