"""Booking pages of the group classes: choose how to pay, cancel, the waitlist, and the class cards
for sale. Parse, call, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.models import Session

from ..errors import BookingError, IntakeMissing, PaymentError
from ..intake.handoff import to_intake
from ..models import Booking, BookingPolicy, ClassCardType, WaitlistEntry
from ..payments.handoff import send_to_checkout
from . import cards, changes, intro, selectors, services, waitlist


def _session_or_404(session_id):
    return get_object_or_404(Session.objects.shown().for_listing(), pk=session_id)


@login_required
def book(request, session_id):
    """GET: the ways to join this class. POST: book with the chosen one."""
    if request.method == "POST":
        # The service reads the session once, under its lock, and checks it (a class not shown is refused there).
        pay_with = request.POST.get("pay_with", "")
        try:
            booking = services.booking_create(client=request.user, session=session_id, pay_with=pay_with, code=request.POST.get("code", ""))
        except Session.DoesNotExist:
            raise Http404 from None
        except IntakeMissing as error:
            return to_intake(request, str(error), reverse("bookings:book", kwargs={"session_id": session_id}))
        except (BookingError, PaymentError) as error:
            messages.error(request, str(error))
            return redirect("bookings:book", session_id=session_id)
        if booking.status == Booking.Status.PENDING_PAYMENT:
            return send_to_checkout(request, booking.payment)
        messages.success(request, _("You have a place. A confirmation is on its way to your inbox."))
        return redirect("bookings:my_bookings")
    session = _session_or_404(session_id)
    return render(request, "bookings/book.html", selectors.booking_options(client=request.user, session=session))


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
def cancel_after_change(request, token):
    """From the email about a changed class: cancel free of charge, whatever the window. Only for
    the booking's own client (anyone else: 404); a broken, outdated or used-up link says why."""
    try:
        booking_id, revision = changes.free_cancel_read(token)
    except BookingError as error:
        return _link_problem(request, error, status=400)
    booking = get_object_or_404(Booking.objects.for_listing(), pk=booking_id, client=request.user)
    if not booking.holds_a_place:
        messages.info(request, _("This booking is already cancelled."))
        return redirect("bookings:my_bookings")
    try:
        changes.free_cancel_check(booking, revision)
        if request.method == "POST":
            outcome = services.booking_cancel(booking=booking, actor=request.user, after_change=revision)
            messages.success(request, selectors.cancel_message(outcome))
            return redirect("bookings:my_bookings")
    except BookingError as error:
        return _link_problem(request, error, status=409, booking=booking)
    terms = services.cancellation_terms(booking, free=True)
    return render(request, "bookings/cancel_after_change.html", {"booking": booking, "terms": terms, "policy": BookingPolicy.current()})


def _link_problem(request, error, *, status, booking=None):
    return render(request, "bookings/cancel_after_change.html", {"problem": str(error), "booking": booking}, status=status)


@login_required
@require_POST
def waitlist_join(request, session_id):
    session = _session_or_404(session_id)
    try:
        entry = waitlist.waitlist_join(client=request.user, session=session, auto_book=_chose_auto_book(request))
    except IntakeMissing as error:
        return to_intake(request, str(error), reverse("bookings:book", kwargs={"session_id": session.pk}))
    except BookingError as error:
        messages.error(request, str(error))
        return redirect("bookings:book", session_id=session.pk)
    if entry.auto_book:
        messages.success(request, _("You are on the waitlist, number %(position)d. When a place frees up for you, we book it with your class card and email you.") % {
            "position": waitlist.waitlist_position(entry)})
    else:
        messages.success(request, _("You are on the waitlist, number %(position)d. We will email you when a place frees up.") % {
            "position": waitlist.waitlist_position(entry)})
    return redirect("bookings:waitlist_claim", pk=entry.pk)


def _chose_auto_book(request) -> bool:
    return request.POST.get("auto_book", "") in ("1", "on", "true")


@login_required
@require_POST
def waitlist_auto_book(request, pk):
    entry = get_object_or_404(WaitlistEntry, pk=pk, client=request.user)
    try:
        entry = waitlist.waitlist_auto_book_set(entry=entry, client=request.user, auto_book=_chose_auto_book(request))
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Automatic booking is on.") if entry.auto_book else _("Automatic booking is off: we will offer you the place."))
    return redirect("bookings:waitlist_claim", pk=entry.pk)


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
        except IntakeMissing as error:
            return to_intake(request, str(error), reverse("bookings:waitlist_claim", kwargs={"pk": entry.pk}))
        except BookingError as error:
            messages.error(request, str(error))
            return redirect("bookings:waitlist_claim", pk=entry.pk)
        if booking.status == Booking.Status.PENDING_PAYMENT:
            return send_to_checkout(request, booking.payment)
        messages.success(request, _("The place is yours. A confirmation is on its way to your inbox."))
        return redirect("bookings:my_bookings")
    return render(request, "bookings/waitlist_claim.html", selectors.waitlist_page(entry=entry, client=request.user))


@login_required
def card_shop(request):
    card_types = list(ClassCardType.objects.filter(is_on_sale=True, is_studio_credit=False).prefetch_related("styles"))
    used = intro.intro_states(request.user)
    for card_type in card_types:
        card_type.intro_used = card_type.once_per_person and bool(used)  # one intro offer per person
        card_type.intro_waiting = used.get(card_type.pk)
    return render(request, "bookings/card_shop.html", {"card_types": card_types, "policy": BookingPolicy.current()})


@login_required
@require_POST
def card_buy(request, pk):
    card_type = get_object_or_404(ClassCardType, pk=pk)
    try:
        payment = cards.card_purchase_create(client=request.user, card_type=card_type, code=request.POST.get("code", ""))
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect("bookings:cards")
    return send_to_checkout(request, payment)
