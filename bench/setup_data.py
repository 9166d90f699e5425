"""Data for `make bench`, made inside the bench's throwaway database (run through
`manage.py shell`). Prints one JSON line: who can sign in, which sessions to book."""

import json
import sys
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone

from bookings.group.cards import card_issue
from bookings.models import ClassCardType
from classes.models import Offering, Room, Session, Teacher

User = get_user_model()
CLIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 32


def session_cookie(user, csrf):
    store = SessionStore()
    store.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                  "_auth_user_hash": user.get_session_auth_hash()})
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; csrftoken={csrf}"


def main():
    offering = Offering.objects.get(slug="yin-yoga")
    teacher, room = Teacher.objects.first(), Room.objects.first()
    card_type, _ = ClassCardType.objects.get_or_create(name_nl="Bench-kaart", defaults={
        "name_en": "Bench card", "credits": 1000, "validity_months": 12, "price_cents": 1, "is_on_sale": False})
    start = timezone.now() + timedelta(days=30)
    sessions = Session.objects.bulk_create([
        Session(offering=offering, teacher=teacher, room=room, starts_at=start + timedelta(hours=i), ends_at=start + timedelta(hours=i, minutes=45),
                capacity=14)
        for i in range(400)
    ])
    race = Session.objects.create(offering=offering, teacher=teacher, room=room, starts_at=start - timedelta(days=1),
                                  ends_at=start - timedelta(days=1) + timedelta(hours=1), capacity=12)
    clients = []
    for index in range(CLIENTS):
        user = User.objects.create_user(email=f"bench{index}@example.nl", first_name="Bench", last_name=str(index))
        card_issue(client=user, card_type=card_type)
        csrf = _get_new_csrf_string()
        clients.append({"cookie": session_cookie(user, csrf), "csrf": csrf})
    racers = []
    for index in range(500):
        user = User.objects.create_user(email=f"racer{index}@example.nl", first_name="Racer", last_name=str(index))
        card_issue(client=user, card_type=card_type)
        csrf = _get_new_csrf_string()
        racers.append({"cookie": session_cookie(user, csrf), "csrf": csrf})
    print(json.dumps({"clients": clients, "sessions": [s.pk for s in sessions], "race_session": race.pk, "racers": racers}))


main()
