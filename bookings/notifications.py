"""Emails to clients about their bookings, waitlist offers and class cards.

Every message is written in the client's own language with Breda wall-clock times, as plain
text and HTML, from the templates in templates/bookings/email/. The functions that take an id
load what they need and send; `reminder_message` and `card_expiring_message` only build the
message, so the periodic jobs can send many through one connection.
"""

import logging
import re
from contextlib import contextmanager
from email.mime.text import MIMEText
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from classes.models import STUDIO_TZ, in_language
from studio.markup import render_markdown
from studio.templatetags.studio_tags import euros

from . import calendars, cards, services
from .models import Booking, BookingPolicy, ClassCard, CreditEntry, Payment, Refund, WaitlistEntry

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "bookings/email"
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
            free_until=services.free_cancellation_until(booking.session, policy),
            refund_policy=policy.drop_in_cancellation,
            price=money(booking.price_cents),
        )
        context["what_to_expect"] = in_language(booking.session.offering, "what_to_expect")
        context["what_to_expect_html"] = markdown_html(context["what_to_expect"])
        if booking.card_id:
            context["card_left"] = cards.card_balance(booking.card)
        if booking.payment_id and booking.payment.is_paid:
            context["receipt_url"] = absolute(booking.payment.get_absolute_url())
        message = compose("booking_confirmed", booking.client, context)
    message.attach(ics_part(booking))
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
    with speaking(booking.client):
        context = booking_context(booking)
        context.update(
            variant="studio" if booking.cancelled_by_studio else "late" if booking.late_cancellation else "in_time",
            reason=booking.session.cancel_reason_shown,
            returned_card=returned_credit.card if returned_credit else None,
            refund=money(refunded) if refunded else "",
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


def card_bought(payment_id: int) -> None:
    """The class card is paid and ready: classes on it, valid until, and the receipt."""
    payment = Payment.objects.select_related("client", "class_card__card_type").get(pk=payment_id)
    card = getattr(payment, "class_card", None)
    if card is None:
        logger.warning("Payment %s has no class card; no email sent.", payment_id)
        return
    with speaking(payment.client):
        context = {
            "payment": payment, "card": card, "credits": card.card_type.credits, "amount": money(payment.amount_cents),
            "receipt_url": absolute(payment.get_absolute_url()),
            "timetable_url": absolute(reverse("classes:timetable")),
        }
        message = compose("card_bought", payment.client, context)
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


@contextmanager
def speaking(client):
    """The client's language and Breda's clock, for texts, dates and links alike."""
    language = client.language if client.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(STUDIO_TZ):
        yield


def compose(name: str, client, context: dict) -> EmailMultiAlternatives:
    """Render `<name>.txt` (its first line is the subject) and `<name>.html` in the client's
    language, and wrap them in one message from the studio, replies going to the studio."""
    with speaking(client):
        context = {"client": client, "studio": settings.STUDIO,
                   "my_bookings_url": absolute(reverse("bookings:my_bookings")), **context}
        rendered = render_to_string(f"{TEMPLATE_DIR}/{name}.txt", context)
        subject, _newline, body = rendered.strip().partition("\n")
        context["subject"] = subject = subject.strip()
        html = render_to_string(f"{TEMPLATE_DIR}/{name}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=tidy_text(body), from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[client.email], reply_to=[settings.STUDIO_EMAIL])
    message.attach_alternative(html, "text/html")
    return message


def class_context(session) -> dict:
    """What an email shows about the class. Call inside `speaking` (the link is in the client's language)."""
    return {
        "session": session, "offering": session.offering, "teacher": session.teacher, "location": calendars.location(session),
        "session_url": absolute(reverse("classes:session", kwargs={"pk": session.pk})),
    }


def booking_context(booking: Booking) -> dict:
    return {"booking": booking, **class_context(booking.session)}


def ics_part(booking: Booking) -> MIMEText:
    part = MIMEText(calendars.booking_ics(booking).decode(), "calendar", "utf-8")
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename=f"studio-tree-of-life-{booking.pk}.ics")
    return part


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def money(cents: int) -> str:
    """An amount in the active language: '€ 17,50' in Dutch, '€17.50' in English."""
    if translation.get_language() != "en":
        return euros(cents)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}€{whole:,}.{rest:02d}"


@lru_cache(maxsize=128)
def markdown_html(text: str) -> str:
    """The few offerings' texts, rendered once for thousands of reminders."""
    return render_markdown(text)


def tidy_text(text: str) -> str:
    """Template tags leave trailing spaces and runs of blank lines; plain text reads better without."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
