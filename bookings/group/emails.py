"""Emails to clients about their bookings, waitlist offers and class cards.

Every message is written in the client's own language with Breda wall-clock times, as plain
text and HTML, from the templates in templates/bookings/email/. The functions that take an id
load what they need and send; `reminder_message` and `card_expiring_message` only build the
message, so the periodic jobs can send many through one connection.
"""

import copy
import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from classes.models import in_language
from core.money import euros

from .. import calendars
from ..emails import MAIL_RETRY, absolute, calendar_part, compose, markdown_html, speaking
from ..history import record
from ..models import Booking, BookingPolicy, ClassCard, CreditEntry, Payment, Refund, WaitlistEntry
from ..payments import invoice_pdf
from ..policy import booking_free_until
from . import cards, changes, terms

logger = logging.getLogger(__name__)

BOOKING_RELATED = ("client", "session__offering", "session__teacher__user", "session__room", "session__closure")


# Messages sent at once (called by Celery tasks with ids) ----------------------------


def booking_confirmed(booking_id: int) -> None:
    """Your place is booked: the class, how it is paid, until when cancelling is free, and an .ics."""
    booking = Booking.objects.select_related(*BOOKING_RELATED, "card__card_type", "payment").get(pk=booking_id)
    if not booking.is_confirmed:
        logger.info("Booking %s is no longer confirmed; no confirmation sent.", booking_id)
        return
    policy = BookingPolicy.current()
    with speaking(booking.client):
        context = booking_context(booking)
        context.update(
            # until when cancelling is free, by how it was paid (said as past when booked inside the window)
            cancel_terms=terms.cancel_terms(paid_with=booking.paid_with, free_until=booking_free_until(booking, policy),
                                            now=timezone.now(), policy=policy),
            from_waitlist=booking.free_cancel_until is not None,
            price=euros(booking.price_cents),
        )
        context["what_to_expect"] = in_language(booking.session.offering, "what_to_expect")
        context["what_to_expect_html"] = markdown_html(context["what_to_expect"])
        if booking.card_id:
            context["card_left"] = cards.card_balance(booking.card)
        if booking.payment_id and booking.payment.is_paid:
            context["receipt_url"] = absolute(booking.payment.get_absolute_url())
        message = compose("booking_confirmed", booking.client, context)
    message.attach(ics_part(booking))
    if booking.payment_id:
        invoice_pdf.attach_invoice(message, booking.payment)
    message.send()


def booking_cancelled(booking_id: int) -> None:
    """Cancelled by the studio, in time by the client, or late: each says kindly what comes back."""
    booking = Booking.objects.select_related(*BOOKING_RELATED, "payment").get(pk=booking_id)
    if booking.status != Booking.Status.CANCELLED:
        logger.info("Booking %s is not cancelled; no cancellation email sent.", booking_id)
        return
    returned_credit = (booking.credit_entries.filter(kind=CreditEntry.Kind.RETURN)
                       .select_related("card__card_type").first())
    refunded = sum(refund.amount_cents for refund in booking.refunds.exclude(status=Refund.Status.FAILED))
    studio_credit = None
    if not booking.cancelled_by_studio and booking.cancelled_at:
        studio_credit = ClassCard.objects.filter(client=booking.client, card_type__is_studio_credit=True,
                                                 purchased_at=booking.cancelled_at).first()
    paid = booking.paid_with == Booking.PaidWith.CARD or bool(booking.payment_id and booking.payment.is_paid)
    after_change = not booking.cancelled_by_studio and booking.events.filter(action="cancelled_after_change").exists()
    with speaking(booking.client):
        context = booking_context(booking)
        context.update(
            variant=("studio" if booking.cancelled_by_studio else "changed" if after_change
                     else "late" if booking.late_cancellation else "in_time"),
            reason=booking.session.cancel_reason_shown,
            returned_card=returned_credit.card if returned_credit else None,
            refund=euros(refunded) if refunded else "",
            studio_credit=studio_credit,
            nothing_paid=not paid,
            cancel_window_hours=BookingPolicy.current().cancel_window_hours,
            timetable_url=absolute(reverse("classes:timetable")),
        )
        if returned_credit:
            context["card_left"] = cards.card_balance(returned_credit.card)
        message = compose("booking_cancelled", booking.client, context)
    message.attach(ics_part(booking))
    message.send()


def waitlist_offer(entry_id: int) -> None:
    """A place came free: it is held for the client until the offer runs out; one click claims it."""
    entry = WaitlistEntry.objects.select_related(
        "client", "session__offering", "session__teacher__user", "session__room").get(pk=entry_id)
    if entry.status != WaitlistEntry.Status.OFFERED:
        logger.info("Waitlist entry %s is %s; no offer sent.", entry_id, entry.status)
        return
    session = entry.session
    with speaking(entry.client):
        context = class_context(session)
        context.update(entry=entry, claim_url=absolute(reverse("bookings:waitlist_claim", kwargs={"pk": entry.pk})))
        message = compose("waitlist_offer", entry.client, context)
    message.send()


