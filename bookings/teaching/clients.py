"""Reads for the back office's client pages: finding a client in a few letters (name, email or phone),
and everything her page shows. Each read costs a fixed number of queries, however much she booked."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Concat, Replace
from django.utils import timezone

from classes.models import AppointmentType, ProgrammeRun, Session
from core.roles import SCOPE_MINE, client_accounts, is_admin

from ..history import action_text, note_text, problem_text, reason_text
from ..models import (
    Appointment,
    AppointmentEvent,
    Booking,
    BookingEvent,
    ClassCard,
    ClassCardType,
    CreditEntry,
    Intake,
    Payment,
    ProgrammeEnrolment,
    SessionNote,
)
from ..personal import journeys

MIN_LENGTH = 3
LIMIT = 25
PHONE_PUNCTUATION = (" ", "-", "(", ")", ".", "/", "+")
NOT_A_PHONE = re.compile(r"[^\d\s\-+().\/]")


# Finding a client ------------------------------------------------------------------------------


def clients():
    """The studio's clients: active accounts that are not its teachers or admins."""
    return client_accounts()


def of_teacher(teacher):
    """Her own clients: a booking in one of her classes, a one-to-one with her, or one of her programmes."""
    if teacher is None:
        return Q(pk__in=[])
    person = OuterRef("pk")
    return (Q(Exists(Booking.objects.filter(client=person, session__teacher=teacher).exclude(status=Booking.Status.RELEASED)))
            | Q(Exists(Appointment.objects.filter(client=person, teacher=teacher).exclude(status=Appointment.Status.RELEASED)))
            | Q(Exists(ProgrammeEnrolment.objects.filter(client=person).filter(Q(run__teacher=teacher) | Q(appointment_type__teacher=teacher))
                       .exclude(status=ProgrammeEnrolment.Status.RELEASED))))


def phone_variants(query: str) -> set[str]:
    """The digits of a typed phone number, and the same number written the other Dutch way
    (06… and +31 6…), so '06 123' finds '+31 6 1234 5678' and the other way round."""
    if NOT_A_PHONE.search(query):
        return set()
    digits = re.sub(r"\D", "", query)
    if len(digits) < MIN_LENGTH:
        return set()
    variants = {digits}
    if digits.startswith("00"):  # 0031 6…: the country code written with zeros
        digits = digits[2:]
        variants.add(digits)
    elif digits.startswith("0"):
        variants.add("31" + digits[1:])
    if digits.startswith("31"):
        variants.add("0" + digits[2:])
    return {variant for variant in variants if len(variant) >= MIN_LENGTH}


def _phone_digits():
    expression = F("phone")
    for mark in PHONE_PUNCTUATION:
        expression = Replace(expression, Value(mark), Value(""))
    return expression


def matching(query: str):
    """A filter for a name (first, last, or the two together), an email address or a phone number."""
    query = " ".join(query.split())
    words = Q()
    for word in query.split(" "):
        words &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
    found = Q(full_name__icontains=query) | Q(email__icontains=query) | words
    for variant in phone_variants(query):
        found |= Q(phone_digits__contains=variant)
    return found


@dataclass
class Search:
    query: str
    results: list
    more: bool = False

    @property
    def too_short(self) -> bool:
        return 0 < len(self.query) < MIN_LENGTH


def client_search(query: str, *, scope: str, teacher=None, now=None, limit=LIMIT) -> Search:
    """Clients matching `query` (at least three characters), in her scope ("mine" or "studio"),
    each with her last and next class, to tell two people with the same name apart. One query."""
    now = now or timezone.now()
    query = " ".join((query or "").split())[:100]
    if len(query) < MIN_LENGTH:
        return Search(query=query, results=[])
    confirmed = Booking.objects.filter(client=OuterRef("pk"), status=Booking.Status.CONFIRMED)
    last_class = confirmed.filter(session__starts_at__lt=now).order_by("-session__starts_at").values("session__starts_at")[:1]
    next_class = confirmed.filter(session__starts_at__gte=now).order_by("session__starts_at").values("session__starts_at")[:1]
    people = (clients().annotate(full_name=Concat("first_name", Value(" "), "last_name"), phone_digits=_phone_digits())
              .filter(matching(query)))
    if scope == SCOPE_MINE:
        people = people.filter(of_teacher(teacher))
    people = list(people.annotate(last_class=Subquery(last_class), next_class=Subquery(next_class)).order_by("first_name", "last_name", "email")[:limit + 1])
    return Search(query=query, results=people[:limit], more=len(people) > limit)


# Her page ----------------------------------------------------------------------------------------


@dataclass
class HistoryLine:
    when: datetime
    what: str
    subject: str
    detail: str
    who: object


def _paid_with(subject) -> str:
    return subject.get_paid_with_display() if subject.paid_with else ""


def _history_line(event, subject, name) -> HistoryLine:
    if event.action in ("booked", "booked_by_staff"):
        detail = _paid_with(subject)
    else:
        detail = note_text(event.action, event.note)
    return HistoryLine(when=event.created_at, what=action_text(event.action), subject=name, detail=detail, who=event.actor)


def history(client, *, limit=60) -> list[HistoryLine]:
    """Her bookings' and one-to-ones' history, newest first, in plain words. Two queries."""
    lines = [_history_line(event, event.booking, event.booking.session.offering.name)
             for event in BookingEvent.objects.filter(booking__client=client).select_related("actor", "booking__session__offering")
             .order_by("-created_at", "-pk")[:limit]]
    lines += [_history_line(event, event.appointment, event.appointment.appointment_type.name)
              for event in AppointmentEvent.objects.filter(appointment__client=client)
              .select_related("actor", "appointment__appointment_type").order_by("-created_at", "-pk")[:limit]]
    return sorted(lines, key=lambda line: line.when, reverse=True)[:limit]


