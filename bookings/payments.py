"""Money: starting a Stripe Checkout, the one fulfilment function, refunds and studio credits.

Lock order everywhere: session (or, for a one-to-one, the teacher), then booking, then payment; so
the webhook, the success page and a cancellation never wait on each other in a circle.
"""

import logging

import stripe
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import appointments, cards, places, programmes, services, stripe_gateway
from .errors import PaymentError
from .models import Appointment, Booking, BookingPolicy, ClassCard, ClassCardType, Payment, ProgrammeEnrolment, Refund

logger = logging.getLogger(__name__)


def checkout_start(*, payment: Payment, line_name: str, client, success_url: str, cancel_url: str, now=None) -> str:
    """Create the Stripe Checkout Session for a pending payment; returns the URL to send the client to."""
    if payment.checkout_url and payment.status == Payment.Status.PENDING:
        return payment.checkout_url
    try:
        checkout = stripe_gateway.create_checkout(
            payment=payment, line_name=line_name, email=client.email, language=client.language,
            success_url=success_url, cancel_url=cancel_url, now=now,
        )
    except stripe.StripeError as error:
        logger.warning("Checkout for payment %s could not start: %s", payment.pk, error)
        raise PaymentError(_("The payment could not be started. Nothing was charged; please try again in a moment.")) from error
    Payment.objects.filter(pk=payment.pk).update(stripe_checkout_id=checkout.id, checkout_url=checkout.url)
    payment.stripe_checkout_id, payment.checkout_url = checkout.id, checkout.url
    return checkout.url


def receipt_number_next(now) -> str:
    """Receipts are numbered per year: 2026-00001, 2026-00002, ..."""
    year = timezone.localtime(now).year
    last = (Payment.objects.select_for_update().filter(receipt_number__startswith=f"{year}-")
            .order_by("-receipt_number").values_list("receipt_number", flat=True).first())
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{number:05d}"


def payment_fulfil(*, checkout_id: str, now=None) -> Payment | None:
    """Apply a Checkout Session's outcome. Safe to call any number of times, from the success
    page and the webhook alike: it re-reads the session from Stripe and trusts only its
    `payment_status` (and `status` for expiry)."""
    now = now or timezone.now()
    payment = Payment.objects.filter(stripe_checkout_id=checkout_id).first()
    if payment is None:
        return None
    checkout = stripe_gateway.retrieve_checkout(checkout_id)
    with transaction.atomic():
        _lock_what_it_holds(payment)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.is_paid or payment.status in (Payment.Status.FAILED, Payment.Status.EXPIRED):
            return payment  # already settled; nothing changes twice
        if checkout.payment_status == "paid":
            if checkout.amount_total != payment.amount_cents or (checkout.currency or "").lower() != payment.currency:
                payment.problem = f"amount mismatch: Stripe {checkout.amount_total} {checkout.currency}"
                payment.status = Payment.Status.FAILED
                payment.save(update_fields=["problem", "status"])
                logger.error("Payment %s: %s", payment.pk, payment.problem)
                return payment
            _mark_paid(payment, checkout, now)
            _deliver(payment, now)
        elif checkout.status == "expired":
            payment.status = Payment.Status.EXPIRED
            payment.save(update_fields=["status"])
            holds_release_after_commit(payment, reason="checkout expired")
        elif checkout.status == "complete" and payment.status == Payment.Status.PENDING:
            payment.status = Payment.Status.PROCESSING  # a delayed method: wait for the money
            payment.stripe_payment_intent_id = stripe_gateway.payment_intent_id_of(checkout)
            payment.save(update_fields=["status", "stripe_payment_intent_id"])
    return payment


def payment_failed(*, checkout_id: str, now=None) -> Payment | None:
    """A delayed payment (iDEAL, SEPA) did not come through: the place goes back."""
    payment = Payment.objects.filter(stripe_checkout_id=checkout_id).first()
    if payment is None:
        return None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.is_paid or payment.status == Payment.Status.FAILED:
            return payment
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status"])
        holds_release_after_commit(payment, reason="payment failed")
    return payment


def _lock_what_it_holds(payment: Payment) -> None:
    """Take the locks that come before the payment's own: the sessions its places are on (in pk
    order), or the teacher whose time an appointment holds."""
    if payment.purpose == Payment.Purpose.APPOINTMENT:
        teacher_id = Appointment.objects.filter(payment=payment).values_list("teacher_id", flat=True).first()
        if teacher_id is not None:
            appointments.lock_teacher(teacher_id)
        return
    for session_id in sorted(set(payment.bookings.values_list("session_id", flat=True))):
        places.lock_session(session_id)


