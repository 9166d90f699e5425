"""The client's privacy rights: see and download everything the studio holds about them, and close
their account.

`privacy_sections` gathers it all once, as labelled sections; the readable page shows them and
`privacy_export` turns them into the JSON download, so both always hold the same. `account_delete`
removes or anonymises personal data and keeps what the law requires: payments (amounts, dates,
receipt numbers, refunds) stay, pointing at an anonymised account that can no longer log in.

A new app that stores personal data adds a section here and a line to `account_delete`.
"""

import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bookings.models import (
    Booking,
    BookingEvent,
    CalendarFeed,
    ClassCard,
    CreditEntry,
    Intake,
    IntakeAccess,
    Payment,
    Refund,
    WaitlistEntry,
)
from studio.roles import is_teacher

from .templatetags.studio_tags import euros

ANONYMOUS_DOMAIN = "deleted.invalid"  # a reserved top-level domain: mail to it never goes anywhere


class PrivacyError(Exception):
    """The account cannot be closed (yet); the message says why, in plain words."""


# Gathering -------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One value: its key in the JSON file, its label on the page, the value itself and how it reads."""

    key: str
    label: str
    value: object
    display: str


@dataclass
class Record:
    items: list[Item]
    children: list["Section"] = field(default_factory=list)

    def as_json(self) -> dict:
        data = {item.key: item.value for item in self.items}
        for child in self.children:
            data[child.key] = child.as_json()
        return data


@dataclass
class Section:
    key: str
    title: str
    records: list[Record]
    single: bool = False  # one record (the profile, the intake), shown and exported as an object
    note: str = ""

    def as_json(self):
        if self.single:
            return self.records[0].as_json() if self.records else None
        return [record.as_json() for record in self.records]


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    return str(value)


def _item(key, label, value, display=None) -> Item:
    return Item(key=key, label=str(capfirst(label)), value=_json_value(value), display=_display(value) if display is None else display)


def _fields(obj, names, *, money=None) -> list[Item]:
    """Items for model fields, labelled with their verbose names; choices read as their labels.
    `money` maps a cents field to the label it gets on the page, where it reads in euros."""
    money = money or {}
    items = []
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, name)
        label, display = model_field.verbose_name, None
        if model_field.choices and value not in (None, ""):
            display = str(getattr(obj, f"get_{name}_display")())
        elif name in money:
            label, display = money[name], euros(value)
        items.append(_item(name, label, value, display))
    return items


def _session_items(session) -> list[Item]:
    return [
        _item("class", _("class"), session.offering.name),
        _item("starts_at", _("starts"), session.starts_at),
        _item("teacher", _("teacher"), session.teacher.name),
        _item("room", _("room"), session.room.name),
    ]


def _actor(event, user) -> Item:
    """Who did it: in the file a stable code, on the page in words (the studio's staff stay unnamed)."""
    if event.actor_id is None:
        code, words = "system", _("the studio's system")
    elif event.actor_id == user.pk:
        code, words = "you", _("you")
    else:
        code, words = "studio", _("the studio")
    return _item("by", _("who"), code, words)


def privacy_sections(*, user) -> list[Section]:
    """Everything the studio holds about `user`, as labelled sections, in a fixed number of queries."""
    from .privacy_personal import personal_sections

    sections = [_profile(user), _bookings(user), _waitlist(user), _cards(user), *personal_sections(user), _payments(user),
                *_intake(user), _calendar(user)]
    comments = _comments(user)
    if comments is not None:
        sections.append(comments)
    return sections


def privacy_export(*, user, now=None) -> dict:
    """The JSON download: every section under its key, plus when it was made and by which studio."""
    now = now or timezone.now()
    data = {
        "exported_at": _json_value(now),
        "studio": {key: settings.STUDIO[key] for key in ("name", "street", "postcode", "city", "email", "kvk")},
        "about": _("Everything Studio Tree of Life holds about you. Amounts are in euro cents; times are Europe/Amsterdam."),
    }
    for section in privacy_sections(user=user):
        data[section.key] = section.as_json()
    return data


