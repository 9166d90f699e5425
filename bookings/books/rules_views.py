"""The booking rules page at the admin's desk: every rule in one form, and how clients read them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.roles import admin_required

from ..models import BookingPolicy
from ..policy import rules_for_clients
from . import rules


@admin_required
@never_cache
def booking_rules(request):
    policy, _created = BookingPolicy.objects.get_or_create(pk=1)  # the row itself, not the kept copy
    form = rules.BookingRulesForm(request.POST or None, instance=policy)
    if request.method == "POST":
        if form.is_valid():
            rules.booking_rules_save(values={name: form.cleaned_data[name] for name in rules.FIELDS})
            messages.success(request, _("The booking rules are saved. The terms and the booking pages show them from now on."))
            return redirect("bookings:desk_rules")
        messages.error(request, _("Nothing has been saved: please look at the rules marked below."))
        policy = BookingPolicy.current()  # the preview shows what holds now, not the refused values
    return render(request, "bookings/books/rules.html", {
        "form": form,
        "groups": [(title, [form[name] for name in names]) for title, names in rules.GROUPS],
        "rules": rules_for_clients(policy),
    })
