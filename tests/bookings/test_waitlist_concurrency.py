"""The waitlist under real parallel requests on PostgreSQL: many places freed at once, and many
people claiming one last-minute place at once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from bookings.group import services, waitlist, waitlist_offers
from bookings.models import Booking, CreditEntry, WaitlistEntry
from tests.bookings.parallel import fire_all_at_once, signed_in_cookie
from tests.factories import OfferingFactory, SessionFactory, UserFactory, class_card

pytestmark = pytest.mark.django_db(transaction=True)


def dutch(name, *args):
    with translation.override("nl"):
        return reverse(name, args=args)


def test_twenty_places_freed_at_once_go_down_the_line_in_joining_order(live_server):
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=20)
    holders = []
    for i in range(20):
        holder = UserFactory(email=f"holder{i}@example.nl")
        class_card(holder, credits=1)
        holders.append(services.booking_create(client=holder, session=session, pay_with="card"))

    # The line, in joining order: automatic bookers with a class left, people who want to be asked,
    # and automatic bookers whose card was used up after they joined (they are offered the place).
    kinds = ["auto", "manual", "auto", "auto_used_up", "manual", "auto"] * 5
    line = []
    elsewhere = SessionFactory(starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, hours=1))
    for i, kind in enumerate(kinds):
        client = UserFactory(email=f"line{i:02d}@example.nl")
        if kind != "manual":
            class_card(client, credits=1 if kind == "auto_used_up" else 3)
        entry = waitlist.waitlist_join(client=client, session=session, auto_book=kind != "manual",
                                       now=timezone.now() + timedelta(seconds=i))
        if kind == "auto_used_up":
            services.booking_create(client=client, session=elsewhere, pay_with="card")
        line.append((kind, client, entry))
    mail.outbox.clear()

    results = fire_all_at_once(live_server, [(dutch("bookings:cancel", b.pk), "", signed_in_cookie(b.client)) for b in holders])
    assert [status for status, _ in results] == [302] * 20

    session.refresh_from_db()
    holding = Booking.objects.filter(session=session).holding_a_place()
    assert session.places_taken == 20 == holding.count()  # no oversell, no place lost
    first, rest = line[:20], line[20:]
    for kind, client, entry in first:
        entry.refresh_from_db()
        mine = Booking.objects.get(session=session, client=client)
        if kind == "auto":
            assert entry.status == "claimed" and mine.status == "confirmed" and mine.paid_with == "card", (kind, entry)
            assert CreditEntry.objects.filter(booking=mine, kind="booking", delta=-1).count() == 1
            assert client.class_cards.get().balance == 2  # debited once
        else:
            assert entry.status == "offered" and mine.status == "offered", (kind, entry)
    for _kind, client, entry in rest:
        entry.refresh_from_db()
        assert entry.status == "waiting" and not Booking.objects.filter(session=session, client=client).exists()
    told = {m.to[0] for m in mail.outbox if m.to[0].startswith("line")}
    assert told == {client.email for _kind, client, _entry in first}


def test_thirty_people_claiming_one_last_minute_place_make_exactly_one_booking(live_server):
    start = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)  # inside the 3-hour window
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=1, offering=OfferingFactory(allow_pay_at_studio=True))
    holder = UserFactory(email="holder@example.nl")
    class_card(holder, credits=1)
    booking = services.booking_create(client=holder, session=session, pay_with="card")
    waiting = []
    for i in range(30):
        client = UserFactory(email=f"claim{i:02d}@example.nl")
        class_card(client, credits=2)
        waiting.append((client, waitlist.waitlist_join(client=client, session=session, now=timezone.now() + timedelta(seconds=i))))
    services.booking_cancel(booking=booking)
    done = waitlist_offers.offer_freed_places(session_id=session.pk)  # the cancel already did it: nothing more
    assert done.told == [] and WaitlistEntry.objects.filter(session=session, last_minute_offer_at__isnull=False).count() == 30
    mail.outbox.clear()

    results = fire_all_at_once(live_server, [(dutch("bookings:waitlist_claim", entry.pk), "pay_with=card", signed_in_cookie(client))
                                             for client, entry in waiting])

    assert [status for status, _ in results] == [302] * 30
    won = [location for _status, location in results if location.endswith(dutch("bookings:my_bookings"))]
    assert len(won) == 1
    session.refresh_from_db()
    booked = Booking.objects.filter(session=session).holding_a_place()
    assert session.places_taken == 1 == booked.count()
    [winner] = booked
    assert winner.client.class_cards.get().balance == 1
    assert sum(client.class_cards.get().balance for client, _entry in waiting) == 30 * 2 - 1
    others = WaitlistEntry.objects.filter(session=session).exclude(client=winner.client)
    assert others.count() == 29 and all(e.status == "waiting" and e.last_minute_offer_at is None for e in others)
    gone = [m.to[0] for m in mail.outbox if "plek is weg" in m.subject]
    assert len(gone) == 29 == len(set(gone)) and winner.client.email not in gone