def last_minute_place(entry_id: int, gone: bool = False) -> None:
    """A last-minute place is free for whoever on the waitlist takes it first (`gone`: someone else
    was quicker; she stays in line). Sent only while that is still true."""
    entry = WaitlistEntry.objects.select_related(
        "client", "session__offering", "session__teacher__user", "session__room").get(pk=entry_id)
    still_open = entry.status == WaitlistEntry.Status.WAITING and entry.last_minute_offer_at is not None
    has_a_place = Booking.objects.filter(client_id=entry.client_id, session_id=entry.session_id).holding_a_place().exists()
    if entry.status != WaitlistEntry.Status.WAITING or still_open == gone or has_a_place:
        logger.info("Waitlist entry %s is %s; no last-minute email (gone=%s) sent.", entry_id, entry.status, gone)
        return
    with speaking(entry.client):
        context = class_context(entry.session)
        context.update(entry=entry, gone=gone, claim_url=absolute(reverse("bookings:waitlist_claim", kwargs={"pk": entry.pk})))
        message = compose("last_minute_place", entry.client, context)
    message.send()


def session_changed_booked(booking_id: int, revision: int, old: dict) -> None:
    """The class she booked moved (time, room or teacher): what changed, old and new in Breda time,
    a calendar file that replaces the event she has (same UID, higher SEQUENCE) and a link to
    cancel free of charge. `old` is `changes.old_values(...)`; a later change sends its own email."""
    booking = Booking.objects.select_related(*BOOKING_RELATED).get(pk=booking_id)
    if booking.status not in changes.TOLD_BOOKED or booking.session.revision != revision:
        logger.info("Booking %s is %s, session at revision %s; no change email for revision %s.",
                    booking_id, booking.status, booking.session.revision, revision)
        return
    told = f"revision {revision}"
    if booking.events.filter(action="told_of_change", note=told).exists():  # the task ran twice
        return
    session = booking.session
    with speaking(booking.client):
        context = booking_context(booking)
        context.update(changed=changes.what_changed(old, session), variant="booked",
                       refund_policy=BookingPolicy.current().drop_in_cancellation)
        if changes.may_cancel_on_its_own(booking):
            context["cancel_url"] = absolute(reverse("bookings:cancel_after_change",
                                                     kwargs={"token": changes.free_cancel_token(booking, revision)}))
        message = compose("session_changed", booking.client, context)
    if booking.is_confirmed:  # a place still being paid for gets its calendar file with the confirmation
        message.attach(ics_part(booking))
    message.send()
    record(booking, "told_of_change", note=told)


def session_changed_waiting(entry_id: int, revision: int, old: dict) -> None:
    """The class she waits for moved: what changed, and how to leave the waitlist (no calendar file)."""
    entry = WaitlistEntry.objects.select_related(
        "client", "session__offering", "session__teacher__user", "session__room").get(pk=entry_id)
    if entry.status not in changes.TOLD_WAITING or entry.session.revision != revision:
        logger.info("Waitlist entry %s is %s; no change email for revision %s.", entry_id, entry.status, revision)
        return
    with speaking(entry.client):
        context = class_context(entry.session)
        context.update(changed=changes.what_changed(old, entry.session), variant="waiting", entry=entry)
        if entry.status == WaitlistEntry.Status.OFFERED:
            context["claim_url"] = absolute(reverse("bookings:waitlist_claim", kwargs={"pk": entry.pk}))
        message = compose("session_changed", entry.client, context)
    message.send()


def card_bought(payment_id: int) -> None:
    """The class card is paid and ready: classes on it, valid until, and the receipt."""
    payment = Payment.objects.select_related("client", "class_card__card_type").get(pk=payment_id)
    card = getattr(payment, "class_card", None)
    if card is None:
        logger.warning("Payment %s has no class card; no email sent.", payment_id)
        return
    with speaking(payment.client):
        context = {
            "payment": payment, "card": card, "credits": card.card_type.credits, "amount": euros(payment.amount_cents),
            "receipt_url": absolute(payment.get_absolute_url()),
            "timetable_url": absolute(reverse("classes:timetable")),
        }
        message = compose("card_bought", payment.client, context)
    invoice_pdf.attach_invoice(message, payment)
    message.send()


# Messages built for the periodic jobs (sent in batches) -----------------------------


def session_message(session_id: int, subject: str, body: str) -> int:
    """The teacher's note to everyone with a place (e.g. 'bring a blanket tonight'), framed in
    each client's language. Returns how many were sent."""
    bookings = list(Booking.objects.filter(session_id=session_id, status=Booking.Status.CONFIRMED).select_related(*BOOKING_RELATED))
    messages = []
    for booking in bookings:
        with speaking(booking.client):
            messages.append(compose("session_message", booking.client, {**booking_context(booking), "note_subject": subject, "note": body}))
    if messages:
        messages[0].get_connection().send_messages(messages)
    return len(messages)


