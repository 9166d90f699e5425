"""What the group classes sell through payments: one place in a class (a drop-in) and a class card.
Registered by BookingsConfig.ready()."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from classes.models import Offering

from .. import places
from ..models import Booking, ClassCard, ClassCardType, DiscountCode
from ..payments import kinds
from . import cards, emails, services


def _when(session) -> str:
    return formats.date_format(timezone.localtime(session.starts_at), "l j F, H:i")


class DropIn(kinds.PurchaseKind):
    purpose = services.DROP_IN
    label = gettext_lazy("Drop-in class")
    discount_product = DiscountCode.Product.DROP_IN

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
        return services.drop_in_line(booking.session) if booking is not None else payment.label

    def refund_effect(self, payment, amount_cents) -> str:
        booking = self._bookings(payment).filter(status=Booking.Status.CONFIRMED).first()
        if booking is None:
            return _("There is no booking left to change: only the money goes back.")
        what = {"name": booking.session.offering.name, "when": _when(booking.session)}
        if booking.session.starts_at <= timezone.now():
            return _("The class (%(name)s, %(when)s) has taken place; the booking stays as it is and only the money goes back.") % what
        if amount_cents >= payment.refundable_cents:
            return _("The place in %(name)s on %(when)s stays booked: only the money goes back. If she cancels it later, "
                     "nothing more comes back for it.") % what
        return _("The place in %(name)s on %(when)s stays booked: only this part of the money goes back. If she cancels in "
                 "time later, the rest of the payment comes back to her.") % what

    def product_lines(self):
        offerings = Offering.objects.filter(kind=Offering.Kind.GROUP).order_by("name_nl")
        return [kinds.ProductLine(name=offering.name, price_cents=offering.drop_in_price_cents,
                                  includes=ngettext("One class of %(minutes)d minute", "One class of %(minutes)d minutes",
                                                    offering.duration_minutes) % {"minutes": offering.duration_minutes},
                                  change_url=reverse("teaching:offering_edit", args=[offering.pk]), shown=offering.is_shown,
                                  vat_rate=offering.vat_rate_percent)
                for offering in offerings]


class ClassCardPurchase(kinds.PurchaseKind):
    purpose = cards.CLASS_CARD
    label = gettext_lazy("Class card")
    discount_product = DiscountCode.Product.CLASS_CARD

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
        return payment.card_type.name if payment.card_type_id else payment.label

    def refund_effect(self, payment, amount_cents) -> str:
        card = ClassCard.objects.filter(payment=payment).select_related("card_type").first()
        if card is None:
            return _("No class card was issued for this payment: only the money goes back.")
        balance = card.balance
        return ngettext(
            "The %(name)s stays as it is, with %(count)d class left, valid until %(date)s: only the money goes back.",
            "The %(name)s stays as it is, with %(count)d classes left, valid until %(date)s: only the money goes back.",
            balance) % {"name": card.card_type.name, "count": balance,
                             "date": formats.date_format(timezone.localtime(card.expires_at), "j F Y")}

    def product_lines(self):
        card_types = ClassCardType.objects.filter(is_studio_credit=False).prefetch_related("styles").order_by("position", "pk")
        return [kinds.ProductLine(
            name=card_type.name, price_cents=card_type.price_cents,
            includes=ngettext("%(count)d class, valid for %(months)s", "%(count)d classes, valid for %(months)s", card_type.credits) % {
                "count": card_type.credits,
                "months": ngettext("%(n)d month", "%(n)d months", card_type.validity_months) % {"n": card_type.validity_months}}
            + (" · " + ", ".join(style.name for style in card_type.styles.all()) if card_type.styles.all() else ""),
            change_url=reverse("bookings:desk_card_type", args=[card_type.pk]), shown=card_type.is_on_sale,
            vat_rate=card_type.vat_rate_percent)
            for card_type in card_types]


def register() -> None:
    kinds.register(DropIn())
    kinds.register(ClassCardPurchase())
