"""The studio's figures for a period: occupancy, revenue, coming and cancelling, and the key figures
set against another period. Money is whole cents throughout; percentages are Decimals to one
decimal, half rounded up (periods.percent).

Revenue is money received in the period less money refunded in the period (a refund counts on the
day it was made, as in the VAT summary: see movements.py), so the reports, the VAT summary and the
refunds export add up to the same figures."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from classes.models import STUDIO_TZ, Session

from ..models import Booking
from ..payments import kinds
from .movements import movements
from .periods import Period, percent

__all__ = ["Period", "attendance_rates", "comparison", "key_figures", "occupancy", "report", "revenue"]


def _sessions(period: Period, *, until: datetime | None = None):
    end = min(period.end, until) if until else period.end
    return Session.objects.scheduled().filter(starts_at__gte=period.start, starts_at__lt=end)


def occupancy(period: Period):
    """Places taken against places offered, per style and per week, of every class in the period
    (classes still to come included: a week ahead shows how it fills); and the fullest classes."""
    sessions = _sessions(period)
    english = get_language() == "en"
    per_style = [
        {"style": (row["offering__style__name_en"] if english and row["offering__style__name_en"] else row["offering__style__name_nl"]),
         "taken": row["taken"], "places": row["places"], "sessions": row["n"], "percent": percent(row["taken"], row["places"])}
        for row in sessions.values("offering__style__name_nl", "offering__style__name_en")
        .annotate(taken=Sum("places_taken"), places=Sum("capacity"), n=Count("pk")).order_by("offering__style__name_nl")
    ]
    per_week = [
        {"week": row["week"].date(), "taken": row["taken"], "places": row["places"], "percent": percent(row["taken"], row["places"])}
        for row in sessions.annotate(week=TruncWeek("starts_at", tzinfo=STUDIO_TZ)).values("week")
        .annotate(taken=Sum("places_taken"), places=Sum("capacity")).order_by("week")
    ]
    top = list(sessions.select_related("offering").annotate(fill=F("places_taken") * 100 / F("capacity"))
               .order_by("-fill", "-places_taken", "starts_at")[:10])
    return {"per_style": per_style, "per_week": per_week, "top_sessions": top}


def revenue(period: Period, *, moved=None):
    """Money received less money refunded in the period, per month and per product (by purpose).
    `moved` is the period's movements when the caller already has them. What a gift voucher paid is
    left out: its money came in when the voucher was sold (the VAT summary counts it the other way)."""
    moved = _money(movements(period) if moved is None else moved)
    months = {}
    per_product = {purpose: 0 for purpose in kinds.purposes()}
    for movement in moved:
        month = movement.moment.date().replace(day=1)
        entry = months.setdefault(month, {"month": month, "total": 0, "by_product": {}})
        entry["by_product"][movement.purpose] = entry["by_product"].get(movement.purpose, 0) + movement.net
        entry["total"] += movement.net
        per_product[movement.purpose] = per_product.get(movement.purpose, 0) + movement.net
    products = [{"purpose": purpose, "label": kinds.label_of(purpose), "amount": amount} for purpose, amount in per_product.items()]
    return {"per_month": [months[month] for month in sorted(months)], "per_product": per_product, "products": products,
            "total": sum(per_product.values())}


def attendance_rates(period: Period, *, now):
    """Of the classes in the period that have begun: bookings that stood, no-shows among them, and
    cancellations by clients (late ones apart). Classes the studio cancelled do not count."""
    in_period = Booking.objects.filter(session__starts_at__gte=period.start, session__starts_at__lt=min(period.end, now))
    counts = in_period.aggregate(
        confirmed=Count("pk", filter=Q(status="confirmed")),
        no_show=Count("pk", filter=Q(status="confirmed", attendance="no_show")),
        cancelled=Count("pk", filter=Q(status="cancelled", cancelled_by_studio=False)),
        late=Count("pk", filter=Q(status="cancelled", late_cancellation=True, cancelled_by_studio=False)),
    )
    counts["no_show_percent"] = percent(counts["no_show"], counts["confirmed"])
    counts["late_cancel_percent"] = percent(counts["late"], counts["confirmed"] + counts["cancelled"])
    return counts


def _money(moved) -> list:
    """The movements of money: without the parts gift vouchers paid (turnover, but no money moved)."""
    return [movement for movement in moved if not movement.by_voucher]


def report(period: Period, *, now, moved=None):
    moved = movements(period) if moved is None else moved
    return {"period": period, "occupancy": occupancy(period), "revenue": revenue(period, moved=moved),
            "rates": attendance_rates(period, now=now)}


# Key figures, and two periods side by side -----------------------------------------

# (key, label, kind): kind "money" is cents, "count" a whole number, "percent" a Decimal percentage.
FIGURES = [
    ("revenue", _("Revenue after refunds"), "money"),
    ("classes", _("Classes given"), "count"),
    ("places", _("Places taken"), "count"),
    ("occupancy", _("Occupancy"), "percent"),
    ("no_show", _("No-shows"), "percent"),
    ("late_cancel", _("Late cancellations"), "percent"),
    ("bookings", _("Bookings made"), "count"),
]


def key_figures(period: Period, *, now, moved=None, rates=None) -> dict:
    """The period's key figures. Classes given are the scheduled classes that began before `now`;
    places taken and occupancy are theirs. Bookings made are those confirmed in the period, whatever
    became of them later. Five queries; two with the period's `moved` and `rates` given."""
    moved = movements(period) if moved is None else moved
    given = _sessions(period, until=now).aggregate(classes=Count("pk"), places=Sum("places_taken"), capacity=Sum("capacity"))
    rates = attendance_rates(period, now=now) if rates is None else rates
    made = Booking.objects.filter(confirmed_at__gte=period.start, confirmed_at__lt=period.end).count()
    return {
        "revenue": sum(movement.net for movement in _money(moved)),
        "classes": given["classes"],
        "places": given["places"] or 0,
        "occupancy": percent(given["places"] or 0, given["capacity"] or 0),
        "no_show": rates["no_show_percent"],
        "late_cancel": rates["late_cancel_percent"],
        "bookings": made,
    }


@dataclass(frozen=True)
class Compared:
    key: str
    label: str
    kind: str
    current: int | Decimal
    previous: int | Decimal

    @property
    def difference(self) -> int | Decimal:
        """Current less previous: cents, a count, or percentage points."""
        return self.current - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        """The difference as a percentage of the previous value, to one decimal; None from nothing."""
        if not self.previous:
            return None
        change = Decimal(100) * Decimal(self.difference) / Decimal(self.previous)
        return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def comparison(period: Period, against: Period, *, now, moved=None, rates=None) -> list[Compared]:
    """Each key figure of `period` next to that of `against` (usually `period.previous()`)."""
    current = key_figures(period, now=now, moved=moved, rates=rates)
    previous = key_figures(against, now=now)
    return [Compared(key, str(label), kind, current[key], previous[key]) for key, label, kind in FIGURES]
