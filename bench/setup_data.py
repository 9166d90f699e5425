"""Data for `make bench`, made inside the bench's throwaway database (run through `manage.py shell`
with the arguments DIRECTORY BOOKERS).

Writes the signed-in clients of each purpose to DIRECTORY, one a line (session cookie TAB csrf
token), and prints one JSON line with the sessions to book and who to count queries as:

    clients.tsv   32 clients with a few bookings each, for the signed-in pages
    bookers.tsv   BOOKERS clients with a class card: the credit-booking row books each one once
    members.tsv   BOOKERS clients with an unlimited membership: the membership-booking row books each once
    racers.tsv    500 clients for the race for 12 places
    pair.tsv      41 clients for the two-server checks
"""

import json
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.urls import reverse
from django.utils import timezone, translation

from blog.models import Post
from bookings.group.cards import card_issue
from bookings.group.services import booking_create
from bookings.models import ClassCardType, Membership, MembershipType
from classes.models import Offering, Room, Session, Teacher

User = get_user_model()
DIRECTORY, BOOKERS = Path(sys.argv[1]), int(sys.argv[2])
SIGNED_IN, BOOKINGS_EACH, RACERS, PAIR = 32, 4, 500, 41


def signed_in_line(user) -> str:
    """A session in the database for `user`, as a browser would carry it: cookie TAB csrf token."""
    csrf = _get_new_csrf_string()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                  "_auth_user_hash": user.get_session_auth_hash()})
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; csrftoken={csrf}\t{csrf}"


def clients_make(prefix, count, card_type, file_name) -> list:
    users = []
    for index in range(count):
        user = User.objects.create_user(email=f"{prefix}{index}@example.nl", first_name="Bench", last_name=f"{prefix} {index}")
        card_issue(client=user, card_type=card_type)
        users.append(user)
    (DIRECTORY / file_name).write_text("".join(signed_in_line(user) + "\n" for user in users))
    return users


def members_make(count, file_name, *, period_start, period_end) -> None:
    """Clients with an active unlimited membership, as Stripe's events would have left them."""
    membership_type, _ = MembershipType.objects.get_or_create(name_nl="Bench-abonnement", defaults={
        "name_en": "Bench membership", "price_cents": 7900, "is_on_sale": False})
    users = [User.objects.create_user(email=f"member{index}@example.nl", first_name="Bench", last_name=f"member {index}")
             for index in range(count)]
    Membership.objects.bulk_create(Membership(
        client=user, membership_type=membership_type, status=Membership.Status.ACTIVE, price_cents=7900,
        stripe_customer_id=f"cus_bench{index}", stripe_subscription_id=f"sub_bench{index}", started_at=period_start,
        current_period_start=period_start, current_period_end=period_end) for index, user in enumerate(users))
    (DIRECTORY / file_name).write_text("".join(signed_in_line(user) + "\n" for user in users))


def session_make(starts_at, capacity) -> Session:
    return Session.objects.create(
        offering=Offering.objects.get(slug="yin-yoga"), teacher=Teacher.objects.first(), room=Room.objects.first(),
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=75), capacity=capacity,
    )


def paths(sessions) -> dict:
    """The pages measured, as the site links them (in Dutch, the default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        session = Session.objects.shown().scheduled().upcoming(timezone.now()).order_by("starts_at").first()
        post = Post.objects.filter(slug__startswith="de-spier").first() or Post.objects.first()
        monday = timezone.localtime(sessions["pair"].starts_at).date()
        return {
            "home": reverse("home"),
            "timetable": reverse("classes:timetable"),
            "session": session.get_absolute_url(),
            "offering": reverse("classes:offering", kwargs={"slug": "yin-yoga"}),
            "post": post.get_absolute_url() if post else None,
            "my_bookings": reverse("bookings:my_bookings"),
            "pair_week": reverse("classes:timetable_week", kwargs={"monday": monday - timedelta(days=monday.weekday())}),
            "book": {name: reverse("bookings:book", kwargs={"session_id": s.pk}) for name, s in sessions.items()},
            "member_book": {"book": reverse("bookings:book", kwargs={"session_id": sessions["member_book"].pk}),
                            "calibrate": reverse("bookings:book", kwargs={"session_id": sessions["member_calibrate"].pk})},
        }


def main():
    card_type, _ = ClassCardType.objects.get_or_create(name_nl="Bench-kaart", defaults={
        "name_en": "Bench card", "credits": 1000, "validity_months": 12, "price_cents": 1, "is_on_sale": False})
    start = timezone.now() + timedelta(days=30)
    with transaction.atomic():
        sessions = {
            "book": session_make(start, BOOKERS),            # the credit-booking row: room for every booker
            "calibrate": session_make(start + timedelta(hours=2), BOOKERS),
            "count": session_make(start + timedelta(hours=4), 14),   # one booking whose queries are counted
            "race": session_make(start + timedelta(hours=6), 12),
            # Far ahead, in a week of their own: the two-server check counts the full ones on its page.
            "pair": session_make(start + timedelta(weeks=5), 10),
            "probe": session_make(start + timedelta(weeks=5, hours=2), 1),
            "member_book": session_make(start + timedelta(hours=8), BOOKERS),  # the membership-booking row
            "member_calibrate": session_make(start + timedelta(hours=10), BOOKERS),
            "member_count": session_make(start + timedelta(hours=12), 14),  # one membership booking whose queries are counted
        }
        for_my_bookings = [session_make(start + timedelta(days=day, hours=8), SIGNED_IN) for day in range(1, 1 + BOOKINGS_EACH * 2)]
        clients = clients_make("bench", SIGNED_IN, card_type, "clients.tsv")
        clients_make("booker", BOOKERS, card_type, "bookers.tsv")
        clients_make("racer", RACERS, card_type, "racers.tsv")
        members_make(BOOKERS, "members.tsv", period_start=timezone.now() - timedelta(days=1), period_end=start + timedelta(days=20))
        clients_make("pair", PAIR, card_type, "pair.tsv")
    for index, client in enumerate(clients):
        for session in for_my_bookings[index % 2::2][:BOOKINGS_EACH]:
            booking_create(client=client, session=session, pay_with="card")
    print(json.dumps({
        "sessions": {name: session.pk for name, session in sessions.items()},
        "paths": paths(sessions),
        "signed_in_email": clients[0].email,
        "booker_email": "booker0@example.nl",
        "member_email": "member0@example.nl",
    }))


main()