def reminder_message(booking: Booking) -> EmailMultiAlternatives:
    """A quiet reminder before class. Makes no queries: the job selects client, offering,
    teacher and room with the booking."""
    offering = booking.session.offering
    with speaking(booking.client):
        context = booking_context(booking)
        context["what_to_expect"] = in_language(offering, "what_to_expect")
        context["what_to_expect_html"] = markdown_html(context["what_to_expect"])
        return compose("reminder", booking.client, context)


# In a reminder only the greeting is the client's own: "Hello Sanne,". It is rendered with this mark
# in place of her first name and the mark replaced for each client (escaped in the HTML part).
NAME_MARK = "\ue000"


def reminder_messages(bookings) -> list[EmailMultiAlternatives]:
    """Reminders for many bookings, each rendered once per class, language and kind of greeting
    (with or without a first name): what `reminder_message` would give each, in a fraction of the time."""
    rendered, messages = {}, []
    for booking in bookings:
        client = booking.client
        key = (booking.session_id, client.language, bool(client.first_name))
        if key not in rendered:
            stand_in = copy.copy(client)
            stand_in.first_name = NAME_MARK if client.first_name else ""
            marked = copy.copy(booking)
            marked.client = stand_in
            message = reminder_message(marked)
            # Only the greeting may hold the mark; should the studio's own text hold that character,
            # this class's reminders are written one by one.
            greeting_marks = 1 if client.first_name else 0
            rendered[key] = message if message.body.count(NAME_MARK) == greeting_marks else None
        message = rendered[key]
        messages.append(_addressed_to(message, client) if message is not None else reminder_message(booking))
    return messages


def _addressed_to(marked: EmailMultiAlternatives, client) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=marked.subject, body=marked.body.replace(NAME_MARK, client.first_name),
                                     from_email=marked.from_email, to=[client.email], reply_to=marked.reply_to)
    for content, mimetype in marked.alternatives:
        message.attach_alternative(content.replace(NAME_MARK, escape(client.first_name)), mimetype)
    return message


def card_expiring_message(card: ClassCard, *, classes_left: int | None = None) -> EmailMultiAlternatives:
    """The card runs out soon and still has classes on it. Pass `classes_left` (or annotate the
    card with `left`) to spare a query."""
    if classes_left is None:
        classes_left = getattr(card, "left", None)
    if classes_left is None:
        classes_left = card.balance
    with speaking(card.client):
        context = {"card": card, "classes_left": classes_left, "timetable_url": absolute(reverse("classes:timetable"))}
        return compose("card_expiring", card.client, context)


# Shared pieces ----------------------------------------------------------------------


def class_context(session) -> dict:
    """What an email shows about the class. Call inside `speaking` (the link is in the client's language)."""
    return {
        "session": session, "offering": session.offering, "teacher": session.teacher, "location": calendars.location(session),
        "session_url": absolute(reverse("classes:session", kwargs={"pk": session.pk})),
    }


def booking_context(booking: Booking) -> dict:
    return {"booking": booking, **class_context(booking.session)}


def ics_part(booking: Booking):
    return calendar_part(calendars.booking_ics(booking), f"studio-tree-of-life-{booking.pk}.ics")


# Tasks: ids in, one message out; safe to run twice (each message checks the state it speaks of) ----



@shared_task(name="bookings.tasks.send_booking_confirmed", **MAIL_RETRY)
def send_booking_confirmed(booking_id):
    booking_confirmed(booking_id)


@shared_task(name="bookings.tasks.send_booking_cancelled", **MAIL_RETRY)
def send_booking_cancelled(booking_id):
    booking_cancelled(booking_id)


@shared_task(name="bookings.tasks.send_waitlist_offer", **MAIL_RETRY)
def send_waitlist_offer(entry_id):
    waitlist_offer(entry_id)


@shared_task(name="bookings.tasks.send_last_minute_place", **MAIL_RETRY)
def send_last_minute_place(entry_id):
    last_minute_place(entry_id)


@shared_task(name="bookings.tasks.send_last_minute_gone", **MAIL_RETRY)
def send_last_minute_gone(entry_id):
    last_minute_place(entry_id, gone=True)


@shared_task(name="bookings.tasks.send_session_changed", **MAIL_RETRY)
def send_session_changed(booking_id, revision, old):
    session_changed_booked(booking_id, revision, old)


@shared_task(name="bookings.tasks.send_session_changed_waitlist", **MAIL_RETRY)
def send_session_changed_waitlist(entry_id, revision, old):
    session_changed_waiting(entry_id, revision, old)


@shared_task(name="bookings.tasks.send_card_bought", **MAIL_RETRY)
def send_card_bought(payment_id):
    card_bought(payment_id)


@shared_task(name="bookings.tasks.send_session_message", **MAIL_RETRY)
def send_session_message(session_id, subject, body, actor_id=None):
    return session_message(session_id, subject, body)