def _profile(user) -> Section:
    from allauth.account.models import EmailAddress

    items = _fields(user, ["email", "first_name", "last_name", "phone", "language", "date_joined", "last_login"])
    addresses = [Record(_fields(address, ["email", "verified", "primary"])) for address in EmailAddress.objects.filter(user=user)]
    record = Record(items, [Section("email_addresses", _("Email addresses"), addresses)])
    return Section("profile", _("Your details"), [record], single=True)


def _bookings(user) -> Section:
    bookings = (Booking.objects.filter(client=user)
                .select_related("session__offering", "session__teacher__user", "session__room")
                .prefetch_related(Prefetch("events", queryset=BookingEvent.objects.order_by("created_at", "pk")))
                .order_by("session__starts_at", "pk"))
    records = []
    for booking in bookings:
        items = [_item("id", _("booking number"), booking.pk), *_session_items(booking.session)]
        items += _fields(booking, ["status", "paid_with", "price_cents", "created_at", "confirmed_at", "cancelled_at",
                                   "cancelled_by_studio", "late_cancellation", "attendance", "paid_at_studio_at", "touch_ok"],
                         money={"price_cents": _("price")})
        items.append(_item("payment_id", _("payment number"), booking.payment_id))
        history = [Record([_item("what", _("what"), event.action), _item("note", _("note"), event.note),
                           _actor(event, user), _item("when", _("when"), event.created_at)])
                   for event in booking.events.all()]
        records.append(Record(items, [Section("history", _("History"), history)]))
    return Section("bookings", _("Bookings"), records)


def _waitlist(user) -> Section:
    entries = (WaitlistEntry.objects.filter(client=user)
               .select_related("session__offering", "session__teacher__user", "session__room").order_by("created_at", "pk"))
    records = [Record(_session_items(entry.session) + _fields(entry, ["status", "created_at", "offered_at", "offer_expires_at"]))
               for entry in entries]
    return Section("waitlist", _("Waitlists"), records)


def _cards(user) -> Section:
    cards = (ClassCard.objects.filter(client=user).select_related("card_type").with_balance()
             .prefetch_related(Prefetch("entries", queryset=CreditEntry.objects.order_by("created_at", "pk")))
             .order_by("purchased_at", "pk"))
    records = []
    for card in cards:
        items = [_item("card", _("class card"), card.card_type.name), *_fields(card, ["purchased_at", "expires_at"]),
                 _item("classes_left", _("classes left"), card.balance), _item("payment_id", _("payment number"), card.payment_id)]
        ledger = [Record(_fields(entry, ["created_at", "delta", "kind", "reason"]) + [_item("booking_id", _("booking number"), entry.booking_id)])
                  for entry in card.entries.all()]
        records.append(Record(items, [Section("ledger", _("Every class in and out of this card"), ledger)]))
    return Section("class_cards", _("Class cards"), records)


def _payments(user) -> Section:
    payments = (Payment.objects.filter(client=user)
                .prefetch_related(Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "pk"))).order_by("created_at", "pk"))
    records = []
    for payment in payments:
        items = [_item("id", _("payment number"), payment.pk)]
        items += _fields(payment, ["receipt_number", "description", "purpose", "amount_cents", "vat_rate_percent", "status", "method",
                                   "created_at", "paid_at", "refunded_cents", "stripe_checkout_id", "stripe_payment_intent_id"],
                         money={"amount_cents": _("amount"), "refunded_cents": _("refunded")})
        refunds = [Record(_fields(refund, ["amount_cents", "reason", "status", "created_at"], money={"amount_cents": _("amount")}))
                   for refund in payment.refunds.all()]
        records.append(Record(items, [Section("refunds", _("Refunds"), refunds)]))
    return Section("payments", _("Payments and refunds"),
                   records, note=_("The law requires the studio to keep payment records for seven years, also after an account is closed."))


def _intake(user) -> list[Section]:
    intake = Intake.objects.filter(client=user).first()
    records = []
    if intake is not None:
        names = [f.name for f in Intake._meta.concrete_fields if f.name not in ("id", "client")]
        records.append(Record(_fields(intake, names)))
    accesses = [Record(_fields(access, ["viewed_at", "viewer_name"]))
                for access in IntakeAccess.objects.filter(client=user).order_by("viewed_at", "pk")]
    return [
        Section("intake", _("Intake form"), records, single=True),
        Section("intake_access_log", _("Who opened your intake form"), accesses),
    ]


