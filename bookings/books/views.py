"""The admin's books: reports with charts and a comparison, the VAT summary, and CSV exports."""

from datetime import date
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.dates import EARLIEST, LATEST
from core.money import euros
from core.roles import admin_required

from . import charts, reports
from .exports import EXPORTS
from .forms import PeriodForm, YearForm
from .movements import movements
from .periods import Period, add_months, presets
from .vat import vat_summary


def _default(today: date) -> Period:
    """The three whole months before this one, and this month so far."""
    return Period(add_months(today.replace(day=1), -3), today)


def _period(request) -> tuple[PeriodForm, Period, Period]:
    """The form, the period asked for and the one to compare it with (the defaults when the form is
    not filled in or not valid: its errors are then shown)."""
    default = _default(timezone.localdate())
    form = PeriodForm(request.GET if "first" in request.GET else None,
                      initial={"first": default.first, "last": default.last})
    if form.is_bound and form.is_valid():
        return form, form.period(), form.compared_with()
    return form, default, default.previous()


def _query(period: Period) -> str:
    return urlencode({"first": period.first.isoformat(), "last": period.last.isoformat()})


def _signed(text: str, value) -> str:
    return f"+{text}" if value > 0 else text


def _shown(kind: str, value) -> str:
    if kind == "money":
        return euros(value)
    if kind == "percent":
        return f"{formats.number_format(value, 1)}%"
    return formats.number_format(value)


def _compared_rows(compared):
    rows = []
    for row in compared:
        difference = row.difference
        if row.kind == "percent":
            step = _signed(formats.number_format(difference, 1), difference) + " " + _("pp")
        else:
            step = _signed(_shown(row.kind, difference), difference)
        change = row.change_percent
        rows.append({"label": row.label, "current": _shown(row.kind, row.current), "previous": _shown(row.kind, row.previous),
                     "difference": step, "change": "–" if change is None else _signed(f"{formats.number_format(change, 1)}%", change)})
    return rows


@admin_required
def reports_page(request):
    form, period, against = _period(request)
    now = timezone.now()
    moved = movements(period)
    context = reports.report(period, now=now, moved=moved)
    revenue = context["revenue"]
    context.update({
        "form": form,
        "query": _query(period),
        "vat_query": urlencode({"year": period.last.year}),
        "against": against,
        "compared": _compared_rows(reports.comparison(period, against, now=now, moved=moved, rates=context["rates"])),
        "presets": [{"label": label, "query": _query(choice), "current": choice == period}
                    for label, choice in presets(timezone.localdate())],
        "style_chart": charts.occupancy_per_style(context["occupancy"]["per_style"]),
        "week_chart": charts.occupancy_per_week(context["occupancy"]["per_week"]),
        "revenue_chart": charts.revenue_per_month(revenue["per_month"], revenue["products"]),
        "products": [product for product in revenue["products"] if product["amount"]],
    })
    return render(request, "bookings/books/reports.html", context)


@admin_required
def vat_page(request):
    """The VAT summary of a year, quarter by quarter, and its CSV."""
    form = YearForm(request.GET if "year" in request.GET else None)
    if form.is_bound and not form.is_valid():
        return render(request, "bookings/books/vat.html", {"form": form, "summary": None})
    year = form.cleaned_data["year"] if form.is_bound else timezone.localdate().year
    whole_year = Period(date(year, 1, 1), date(year, 12, 31))
    return render(request, "bookings/books/vat.html", {
        "form": form, "year": year, "summary": vat_summary(whole_year), "query": _query(whole_year),
        "earlier": year - 1 if year > EARLIEST.year else None, "later": year + 1 if year < LATEST.year else None,
    })


@admin_required
def export_csv(request, kind):
    exporter = EXPORTS.get(kind)
    if exporter is None:
        raise Http404("unknown export")
    form, period, _against = _period(request)
    if form.is_bound and not form.is_valid():
        problems = [str(message) for messages in form.errors.values() for message in messages]
        return HttpResponseBadRequest("\n".join(problems), content_type="text/plain; charset=utf-8")
    response = HttpResponse(exporter(period).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"'
    return response
