"""The admin's books: reports with charts and CSV exports for a date range."""

from datetime import timedelta

from django import forms
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import validate_day_in_range
from core.roles import admin_required

from . import reports


class PeriodForm(forms.Form):
    first = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_day_in_range])
    last = forms.DateField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_day_in_range])

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last"):
            if data["last"] < data["first"]:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (data["last"] - data["first"]).days > 3 * 366:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data


def _period(request) -> tuple[PeriodForm, reports.Period]:
    today = timezone.localdate()
    default = {"first": (today.replace(day=1) - timedelta(days=62)).replace(day=1), "last": today}
    form = PeriodForm(request.GET if "first" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, reports.Period(form.cleaned_data["first"], form.cleaned_data["last"])
    return form, reports.Period(default["first"], default["last"])


@admin_required
def reports_page(request):
    form, period = _period(request)
    context = reports.report(period, now=timezone.now())
    context["form"] = form
    context["query"] = f"first={period.first.isoformat()}&last={period.last.isoformat()}"
    revenue_max = max([m["total"] for m in context["revenue"]["per_month"]] or [0])
    context["revenue_max"] = revenue_max or 1
    return render(request, "bookings/books/reports.html", context)


@admin_required
def export_csv(request, kind):
    exporter = reports.EXPORTS.get(kind)
    if exporter is None:
        raise Http404("unknown export")
    form, period = _period(request)
    if form.is_bound and not form.is_valid():
        problems = [str(message) for messages in form.errors.values() for message in messages]
        return HttpResponseBadRequest("\n".join(problems), content_type="text/plain; charset=utf-8")
    response = HttpResponse(exporter(period), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"'
    return response