def _ledger(card):
    for entry in card.entries.all():
        entry.reason_shown = reason_text(entry.reason)
    return card


def client_page(client, *, viewer, now=None) -> dict:
    """Everything her page shows: coming and past bookings and one-to-ones, class cards with their
    ledger, programme journeys, notes, the consent and touch card, payments and history. Session
    notes and touch choices are personal: the `viewer` sees those of her own classes and sessions
    (the admin sees all)."""
    now = now or timezone.now()
    sees_all = is_admin(viewer)
    mine = Booking.objects.filter(client=client).for_listing()
    coming = list(mine.holding_a_place().filter(session__starts_at__gte=now).order_by("session__starts_at"))
    past = list(mine.filter(session__starts_at__lt=now).exclude(status=Booking.Status.RELEASED).order_by("-session__starts_at")[:30])
    sessions = Appointment.objects.filter(client=client).for_listing()
    coming_personal = list(sessions.filter(starts_at__gte=now, status__in=[Appointment.Status.CONFIRMED, Appointment.Status.PENDING_PAYMENT])
                           .order_by("starts_at"))
    past_personal = list(sessions.filter(starts_at__lt=now).exclude(status=Appointment.Status.RELEASED).order_by("-starts_at")[:30])
    cards = [_ledger(card) for card in ClassCard.objects.filter(client=client).select_related("card_type").with_balance()
             .prefetch_related(Prefetch("entries", queryset=CreditEntry.objects.select_related("created_by", "booking__session__offering")
                                        .order_by("created_at", "pk")))
             .order_by("-expires_at", "-pk")]
    enrolments = journeys.with_journeys(ProgrammeEnrolment.objects.filter(client=client).exclude(status=ProgrammeEnrolment.Status.RELEASED)
                                        .order_by("-created_at", "-pk"))
    notes = SessionNote.objects.filter(Q(appointment__client=client) | Q(booking__client=client))
    if not sees_all:
        notes = notes.filter(Q(appointment__teacher__user=viewer) | Q(booking__session__teacher__user=viewer))
    notes = list(notes.select_related("written_by", "appointment__appointment_type", "booking__session__offering").order_by("-written_at")[:30])
    intake = Intake.objects.filter(client=client).only("pk", "client", "consent_given_at", "consent_withdrawn_at", "updated_at").first()
    payments = list(Payment.objects.filter(client=client).prefetch_related("refunds").order_by("-created_at")[:30])
    for payment in payments:
        payment.problem_shown = problem_text(payment.problem)
        for refund in payment.refunds.all():
            refund.reason_shown = reason_text(refund.reason)
    visits = (Booking.objects.filter(client=client, status=Booking.Status.CONFIRMED, attendance=Booking.Attendance.PRESENT).count()
              + Appointment.objects.filter(client=client, status=Appointment.Status.CONFIRMED, attendance=Appointment.Attendance.PRESENT).count())
    return {
        "client": client, "now": now, "coming": coming, "past": past, "coming_personal": coming_personal, "past_personal": past_personal,
        "cards": cards, "usable_cards": [card for card in cards if not card.is_expired(now)],
        "journeys": [journeys.journey_of(enrolment, now=now) for enrolment in enrolments], "notes": notes, "intake": intake,
        "touch": [item for item in [*coming, *coming_personal] if item.touch_ok is not None
                  and (sees_all or _teacher_of(item).user_id == viewer.pk)],
        "payments": payments, "history": history(client), "visits": visits,
    }


def _teacher_of(item):
    return item.session.teacher if isinstance(item, Booking) else item.teacher


# What she can be booked into --------------------------------------------------------------------


def coming_sessions(user, *, now=None, days=28):
    """The classes of the coming weeks she may book a client into: scheduled, not a programme date,
    and her own (the admin: everyone's)."""
    now = now or timezone.now()
    sessions = Session.objects.for_listing().scheduled().filter(starts_at__gt=now, starts_at__lt=now + timedelta(days=days),
                                                                programme_run__isnull=True)
    if not is_admin(user):
        sessions = sessions.filter(teacher__user=user)
    return list(sessions.order_by("starts_at"))


def bookable_types(user):
    """The kinds of one-to-one she may book her clients into: her own (the admin: everyone's)."""
    types = AppointmentType.objects.filter(is_active=True).select_related("teacher__user", "offering").order_by("position", "name_nl")
    return types if is_admin(user) else types.filter(teacher__user=user)


def open_runs(user, *, now=None):
    """Programme groups open for booking whose first date is still to come, with places left: hers
    (the admin: everyone's)."""
    now = now or timezone.now()
    scheduled = Q(sessions__status=Session.Status.SCHEDULED)
    runs = ProgrammeRun.objects.all() if is_admin(user) else ProgrammeRun.objects.filter(teacher__user=user)
    return list(runs.filter(is_open=True).select_related("offering", "teacher__user", "room")
                .annotate(first=Min("sessions__starts_at", filter=scheduled), dates=Count("sessions", filter=scheduled),
                          places_left=Min(F("sessions__capacity") - F("sessions__places_taken"), filter=scheduled))
                .filter(first__gt=now).order_by("first"))


def card_types():
    return list(ClassCardType.objects.prefetch_related("styles").order_by("position", "credits"))
