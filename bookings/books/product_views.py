"""What the studio sells, on one page at the admin's desk: every kind of purchase lists its products
(drop-ins per offering, class cards, programmes, one-to-ones; later kinds join by registering),
in euros incl. VAT with the rate. Class card types are kept here too."""


from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.money import vat_included
from core.roles import admin_required
from core.vat import vat_rate_label

from ..models import BookingPolicy, ClassCardType
from ..payments import kinds
from . import desk_forms


@admin_required
def products(request):
    default_rate = BookingPolicy.current().vat_rate_percent
    groups = []
    for kind in kinds.kinds():
        lines = []
        for line in kind.product_lines():
            rate = default_rate if line.vat_rate is None else line.vat_rate
            lines.append({"line": line, "excluding_vat": line.price_cents - vat_included(line.price_cents, rate), "vat": vat_rate_label(rate)})
        groups.append({"label": kind.label, "purpose": kind.purpose, "lines": lines})
    return render(request, "bookings/books/products.html", {"groups": groups, "vat_rate": default_rate})


@admin_required
@require_http_methods(["GET", "POST"])
def card_type_edit(request, pk=None):
    card_type = get_object_or_404(ClassCardType, pk=pk, is_studio_credit=False) if pk else None
    form = desk_forms.ClassCardTypeForm(request.POST or None, instance=card_type)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
        return redirect("bookings:desk_products")
    return render(request, "bookings/books/card_type.html", {"form": form, "card_type": card_type}, status=400 if form.errors else 200)
