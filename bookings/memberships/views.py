"""Membership pages: the types on sale, buying one (Stripe Checkout in subscription mode) and coming
back, her own membership (pause, cancel, a new payment method). Parse, call, answer."""

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..errors import BookingError, PaymentError
from ..models import Membership, MembershipType
from . import changes, periods, selectors, selling
from .forms import PauseForm
from .periods import Status


def memberships(request):
    """The memberships on sale (public); a signed-in client with one sees a link to hers."""
    mine = selectors.her_membership(request.user) if request.user.is_authenticated else None
    return render(request, "bookings/memberships/memberships.html", {"types": selectors.types_on_sale(), "mine": mine})


@login_required
@require_POST
def membership_buy(request):
    chosen = request.POST.get("membership_type", "")
    membership_type = get_object_or_404(MembershipType, pk=int(chosen) if chosen.isdigit() else None)
    try:
        membership = selling.membership_buy(client=request.user, membership_type=membership_type)
        url = selling.checkout_start(
            membership=membership,
            success_url=request.build_absolute_uri(reverse("bookings:membership_return")) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=request.build_absolute_uri(reverse("bookings:membership_stopped")))
    except (BookingError, PaymentError) as error:
        messages.error(request, str(error))
        return redirect("bookings:memberships")
    return redirect(url)


@login_required
def membership_return(request):
    checkout_id = request.GET.get("session_id", "")
    if not checkout_id or not Membership.objects.filter(client=request.user, stripe_checkout_id=checkout_id).exists():
        raise Http404("unknown checkout")
    try:
        membership = selling.checkout_returned(client=request.user, checkout_id=checkout_id)
    except stripe.StripeError:
        membership = None
    if membership is not None and membership.status == Status.ACTIVE:
        messages.success(request, _("Welcome! Your membership is active and you can book with it straight away. "
                                    "A confirmation is on its way to your inbox."))
    else:
        messages.info(request, _("Your bank has not confirmed the payment yet. As soon as it does, your membership starts and "
                                 "you get an email."))
    return redirect("bookings:my_membership")


@login_required
def membership_stopped(request):
    membership = Membership.objects.filter(client=request.user, status=Status.INCOMPLETE).order_by("-created_at").first()
    if membership is not None:
        try:
            membership = selling.checkout_stopped(membership=membership)
        except stripe.StripeError:
            pass
        if membership.status in periods.LIVE:
            messages.success(request, _("Your payment had already come in: your membership is active."))
            return redirect("bookings:my_membership")
    messages.info(request, _("You stopped paying, so nothing was charged. You are welcome to choose a membership again."))
    return redirect("bookings:memberships")


@login_required
def my_membership(request):
    context = selectors.my_membership(client=request.user)
    if context["membership"] is None:
        return redirect("bookings:memberships")
    membership = context["membership"]
    initial = {"pause_from": membership.pause_from, "pause_until": membership.pause_until} if context.get("pause_planned") else {}
    context["pause_form"] = PauseForm(initial=initial)
    return render(request, "bookings/memberships/my_membership.html", context)


def _running_or_404(request) -> Membership:
    membership = periods.live_membership(request.user)
    if membership is None:
        raise Http404("no running membership")
    return membership


@login_required
@require_POST
def membership_pause(request):
    membership = _running_or_404(request)
    form = PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("bookings:my_membership")
    try:
        membership = changes.pause_plan(membership=membership, pause_from=form.cleaned_data["pause_from"],
                                        pause_until=form.cleaned_data["pause_until"])
    except (BookingError, PaymentError) as error:
        messages.error(request, str(error))
        return redirect("bookings:my_membership")
    messages.success(request, _("Your membership is paused from %(from)s until %(until)s; from %(until)s you can book again. A "
                                "monthly payment that falls in the pause moves to the day you come back.") % {
        "from": formats.date_format(membership.pause_from, "j F Y"), "until": formats.date_format(membership.pause_until, "j F Y")})
    return redirect("bookings:my_membership")


@login_required
@require_POST
def membership_pause_end(request):
    membership = _running_or_404(request)
    try:
        changes.pause_end(membership=membership)
    except (BookingError, PaymentError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The pause has ended: welcome back. You can book with your membership again."))
    return redirect("bookings:my_membership")


@login_required
def membership_cancel(request):
    membership = _running_or_404(request)
    if request.method == "POST":
        try:
            membership = changes.membership_cancel(membership=membership, shown_end=request.POST.get("ends", ""))
        except (BookingError, PaymentError) as error:
            messages.error(request, str(error))
            return redirect("bookings:membership_cancel")
        messages.success(request, _("Your membership is cancelled and ends on %(date)s. Until then you can book as usual. "
                                    "A confirmation is on its way to your inbox.") % {
            "date": formats.date_format(timezone.localtime(membership.ends_at), "j F Y")})
        return redirect("bookings:my_membership")
    if membership.is_cancelled:
        return redirect("bookings:my_membership")
    end = changes.cancel_end(membership)
    return render(request, "bookings/memberships/cancel.html", {
        "membership": membership, "ends": end, "ends_date": periods.local_date(end) if end else None})


@login_required
@require_POST
def membership_cancel_undo(request):
    membership = _running_or_404(request)
    try:
        changes.membership_cancel_undo(membership=membership)
    except (BookingError, PaymentError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your membership goes on: it is no longer cancelled."))
    return redirect("bookings:my_membership")


@login_required
def membership_payment_method(request):
    """GET: why and how to give a new payment method. POST: to Stripe's page for it (setup mode)."""
    membership = _running_or_404(request)
    if request.method == "POST":
        try:
            url = changes.payment_method_checkout(
                membership=membership,
                success_url=request.build_absolute_uri(reverse("bookings:membership_payment_method_done")) + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=request.build_absolute_uri(reverse("bookings:membership_payment_method")))
        except (BookingError, PaymentError) as error:
            messages.error(request, str(error))
            return redirect("bookings:membership_payment_method")
        return redirect(url)
    return render(request, "bookings/memberships/payment_method.html", {
        "membership": membership, "past_due": membership.status == Status.PAST_DUE})


@login_required
def membership_payment_method_done(request):
    membership = _running_or_404(request)
    checkout_id = request.GET.get("session_id", "")
    if not checkout_id:
        raise Http404("unknown checkout")
    try:
        updated = changes.payment_method_set(checkout_id=checkout_id, for_membership=membership)
    except stripe.StripeError:
        updated = None
    if updated is None or updated.pk != membership.pk:
        messages.info(request, _("We are still waiting for your bank. Your membership page shows it as soon as it is in."))
    elif updated.status == Status.ACTIVE:
        messages.success(request, _("Thank you: your new payment method is saved and your membership is paid. You can book again."))
    else:
        messages.warning(request, _("Your new payment method is saved, but the payment has not come in yet. If it does not, "
                                    "please try another payment method."))
    return redirect("bookings:my_membership")
