"""What the group classes sell through payments: one place in a class (a drop-in) and a class card.
Registered by BookingsConfig.ready()."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import places
from ..models import Booking, ClassCard
from ..payments import kinds
from . import cards, emails, services


def _when(session) -> str:
    return formats.date_format(timezone.localtime(session.starts_at), "l j F, H:i")


class DropIn(kinds.PurchaseKind):
    purpose = services.DROP_IN
    label = gettext_lazy("Drop-in class")

    def _bookings(self, payment):
        return payment.bookings.select_related("session__offering").order_by("pk")

    def lock(self, payment) -> None:
        places.lock_sessions(payment.bookings.values_list("session_id", flat=True))
        list(payment.bookings.select_for_update().order_by("pk"))

    def deliver(self, payment, *, now) -> bool:
        confirmed = [services.booking_confirm_paid(booking_id=pk, now=now) for pk in payment.bookings.values_list("pk", flat=True)]
        return all(confirmed)

    def release(self, payment, *, reason, now) -> None:
        for booking_id in payment.bookings.filter(status__in=places.HELD).values_list("pk", flat=True):
            places.held_place_release(booking_id=booking_id, reason=reason, now=now)

    def hold_is_open(self, payment, *, now) -> bool:
        booking = payment.bookings.first()
        return booking is not None and booking.status == Booking.Status.PENDING_PAYMENT and booking.hold_expires_at > now

    def thanks(self, payment) -> str:
        booking = self._bookings(payment).first()
        if booking is None or not booking.is_confirmed:
            return ""
        return _("You have a place in %(name)s on %(when)s. A confirmation with a calendar file is on its way to your inbox.") % {
            "name": booking.session.offering.name, "when": _when(booking.session)}

    def receipt_line(self, payment) -> str:
        booking = self._bookings(payment).first()
        if booking is None:
            return payment.description
        return f"{booking.session.offering.name} {timezone.localtime(booking.session.starts_at):%d-%m-%Y %H:%M}"


class ClassCardPurchase(kinds.PurchaseKind):
    purpose = cards.CLASS_CARD
    label = gettext_lazy("Class card")

    def deliver(self, payment, *, now) -> bool:
        if not ClassCard.objects.filter(payment=payment).exists():
            cards.card_issue(client=payment.client, card_type=payment.card_type, now=now, payment=payment)
            emails.send_card_bought.delay_on_commit(payment.pk)
        return True

    def thanks(self, payment) -> str:
        card = ClassCard.objects.filter(payment=payment).select_related("card_type").first()
        if card is None:
            return ""
        return _("Your %(name)s is ready to use, valid until %(date)s.") % {
            "name": card.card_type.name, "date": formats.date_format(timezone.localtime(card.expires_at), "j F Y")}

    def receipt_line(self, payment) -> str:
        return payment.card_type.name if payment.card_type_id else payment.description


def register() -> None:
    kinds.register(DropIn())
    kinds.register(ClassCardPurchase())
