"""A membership as a kind of purchase: its payments are the months Stripe collected (made by sync
when an invoice is paid, never through a one-off Checkout), and it claims Stripe's subscription and
invoice events. Checkout events of a subscription or setup Checkout with "membership" as its purpose
are handed here by the webhook too. Also the way to pay for a class it owns. Registered by
BookingsConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import ways_to_pay
from ..models import MembershipType
from ..payments import kinds
from ..payments.gateway import field
from . import allowance, changes, sync

SUBSCRIPTION_EVENTS = ("created", "updated", "deleted", "paused", "resumed")
INVOICE_EVENTS = ("paid", "payment_failed", "payment_succeeded", "voided")


class MembershipPurchase(kinds.PurchaseKind):
    purpose = sync.MEMBERSHIP
    label = gettext_lazy("Membership")
    event_types = frozenset([f"customer.subscription.{name}" for name in SUBSCRIPTION_EVENTS]
                            + [f"invoice.{name}" for name in INVOICE_EVENTS])

    def deliver(self, payment, *, now) -> bool:
        return True  # a month is paid at Stripe; nothing is held for it here

    def hold_is_open(self, payment, *, now) -> bool:
        return False

    def is_delivered(self, payment) -> bool:
        return True

    def return_url(self, payment) -> str:
        return reverse("bookings:my_membership")

    def receipt_line(self, payment) -> str:
        membership = payment.membership
        if membership is None:
            return payment.label
        name = membership.membership_type.name
        period = payment.description.removeprefix(membership.membership_type.name_nl).strip()
        return _("Membership %(name)s, %(period)s") % {"name": name, "period": period} if period else name

    def handle_event(self, event, *, now) -> None:
        event_type = field(event, "type", "")
        obj = field(field(event, "data"), "object")
        if event_type.startswith("customer.subscription."):
            sync.subscription_event(obj, now=now)
        elif event_type.startswith("invoice."):
            sync.invoice_event(obj, now=now, failed=event_type == "invoice.payment_failed")
        elif event_type.startswith("checkout.session.") and field(obj, "mode") == "setup":
            if event_type == "checkout.session.completed":
                changes.payment_method_set(checkout_id=obj.id, now=now)
        elif event_type.startswith("checkout.session."):
            sync.checkout_event(obj.id, now=now)

    def refund_effect(self, payment, amount_cents) -> str:
        return _("The membership goes on as it is: only the money goes back. To end it, she cancels it on her membership "
                 "page (at the end of a month).")

    def product_lines(self):
        lines = []
        for kind in MembershipType.objects.prefetch_related("styles").order_by("position", "pk"):
            if kind.is_unlimited:
                includes = _("Unlimited classes, paid monthly")
            else:
                includes = ngettext("%(count)d class a month, paid monthly", "%(count)d classes a month, paid monthly",
                                    kind.classes_per_period) % {"count": kind.classes_per_period}
            styles = [style.name for style in kind.styles.all()]
            if styles:
                includes += " · " + ", ".join(styles)
            lines.append(kinds.ProductLine(name=kind.name, price_cents=kind.price_cents, includes=includes,
                                           change_url=_change_url(kind), shown=kind.is_on_sale, vat_rate=kind.vat_rate_percent))
        return lines


def _change_url(kind) -> str:
    return reverse("bookings:desk_membership_type", args=[kind.pk])


def register() -> None:
    kinds.register(MembershipPurchase())
    ways_to_pay.register(allowance.MEMBERSHIP_CLASS)
