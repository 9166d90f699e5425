"""Gift-voucher pages: buying one, a voucher's own page (for whoever has the code: balance and
validity, no personal data), its printable PDF for the buyer, and the teacher taking an amount off
at the studio. Parse, call, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimit
from core.money import euros
from core.roles import is_admin, is_teacher, teacher_required

from ..errors import PaymentError
from ..models import Voucher, VoucherProduct
from ..payments import voucher_ledger
from ..payments.handoff import send_to_checkout
from . import forms, printable, vouchers

LOOKUPS_PER_HOUR = 60  # codes looked up per address: enough for a studio, too few to guess codes


def _products():
    return VoucherProduct.objects.filter(is_on_sale=True).order_by("position", "pk")


def voucher_shop(request):
    """The gift vouchers for sale; the form for someone signed in, a login link for others."""
    form = forms.VoucherBuyForm(initial={"product": _products().first()})
    return _shop(request, form)


def _shop(request, form, status=200):
    mine = vouchers.vouchers_of_buyer(request.user) if request.user.is_authenticated else []
    return render(request, "bookings/vouchers/shop.html", {"form": form, "products": _products(), "mine": mine}, status=status)


@login_required
@require_POST
def voucher_buy(request):
    form = forms.VoucherBuyForm(request.POST)
    if not form.is_valid():
        return _shop(request, form, status=400)
    data = form.cleaned_data
    try:
        payment = vouchers.voucher_purchase_create(
            client=request.user, product=data["product"], amount_cents=data["amount"], recipient_name=data["recipient_name"],
            recipient_email=data["recipient_email"], message=data["message"])
    except PaymentError as error:
        form.add_error(None, str(error))
        return _shop(request, form, status=400)
    return send_to_checkout(request, payment)


def _voucher_or_404(request, code) -> Voucher:
    voucher = voucher_ledger.voucher_find(code)
    if voucher is None or (voucher.issued_at is None and voucher.buyer_id != request.user.pk):
        raise Http404("no such voucher")
    return voucher


def voucher_page(request, code):
    """A voucher's page: for anyone with the code its balance, validity and what was taken when (no
    names); its buyer also sees for whom, the message and the PDF; a teacher a link to take from it."""
    if not ratelimit.hit("voucher-code", ratelimit.client_ip(request), limit=LOOKUPS_PER_HOUR, period_seconds=3600):
        # Guessing codes is slowed down; someone on a shared connection is told why, not that her voucher is unknown.
        return render(request, "bookings/vouchers/too_many.html", status=429)
    voucher = _voucher_or_404(request, code)
    is_buyer = request.user.is_authenticated and voucher.buyer_id == request.user.pk
    return render(request, "bookings/vouchers/voucher.html", {
        "state": vouchers.voucher_state(voucher), "voucher": voucher, "is_buyer": is_buyer,
        "is_teacher": is_teacher(request.user)})


@login_required
def voucher_pdf(request, code):
    """The printable voucher: for its buyer (and the studio), with the buyer's message on it."""
    voucher = _voucher_or_404(request, code)
    if voucher.buyer_id != request.user.pk and not is_admin(request.user):
        raise Http404("not your voucher")
    if voucher.issued_at is None:
        raise Http404("not paid yet")
    response = HttpResponse(printable.voucher_pdf(voucher), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cadeaubon-{voucher.code}.pdf"'
    return response


@teacher_required
def voucher_at_studio(request):
    """The teacher's page: look a code up, see its balance, expiry and history, take an amount."""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    lookup = forms.VoucherLookupForm(request.GET or None)
    voucher = voucher_ledger.voucher_find(code) if code else None
    take = None
    if request.method == "POST":
        take = forms.VoucherTakeForm(request.POST)
        if voucher is None:
            messages.error(request, _("No gift voucher has this code. Check the letters and try again."))
            return redirect("bookings:voucher_at_studio")
        if take.is_valid():
            data = take.cleaned_data
            try:
                entry = voucher_ledger.voucher_at_studio(voucher=voucher, amount_cents=data["amount"], actor=request.user,
                                                         reason=data["reason"], vat_rate=data["vat_rate"])
            except PaymentError as error:
                take.add_error(None, str(error))
            else:
                messages.success(request, _("%(amount)s taken off gift voucher %(code)s; %(left)s is left.") % {
                    "amount": euros(-entry.delta_cents), "code": voucher.code, "left": euros(voucher_ledger.voucher_balance(voucher))})
                return redirect(reverse("bookings:voucher_at_studio") + f"?code={voucher.code}")
    elif code and voucher is None:
        messages.error(request, _("No gift voucher has this code. Check the letters and try again."))
    if voucher is not None and take is None:
        take = forms.VoucherTakeForm(initial={"code": voucher.code})
    return render(request, "bookings/vouchers/at_studio.html", {
        "lookup": lookup, "voucher": voucher, "state": vouchers.voucher_state(voucher) if voucher else None, "take": take},
        status=400 if take is not None and take.errors else 200)
