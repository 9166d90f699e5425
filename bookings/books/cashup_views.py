"""The cash-up at the admin's desk: what the books say was taken at the studio on a day, and the
count of the drawer and the PIN terminal against it."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.dates import DateOutOfRange, parse_day
from core.roles import admin_required

from ..errors import PaymentError
from . import cashup, desk_forms


def _day(request) -> date:
    """The day of `?day=` (today when absent or malformed); a day to come cannot be counted yet."""
    today = timezone.localdate()
    try:
        return parse_day(request.GET.get("day"), latest=today) or today
    except DateOutOfRange:
        messages.info(request, _("Only a day that has come can be counted; here is today."))
        return today


@admin_required
@require_http_methods(["GET", "POST"])
def cash_up(request):
    day = _day(request)
    form = desk_forms.CashCountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = cashup.cash_count_record(day=day, float_cents=data["float_cents"], cash_counted_cents=data["cash_counted_cents"],
                                             pin_counted_cents=data["pin_counted_cents"], counted_by=request.user, note=data["note"])
        except PaymentError as error:
            form.add_error(None, str(error))
        else:
            if count.balanced:
                messages.success(request, _("The count is saved: it matches the books."))
            else:
                messages.warning(request, _("The count is saved, with a difference; it is kept with your name."))
            return redirect(f"{request.path}?day={day.isoformat()}")
    return render(request, "bookings/books/cash_up.html", {
        "day": day, "today": timezone.localdate(), "takings": cashup.studio_takings(day), "counts": cashup.counts_of(day), "form": form,
    }, status=400 if form.errors else 200)
