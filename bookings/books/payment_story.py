"""Payments at the admin's desk: finding them, and one payment's whole story (started, sent to
Stripe's checkout, Stripe's events, paid, refunds, the receipt), oldest first."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import euros

from .. import history
from ..models import Payment
from ..payments import kinds

# Stripe's event types, as the story tells them.
EVENT_WORDS = {
    "checkout.session.completed": gettext_lazy("Stripe: the checkout was completed"),
    "checkout.session.async_payment_succeeded": gettext_lazy("Stripe: the delayed payment came in"),
    "checkout.session.async_payment_failed": gettext_lazy("Stripe: the delayed payment failed"),
    "checkout.session.expired": gettext_lazy("Stripe: the checkout page expired"),
    "refund.created": gettext_lazy("Stripe: a refund was created"),
    "refund.updated": gettext_lazy("Stripe: a refund was updated"),
    "refund.failed": gettext_lazy("Stripe: a refund failed"),
    "charge.refund.updated": gettext_lazy("Stripe: a refund was updated"),
    "charge.refunded": gettext_lazy("Stripe: the charge was refunded"),
    "invoice.paid": gettext_lazy("Stripe: a membership's invoice was paid"),
    "invoice.payment_succeeded": gettext_lazy("Stripe: a membership's payment came in"),
}


@dataclass(frozen=True)
class StoryLine:
    at: datetime
    text: str
    detail: str = ""
    worrying: bool = False


def payments_found(*, text="", status="", method="", purpose="", first=None, last=None):
    """Payments matching the desk's search: a receipt number, a client's name or email, or words of
    the description; and the chosen status, method, product and days."""
    payments = Payment.objects.select_related("client")
    for word in text.split()[:5]:
        payments = payments.filter(Q(receipt_number__icontains=word) | Q(client__email__icontains=word) | Q(client__first_name__icontains=word)
                                   | Q(client__last_name__icontains=word) | Q(description__icontains=word))
    if status:
        payments = payments.filter(status=status)
    if method:
        payments = payments.filter(method=method)
    if purpose:
        payments = payments.filter(purpose=purpose)
    # A day counts by when the money came in, or when it was started if it never did (as the day's totals).
    if first:
        payments = payments.filter(Q(paid_at__date__gte=first) | Q(paid_at__isnull=True, created_at__date__gte=first))
    if last:
        payments = payments.filter(Q(paid_at__date__lte=last) | Q(paid_at__isnull=True, created_at__date__lte=last))
    return payments.order_by("-created_at", "-pk")


def refunds_of(payment: Payment) -> list:
    return list(payment.refunds.select_related("created_by", "credit_invoice").order_by("created_at", "pk"))


def story(payment: Payment, refunds: list) -> list[StoryLine]:
    """`refunds`: the payment's refunds (`refunds_of`), which the page lists too."""
    lines = [StoryLine(payment.created_at, _("Started: %(what)s") % {"what": payment.description})]
    if payment.stripe_checkout_id:
        lines.append(StoryLine(payment.created_at, _("Sent to Stripe's payment page"), payment.stripe_checkout_id))
    for event in payment.stripe_events.order_by("received_at", "pk"):
        lines.append(StoryLine(event.received_at, str(EVENT_WORDS.get(event.type, event.type)), event.event_id,
                               worrying=event.processed_at is None))
    if payment.paid_at:
        lines.append(StoryLine(payment.paid_at, _("Paid (%(method)s)") % {"method": payment.get_method_display() or "-"},
                               _("receipt %(number)s") % {"number": payment.receipt_number} if payment.receipt_number else ""))
    if payment.status in (Payment.Status.FAILED, Payment.Status.EXPIRED):
        lines.append(StoryLine(payment.paid_at or payment.created_at, payment.get_status_display(), history.problem_text(payment.problem), worrying=True))
    elif payment.problem:
        lines.append(StoryLine(payment.created_at, _("Needs a look"), history.problem_text(payment.problem), worrying=True))
    for refund in refunds:
        who = refund.created_by.get_full_name() or refund.created_by.email if refund.created_by else ""
        detail = " · ".join(part for part in [history.reason_text(refund.reason), who, refund.failure_reason] if part)
        lines.append(StoryLine(refund.created_at, _("Refund of %(amount)s: %(status)s") % {
            "amount": euros(refund.amount_cents), "status": refund.get_status_display()}, detail,
            worrying=refund.status == refund.Status.FAILED))
    return sorted(lines, key=lambda line: line.at)


def what_was_bought(payment: Payment) -> str:
    kind = kinds.kind_for(payment.purpose) if payment.purpose in kinds.purposes() else None
    return kind.receipt_line(payment) if kind else payment.description


def refund_effect(payment: Payment, amount_cents: int) -> str:
    """What the refund does to what was bought, asked of the purchase's kind."""
    kind = kinds.kind_for(payment.purpose) if payment.purpose in kinds.purposes() else kinds.PurchaseKind()
    return kind.refund_effect(payment, amount_cents)