def holds_release(payment: Payment, *, reason: str) -> None:
    """The payment will not come: whatever it held (places, a programme, an appointment's time) goes back."""
    for booking in payment.bookings.filter(status__in=[Booking.Status.PENDING_PAYMENT, Booking.Status.OFFERED]):
        services.booking_release_unpaid(booking_id=booking.pk, reason=reason)
    enrolment = ProgrammeEnrolment.objects.filter(payment=payment).first()
    if enrolment is not None:
        programmes.enrolment_release_unpaid(enrolment_id=enrolment.pk, reason=reason)
    appointment = Appointment.objects.filter(payment=payment).first()
    if appointment is not None:
        appointments.appointment_release_unpaid(appointment_id=appointment.pk, reason=reason)


def hold_is_open(payment: Payment, *, now) -> bool:
    """May the client still pay? Not once the programme or one-to-one it was for has let its hold go."""
    enrolment = ProgrammeEnrolment.objects.filter(payment=payment).first()
    if enrolment is not None and (enrolment.status != ProgrammeEnrolment.Status.PENDING_PAYMENT
                                  or (enrolment.hold_expires_at and enrolment.hold_expires_at <= now)):
        return False
    appointment = Appointment.objects.filter(payment=payment).first()
    return appointment is None or (appointment.is_pending and appointment.hold_expires_at > now)


def holds_release_after_commit(payment: Payment, *, reason: str) -> None:
    transaction.on_commit(lambda: holds_release(payment, reason=reason))


def _mark_paid(payment: Payment, checkout, now) -> None:
    payment.status = Payment.Status.PAID
    payment.paid_at = now
    payment.method = stripe_gateway.payment_method_of(checkout)
    payment.stripe_payment_intent_id = stripe_gateway.payment_intent_id_of(checkout)
    payment.receipt_number = receipt_number_next(now)
    payment.save(update_fields=["status", "paid_at", "method", "stripe_payment_intent_id", "receipt_number"])


def _deliver(payment: Payment, now) -> None:
    """What was paid for: a confirmed place, a class card, a programme or a one-to-one session."""
    if payment.purpose == Payment.Purpose.DROP_IN:
        for booking in payment.bookings.all():
            if not services.booking_confirm_paid(booking_id=booking.pk, now=now):
                refund_create(payment=payment, amount_cents=payment.amount_cents, booking=booking,
                              reason="paid after the place was given away", key=f"booking-{booking.pk}-no-place")
    elif payment.purpose == Payment.Purpose.PROGRAMME:
        if not programmes.enrolment_confirm_paid(payment=payment, now=now):
            refund_create(payment=payment, amount_cents=payment.amount_cents, reason="paid after the places were given away",
                          key=f"programme-payment-{payment.pk}-no-place")
    elif payment.purpose == Payment.Purpose.APPOINTMENT:
        if not appointments.appointment_confirm_paid(payment=payment, now=now):
            refund_create(payment=payment, amount_cents=payment.amount_cents, reason="paid after the time was given away",
                          key=f"appointment-payment-{payment.pk}-no-time")
    elif payment.purpose == Payment.Purpose.CLASS_CARD:
        if not ClassCard.objects.filter(payment=payment).exists():
            cards.card_issue(client=payment.client, card_type=payment.card_type, now=now, payment=payment)
            from .tasks import send_card_bought

            transaction.on_commit(lambda: send_card_bought.delay(payment.pk))


def checkout_expire_after_commit(payment: Payment) -> None:
    """Close an abandoned Checkout at Stripe so it cannot be paid any more."""
    checkout_id = payment.stripe_checkout_id

    def expire():
        try:
            stripe_gateway.expire_checkout(checkout_id)
        except stripe.StripeError as error:  # already expired or completed: fulfilment sorts it out
            logger.info("Expiring checkout %s: %s", checkout_id, error)

    transaction.on_commit(expire)


def refund_create(*, payment: Payment, amount_cents: int, reason: str, key: str, booking: Booking | None = None, actor=None) -> Refund:
    """Record a refund and send it to Stripe after commit. The key makes asking twice harmless."""
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    pending = sum(r.amount_cents for r in payment.refunds.filter(status=Refund.Status.PENDING))
    if not payment.is_paid or amount_cents < 1 or amount_cents > payment.refundable_cents - pending:
        raise PaymentError(_("This amount cannot be refunded: at most %(amount)s is left.") % {
            "amount": f"€ {(payment.refundable_cents - pending) / 100:.2f}".replace(".", ",")})
    refund = Refund.objects.create(payment=payment, amount_cents=amount_cents, reason=reason, idempotency_key=key,
                                   booking=booking, created_by=actor)
    from .tasks import submit_refund

    transaction.on_commit(lambda: submit_refund.delay(refund.pk))
    return refund


