"""A client's own pages: my bookings, class cards, receipts and the private calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import calendars, journeys, payments, selectors
from .errors import PaymentError
from .models import BookingPolicy, CalendarFeed, ClassCardType, Payment
from .views import send_to_checkout


@login_required
def my_bookings(request):
    context = selectors.my_bookings(client=request.user)
    context.update(journeys.my_personal(client=request.user))
    feed, _created = CalendarFeed.objects.get_or_create(client=request.user)
    context["feed_url"] = request.build_absolute_uri(feed_path(feed))
    context["policy"] = BookingPolicy.current()
    return render(request, "bookings/my_bookings.html", context)


def feed_path(feed):
    return reverse("bookings:calendar_feed", kwargs={"token": feed.token})


@login_required
def card_shop(request):
    card_types = ClassCardType.objects.filter(is_on_sale=True, is_studio_credit=False).prefetch_related("styles")
    return render(request, "bookings/card_shop.html", {"card_types": card_types, "policy": BookingPolicy.current()})


@login_required
@require_POST
def card_buy(request, pk):
    card_type = get_object_or_404(ClassCardType, pk=pk)
    try:
        payment = payments.card_purchase_create(client=request.user, card_type=card_type)
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect("bookings:cards")
    return send_to_checkout(request, payment, line_name=card_type.name)


@login_required
def receipt(request, pk):
    payment = get_object_or_404(Payment, pk=pk, client=request.user)
    if not payment.is_paid:
        messages.info(request, _("A receipt is available once the payment is in."))
        return redirect("bookings:my_bookings")
    return render(request, "bookings/receipt.html", {"payment": payment, "refunds": payment.refunds.filter(status="succeeded")})


def calendar_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("client"), token=token)
    response = HttpResponse(calendars.client_feed_ics(feed.client), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def calendar_reset(request):
    feed, _created = CalendarFeed.objects.get_or_create(client=request.user)
    feed.reset()
    messages.success(request, _("Your calendar link has been renewed. The old link no longer works; add the new one to your calendar."))
    return redirect("bookings:my_bookings")
