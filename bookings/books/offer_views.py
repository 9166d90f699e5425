"""What the studio sells beyond classes and cards, at the admin's desk: membership types, gift
voucher products with the vouchers sold, and discount codes with the payments that used them.
Only for the admin (others get a 404). A form saves all or nothing."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.roles import admin_required

from ..memberships.periods import LIVE
from ..models import DiscountCode, DiscountUse, MembershipType, Voucher, VoucherProduct
from ..payments import discounts
from . import offer_forms

PER_PAGE = 50


def _edit(request, *, form, template, done, context, clash_message):
    """Show the form; on a good POST save it in one transaction and go to `done`."""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
        except IntegrityError:  # someone saved the same code (or the like) at the same moment
            form.add_error(None, clash_message)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved})
            return redirect(done)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


# Membership types ---------------------------------------------------------------------------------

@admin_required
def membership_types(request):
    types = (MembershipType.objects.prefetch_related("styles")
             .annotate(members=Count("memberships", filter=Q(memberships__status__in=LIVE))))
    return render(request, "bookings/books/membership_types.html", {"types": types})


@admin_required
@require_http_methods(["GET", "POST"])
def membership_type_edit(request, pk=None):
    membership_type = get_object_or_404(MembershipType, pk=pk) if pk else None
    title = str(membership_type) if membership_type else _("New membership type")
    form = offer_forms.MembershipTypeForm(request.POST or None, instance=membership_type)
    return _edit(request, form=form, template="bookings/books/membership_type.html", done="bookings:desk_membership_types",
                 context={"title": title, "membership_type": membership_type}, clash_message=_("Nothing was saved. Please try again."))


# Gift vouchers ------------------------------------------------------------------------------------

@admin_required
def vouchers(request):
    """The voucher products, and the vouchers sold: code, value, what is left, until when, who bought it."""
    text = request.GET.get("q", "").strip()[:100]
    sold = (Voucher.objects.filter(issued_at__isnull=False).with_balance().select_related("buyer", "product", "payment")
            .order_by("-issued_at", "-pk"))
    if text:
        sold = sold.filter(Q(code__icontains=text) | Q(buyer__email__icontains=text) | Q(buyer__first_name__icontains=text)
                           | Q(buyer__last_name__icontains=text) | Q(recipient_name__icontains=text))
    page = Paginator(sold, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "bookings/books/vouchers.html", {
        "products": VoucherProduct.objects.annotate(sold=Count("vouchers", filter=Q(vouchers__issued_at__isnull=False))),
        "page": page, "q": text, "query": query.urlencode(), "now": timezone.now(),
    })


@admin_required
@require_http_methods(["GET", "POST"])
def voucher_product_edit(request, pk=None):
    product = get_object_or_404(VoucherProduct, pk=pk) if pk else None
    title = str(product) if product else _("New gift voucher")
    form = offer_forms.VoucherProductForm(request.POST or None, instance=product)
    return _edit(request, form=form, template="bookings/books/voucher_product.html", done="bookings:desk_vouchers",
                 context={"title": title}, clash_message=_("Nothing was saved. Please try again."))


# Discount codes -----------------------------------------------------------------------------------

@admin_required
def discount_codes(request):
    now = timezone.now()
    rows = [{"code": code, "state": discounts.discount_state(code, now), "products": discounts.products_text(code)}
            for code in DiscountCode.objects.all()]
    return render(request, "bookings/books/discount_codes.html", {"rows": rows})


@admin_required
@require_http_methods(["GET", "POST"])
def discount_code_edit(request, pk=None):
    code = get_object_or_404(DiscountCode, pk=pk) if pk else None
    title = code.code if code else _("New discount code")
    uses = list(DiscountUse.objects.filter(code=code).select_related("payment", "client")) if code else []
    form = offer_forms.DiscountCodeForm(request.POST or None, instance=code)
    return _edit(request, form=form, template="bookings/books/discount_code.html", done="bookings:desk_discount_codes",
                 context={"title": title, "code": code, "uses": uses, "uses_count": code.uses_count if code else 0},
                 clash_message=_("Another code with these letters was saved at the same moment. Nothing was saved: choose another code."))
