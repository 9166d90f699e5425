"""Booking pages: choose how to pay, pay online, cancel, the waitlist. Parse, call, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.models import Session

from . import cards, payments, selectors, services, waitlist
from .errors import BookingError, PaymentError
from .models import Booking, BookingPolicy, Payment, WaitlistEntry


def _session_or_404(session_id):
    return get_object_or_404(Session.objects.shown().for_listing(), pk=session_id)


@login_required
def book(request, session_id):
    """GET: the ways to join this class. POST: book with the chosen one."""
    session = _session_or_404(session_id)
    if request.method == "POST":
        pay_with = request.POST.get("pay_with", "")
        try:
            booking = services.booking_create(client=request.user, session=session, pay_with=pay_with)
        except BookingError as error:
            messages.error(request, str(error))
            return redirect("bookings:book", session_id=session.pk)
        if booking.status == Booking.Status.PENDING_PAYMENT:
            return send_to_checkout(request, booking.payment, line_name=f"{session.offering.name} – {timezone.localtime(session.starts_at):%d-%m-%Y %H:%M}")
        messages.success(request, _("You have a place. A confirmation is on its way to your inbox."))
        return redirect("bookings:my_bookings")
    return render(request, "bookings/book.html", selectors.booking_options(client=request.user, session=session))


def send_to_checkout(request, payment: Payment, *, line_name: str):
    """Send the client to Stripe Checkout; if that cannot start, give the held place back."""
    success_url = request.build_absolute_uri(reverse("bookings:checkout_return")) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel_url = request.build_absolute_uri(reverse("bookings:checkout_cancelled", kwargs={"pk": payment.pk}))
    try:
        url = payments.checkout_start(payment=payment, line_name=line_name, client=request.user,
                                      success_url=success_url, cancel_url=cancel_url)
    except PaymentError as error:
        payments.holds_release(payment, reason="checkout could not start")
        Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(status=Payment.Status.FAILED)
        messages.error(request, str(error))
        return redirect("bookings:my_bookings")
    return redirect(url)


@login_required
def checkout_return(request):
    """Stripe sends the client back here after paying; the outcome is read from Stripe itself."""
    checkout_id = request.GET.get("session_id", "")
    payment = Payment.objects.filter(stripe_checkout_id=checkout_id, client=request.user).first() if checkout_id else None
    if payment is None:
        raise Http404("unknown checkout")
    payment = payments.payment_fulfil(checkout_id=checkout_id) or payment
    if payment.purpose in (Payment.Purpose.PROGRAMME, Payment.Purpose.APPOINTMENT):
        from .programme_views import after_checkout

        return after_checkout(request, payment)
    return render(request, "bookings/checkout_return.html", {"payment": payment, "booking": payment.bookings.select_related("session__offering").first(),
                                                             "card": getattr(payment, "class_card", None) if payment.is_paid else None})


@login_required
def checkout_cancelled(request, pk):
    """The client came back without paying: the held place goes back straight away."""
    payment = get_object_or_404(Payment, pk=pk, client=request.user)
    if payment.status == Payment.Status.PENDING:
        payments.holds_release(payment, reason="client stopped paying")
        with transaction.atomic():
            Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(status=Payment.Status.EXPIRED)
            if payment.stripe_checkout_id:
                payments.checkout_expire_after_commit(payment)
        messages.info(request, _("You stopped paying, so nothing was charged and the place is free again."))
    return redirect("bookings:my_bookings")


@login_required
@require_POST
def checkout_resume(request, pk):
    payment = get_object_or_404(Payment, pk=pk, client=request.user, status=Payment.Status.PENDING)
    booking = payment.bookings.first()
    if (booking is not None and (booking.status != Booking.Status.PENDING_PAYMENT or booking.hold_expires_at <= timezone.now())
            or not payments.hold_is_open(payment, now=timezone.now())):
        messages.error(request, _("The time to pay for this place has run out. Please book again."))
        return redirect("bookings:my_bookings")
    return send_to_checkout(request, payment, line_name=payment.description)


@login_required
def cancel(request, pk):
    booking = get_object_or_404(Booking.objects.for_listing(), pk=pk, client=request.user)
    if not booking.holds_a_place:
        messages.info(request, _("This booking is already cancelled."))
        return redirect("bookings:my_bookings")
    if request.method == "POST":
        try:
            outcome = services.booking_cancel(booking=booking, actor=request.user)
        except BookingError as error:
            messages.error(request, str(error))
            return redirect("bookings:my_bookings")
        messages.success(request, selectors.cancel_message(outcome))
        return redirect("bookings:my_bookings")
    terms = services.cancellation_terms(booking)
    return render(request, "bookings/cancel.html", {"booking": booking, "terms": terms, "policy": BookingPolicy.current()})


@login_required
@require_POST
def waitlist_join(request, session_id):
    session = _session_or_404(session_id)
    try:
        entry = waitlist.waitlist_join(client=request.user, session=session)
    except BookingError as error:
        messages.error(request, str(error))
        return redirect("bookings:book", session_id=session.pk)
    messages.success(request, _("You are on the waitlist, number %(position)d. We will email you when a place frees up.") % {
        "position": waitlist.waitlist_position(entry)})
    return redirect("bookings:my_bookings")


@login_required
@require_POST
def waitlist_leave(request, pk):
    entry = get_object_or_404(WaitlistEntry, pk=pk, client=request.user)
    try:
        waitlist.waitlist_leave(entry=entry)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have left the waitlist."))
    return redirect("bookings:my_bookings")


@login_required
def waitlist_claim(request, pk):
    entry = get_object_or_404(WaitlistEntry.objects.select_related("session__offering", "offer"), pk=pk, client=request.user)
    if request.method == "POST":
        try:
            booking = waitlist.waitlist_claim(entry=entry, client=request.user, pay_with=request.POST.get("pay_with", ""))
        except BookingError as error:
            messages.error(request, str(error))
            return redirect("bookings:waitlist_claim", pk=entry.pk)
        if booking.status == Booking.Status.PENDING_PAYMENT:
            return send_to_checkout(request, booking.payment, line_name=booking.payment.description)
        messages.success(request, _("The place is yours. A confirmation is on its way to your inbox."))
        return redirect("bookings:my_bookings")
    session = entry.session
    card = cards.card_for_session(client=request.user, session=session)
    return render(request, "bookings/waitlist_claim.html", {
        "entry": entry, "session": session, "card": card, "policy": BookingPolicy.current(),
        "is_open": entry.status == WaitlistEntry.Status.OFFERED and entry.offer_expires_at and entry.offer_expires_at > timezone.now(),
        "card_balance": cards.card_balance(card) if card else 0,
    })
