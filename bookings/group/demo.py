"""The demo's class cards and a few bookings for the demo client. Idempotent."""

from django.db import transaction
from django.utils import timezone

from classes.models import Session

from ..errors import BookingError
from ..models import Booking, BookingPolicy, ClassCard, ClassCardType, Payment
from ..payments import records
from . import cards, services

CARD_TYPES = [
    ("5-lessenkaart", "5-class card", 5, 3, 8000),
    ("10-lessenkaart", "10-class card", 10, 6, 15000),
]


def load(*, client):
    BookingPolicy.current()
    card_types = []
    for position, (name_nl, name_en, credits, months, price) in enumerate(CARD_TYPES):
        card_type, _created = ClassCardType.objects.get_or_create(
            name_nl=name_nl, defaults={"name_en": name_en, "credits": credits, "validity_months": months, "price_cents": price, "position": position})
        card_types.append(card_type)
    if not ClassCard.objects.filter(client=client).exists():  # bought at the studio by PIN: the desk's cash-up has a figure
        first = card_types[0]
        with transaction.atomic():
            payment = records.payment_received_at_studio(client=client, purpose=cards.CLASS_CARD, amount_cents=first.price_cents,
                                                         method=Payment.Method.PIN, **records.described(lambda: first.name),
                                                         vat_rate_percent=first.vat_rate_percent)
            Payment.objects.filter(pk=payment.pk).update(card_type=first)
            cards.card_issue(client=client, card_type=first, payment=payment)
    if not Booking.objects.filter(client=client).exists():
        upcoming = Session.objects.scheduled().upcoming(timezone.now()).order_by("starts_at")[:6]
        for session in list(upcoming)[1::3]:
            try:
                services.booking_create(client=client, session=session, pay_with="card")
            except BookingError:
                continue
    return {"card_types": card_types}