def _calendar(user) -> Section:
    feeds = [Record([_item("created_at", _("created"), feed.created_at)]) for feed in CalendarFeed.objects.filter(client=user)]
    return Section("calendar_feed", _("Private calendar link"), feeds, single=True,
                   note=_("The link itself is secret; you find it on your bookings page."))


def _comment_model():
    try:
        from blog.models import Comment
    except ImportError:
        return None
    field_names = {f.name for f in Comment._meta.get_fields()}
    return Comment if {"user", "email"} & field_names else None


def _comments_of(Comment, user):
    names = {f.name for f in Comment._meta.get_fields()}
    match = Q()
    if "user" in names:
        match |= Q(user=user)
    if "email" in names and user.email:
        match |= Q(email__iexact=user.email)
    return Comment.objects.filter(match) if match else Comment.objects.none()


def _comments(user) -> Section | None:
    Comment = _comment_model()
    if Comment is None:
        return None
    wanted = [name for name in ("name", "email", "text", "status", "created_at") if name in {f.name for f in Comment._meta.concrete_fields}]
    records = []
    for comment in _comments_of(Comment, user).select_related("post").order_by("created_at", "pk"):
        items = [_item("post", _("post"), str(comment.post))] if hasattr(comment, "post") else []
        records.append(Record(items + _fields(comment, wanted)))
    return Section("blog_comments", _("Comments on the blog"), records)


# Closing the account -----------------------------------------------------------------------------------


def account_delete_blockers(*, user, now=None) -> list[str]:
    """Reasons the account cannot be closed right now, in plain words (empty: it can)."""
    now = now or timezone.now()
    reasons = []
    if user.is_staff or user.is_superuser or is_teacher(user):
        reasons.append(_("This is a staff account. Please ask the studio's administrator to close it."))
    upcoming = Booking.objects.filter(client=user, session__starts_at__gt=now).holding_a_place()
    if upcoming.exists():
        reasons.append(_("You still have a place in a class that has not taken place yet. Please cancel it first on your "
                         "bookings page, so the place can go to someone else and anything due comes back to you."))
    from .privacy_personal import personal_delete_blockers

    return reasons + personal_delete_blockers(user, now)


def account_delete(*, user, now=None) -> None:
    """Close the account: personal data removed or anonymised, payment records kept (pointing at the
    anonymised account), and no way to log in any more. All or nothing."""
    from allauth.account.models import EmailAddress

    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        reasons = account_delete_blockers(user=user, now=now)
        if reasons:
            raise PrivacyError(reasons[0])

        # Health data and the record of who read it; the teacher's notes after sessions.
        from .privacy_personal import personal_delete

        personal_delete(user)
        Intake.objects.filter(client=user).delete()
        IntakeAccess.objects.filter(client=user).delete()
        # Things that only exist for the client's convenience.
        CalendarFeed.objects.filter(client=user).delete()
        WaitlistEntry.objects.filter(client=user).delete()
        Booking.objects.filter(client=user).exclude(touch_ok=None).update(touch_ok=None)
        # Comments stay readable under the post, without a name, an address or a link to the account.
        Comment = _comment_model()
        if Comment is not None:
            names = {f.name for f in Comment._meta.concrete_fields}
            changes = {}
            if "name" in names:
                with translation.override(settings.LANGUAGE_CODE):
                    changes["name"] = _("Former visitor")
            if "email" in names:
                changes["email"] = ""
            if "user" in names:
                changes["user"] = None
            _comments_of(Comment, user).update(**changes)  # before the address changes: it finds comments by it
        # The login addresses, then the account itself.
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}-{secrets.token_hex(4)}@{ANONYMOUS_DOMAIN}"
        user.first_name = ""
        user.last_name = ""
        user.phone = ""
        user.is_active = False
        user.last_login = None
        user.set_unusable_password()  # also ends every session the account had open
        user.save()
        # Bookings, class cards with their ledger, payments and refunds stay: they point at this account.
