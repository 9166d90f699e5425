"""The group classes' part of a person's data: bookings with their history, waitlists, class cards
with their ledger; what stops an account from closing and what closing removes. Registered with
core.privacy by BookingsConfig.ready()."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core import pagecache, privacy
from core.privacy import Item, Record, Section

from ..models import Booking, BookingEvent, ClassCard, CreditEntry, WaitlistEntry


def session_items(session) -> list[Item]:
    return [
        privacy.item("class", _("class"), session.offering.name),
        privacy.item("starts_at", _("starts"), session.starts_at),
        privacy.item("teacher", _("teacher"), session.teacher.name),
        privacy.item("room", _("room"), session.room.name),
    ]


def _bookings(user) -> Section:
    bookings = (Booking.objects.filter(client=user)
                .select_related("session__offering", "session__teacher__user", "session__room")
                .prefetch_related(Prefetch("events", queryset=BookingEvent.objects.order_by("created_at", "pk")))
                .order_by("session__starts_at", "pk"))
    records = []
    for booking in bookings:
        items = [privacy.item("id", _("booking number"), booking.pk), *session_items(booking.session)]
        items += privacy.fields(booking, ["status", "paid_with", "price_cents", "created_at", "confirmed_at", "cancelled_at",
                                   "cancelled_by_studio", "late_cancellation", "attendance", "paid_at_studio_at", "touch_ok"],
                         money={"price_cents": _("price")})
        items.append(privacy.item("payment_id", _("payment number"), booking.payment_id))
        history = [Record([privacy.item("what", _("what"), event.action), privacy.item("note", _("note"), event.note),
                           privacy.actor(event, user), privacy.item("when", _("when"), event.created_at)])
                   for event in booking.events.all()]
        records.append(Record(items, [Section("history", _("History"), history)]))
    return Section("bookings", _("Bookings"), records)


def _waitlist(user) -> Section:
    entries = (WaitlistEntry.objects.filter(client=user)
               .select_related("session__offering", "session__teacher__user", "session__room").order_by("created_at", "pk"))
    records = [Record(session_items(entry.session) + privacy.fields(entry, ["status", "created_at", "offered_at", "offer_expires_at"]))
               for entry in entries]
    return Section("waitlist", _("Waitlists"), records)


def _cards(user) -> Section:
    cards = (ClassCard.objects.filter(client=user).select_related("card_type").with_balance()
             .prefetch_related(Prefetch("entries", queryset=CreditEntry.objects.order_by("created_at", "pk")))
             .order_by("purchased_at", "pk"))
    records = []
    for card in cards:
        items = [privacy.item("card", _("class card"), card.card_type.name), *privacy.fields(card, ["purchased_at", "expires_at"]),
                 privacy.item("classes_left", _("classes left"), card.balance), privacy.item("payment_id", _("payment number"), card.payment_id)]
        ledger = [Record(privacy.fields(entry, ["created_at", "delta", "kind", "reason"]) + [privacy.item("booking_id", _("booking number"), entry.booking_id)])
                  for entry in card.entries.all()]
        records.append(Record(items, [Section("ledger", _("Every class in and out of this card"), ledger)]))
    return Section("class_cards", _("Class cards"), records)


def sections(user) -> list[Section]:
    return [_bookings(user), _waitlist(user), _cards(user)]


def blockers(user, now) -> list[str]:
    if Booking.objects.filter(client=user, session__starts_at__gt=now).holding_a_place().exists():
        return [_("You still have a place in a class that has not taken place yet. Please cancel it first on your "
                  "bookings page, so the place can go to someone else and anything due comes back to you.")]
    return []


def forget(user) -> None:
    """Waitlist places exist only for the client's convenience; the touch choices are forgotten.
    Bookings and cards stay, as the payment records they belong to."""
    WaitlistEntry.objects.filter(client=user).delete()
    Booking.objects.filter(client=user).exclude(touch_ok=None).update(touch_ok=None)
    pagecache.person_changed(user.pk)


def register() -> None:
    privacy.register(key="group", order=20, sections=sections, blockers=blockers, forget=forget)