def refund_submit(*, refund_id: int) -> Refund:
    """Send a pending refund to Stripe (cash and PIN payments are refunded by hand)."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED or refund.stripe_refund_id and refund.status == Refund.Status.PENDING:
        return refund
    if not refund.payment.stripe_payment_intent_id:
        return refund_settled(refund=refund, status=Refund.Status.SUCCEEDED, stripe_refund_id=None)
    # Each new attempt after a failure needs its own key; a repeated attempt reuses it.
    key = refund.idempotency_key if refund.attempts == 0 else f"{refund.idempotency_key}-retry{refund.attempts}"
    try:
        stripe_refund = stripe_gateway.create_refund(
            payment_intent_id=refund.payment.stripe_payment_intent_id, amount_cents=refund.amount_cents,
            idempotency_key=key, metadata={"refund_id": str(refund.pk), "payment_id": str(refund.payment_id)},
        )
    except stripe.StripeError as error:
        Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.FAILED, failure_reason=str(error)[:200])
        refund.refresh_from_db()
        return refund
    status = {"succeeded": Refund.Status.SUCCEEDED, "failed": Refund.Status.FAILED, "canceled": Refund.Status.FAILED}.get(
        stripe_refund.status, Refund.Status.PENDING)
    return refund_settled(refund=refund, status=status, stripe_refund_id=stripe_refund.id,
                          failure_reason=getattr(stripe_refund, "failure_reason", None) or "")


def refund_retry(*, refund: Refund) -> Refund:
    if refund.status != Refund.Status.FAILED:
        raise PaymentError(_("Only a failed refund can be tried again."))
    Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.PENDING, stripe_refund_id=None, attempts=F("attempts") + 1)
    return refund_submit(refund_id=refund.pk)


def refund_settled(*, refund: Refund, status: str, stripe_refund_id=None, failure_reason="") -> Refund:
    """Record Stripe's answer (from the API or a refund event). The payment's refunded total moves once."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == Refund.Status.SUCCEEDED:
            return refund
        refund.status = status
        refund.failure_reason = failure_reason[:200] if status == Refund.Status.FAILED else ""
        if stripe_refund_id:
            refund.stripe_refund_id = stripe_refund_id
        refund.save(update_fields=["status", "failure_reason", "stripe_refund_id"])
        if status == Refund.Status.SUCCEEDED:
            Payment.objects.filter(pk=refund.payment_id).update(refunded_cents=F("refunded_cents") + refund.amount_cents)
            payment = Payment.objects.get(pk=refund.payment_id)
            payment.status = Payment.Status.REFUNDED if payment.refunded_cents >= payment.amount_cents else Payment.Status.PARTIALLY_REFUNDED
            payment.save(update_fields=["status"])
    return refund


def studio_credit_issue(*, booking: Booking, now=None) -> ClassCard:
    """Instead of money back: one class on a studio-credit card, valid for the studio's chosen months."""
    policy = BookingPolicy.current()
    card_type, _created = ClassCardType.objects.get_or_create(
        is_studio_credit=True,
        defaults={"name_nl": "Tegoed", "name_en": "Studio credit", "credits": 1, "validity_months": policy.studio_credit_months,
                  "price_cents": 0, "is_on_sale": False},
    )
    now = now or timezone.now()
    card = cards.card_issue(client=booking.client, card_type=card_type, now=now)
    card.expires_at = timezone.localtime(now) + relativedelta(months=policy.studio_credit_months)
    card.save(update_fields=["expires_at"])
    return card


def card_purchase_create(*, client, card_type: ClassCardType, now=None) -> Payment:
    """A pending payment for a class card; the card itself is made when the money is in."""
    if not card_type.is_on_sale or card_type.is_studio_credit:
        raise PaymentError(_("This class card is not for sale."))
    return Payment.objects.create(
        client=client, purpose=Payment.Purpose.CLASS_CARD, card_type=card_type, amount_cents=card_type.price_cents,
        vat_rate_percent=BookingPolicy.current().vat_rate_percent, description=card_type.name_nl,
        created_at=now or timezone.now(),
    )
