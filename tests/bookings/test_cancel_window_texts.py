"""Booking a class inside the cancellation window: the booking page and the confirmation email say that
cancelling free of charge is no longer possible (with the rule), instead of promising it until a moment
already past ("Je kunt kosteloos annuleren tot zondag 29 november, 19:30"). Time frozen on both sides of
the deadline (Sunday 29 November 19:30 for a class on Monday 30 November 19:30, with a 24-hour window)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from bookings.group import services
from bookings.group.terms import cancel_terms
from bookings.models import BookingPolicy
from tests.factories import SessionFactory, class_card, local

pytestmark = pytest.mark.django_db

STARTS = local(2026, 11, 30, 19, 30)
BEFORE_DEADLINE = local(2026, 11, 29, 18, 0)
AFTER_DEADLINE = local(2026, 11, 29, 20, 0)
PROMISE = "Je kunt kosteloos annuleren tot zondag 29 november, 19:30"
NO_LONGER = "Kosteloos annuleren kan voor deze les niet meer: dat kan tot 24 uur voor de les begint."
NEUTRAL_ASK = "Boek je en kun je toch niet komen, annuleer dan wel, zodat iemand anders je plek kan krijgen."


@pytest.fixture
def session(db):
    BookingPolicy.objects.update_or_create(pk=1, defaults={"cancel_window_hours": 24, "intake_before_first_group_class": False})
    return SessionFactory(starts_at=STARTS, ends_at=local(2026, 11, 30, 20, 45), capacity=8)


def booking_page(logged_in, session, moment):
    with time_machine.travel(moment, tick=False):
        response = logged_in.get(f"/boeken/{session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def confirmation(client_user, session, moment, committed):
    class_card(client_user, credits=5, now=local(2026, 11, 1, 12, 0))
    with time_machine.travel(moment, tick=False), committed():
        services.booking_create(client=client_user, session=session, pay_with="card", now=moment)
    [message] = [m for m in mail.outbox if m.to == [client_user.email]]
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    return message.body, html


def test_the_booking_page_promises_free_cancelling_before_the_deadline(logged_in, session):
    html = booking_page(logged_in, session, BEFORE_DEADLINE)
    assert PROMISE in html and NO_LONGER not in html


def test_the_booking_page_says_free_cancelling_has_passed_inside_the_window(logged_in, session):
    html = booking_page(logged_in, session, AFTER_DEADLINE)
    assert NO_LONGER in html
    assert "kosteloos annuleren tot zondag" not in html


def test_the_booking_page_words_the_passed_deadline_without_naming_a_loss(logged_in, session):
    """Before she chose how to pay (a membership, at the studio, online) the page cannot say what is lost."""
    html = booking_page(logged_in, session, AFTER_DEADLINE)
    assert f"<p>{NO_LONGER} {NEUTRAL_ASK}</p>" in html


@pytest.mark.parametrize(("paid_with", "before", "after"), [
    (None, "Je kunt kosteloos annuleren tot zondag 29 november, 19:30: je krijgt je les of je geld terug.", NEUTRAL_ASK),
    ("card", "Als je annuleert vóór zondag 29 november om 19:30, komt de les terug op je kaart.", "je krijgt dan niets terug."),
    ("stripe", "Als je annuleert vóór zondag 29 november om 19:30, krijg je je geld terug.", "je krijgt dan niets terug."),
    ("membership", "Als je annuleert vóór zondag 29 november om 19:30, telt de les niet meer mee voor je abonnement.",
     "de les telt dan als gebruikt."),
    ("studio", "annuleer dan vóór zondag 29 november om 19:30, zodat iemand anders je plek kan krijgen.",
     "Deze les begint binnen 24 uur."),
])
def test_one_function_words_the_terms_for_every_way_to_pay(session, paid_with, before, after):
    policy = BookingPolicy.current()
    free_until = STARTS - timedelta(hours=24)
    with translation.override("nl"):
        early = cancel_terms(paid_with=paid_with, free_until=free_until, now=BEFORE_DEADLINE, policy=policy)
        late = cancel_terms(paid_with=paid_with, free_until=free_until, now=AFTER_DEADLINE, policy=policy)
    assert before in early and "zondag 29 november" not in late and after in late
    assert (NO_LONGER in late) == (paid_with != "studio")


def test_a_studio_credit_policy_promises_a_credit(session):
    policy = BookingPolicy.current()
    policy.drop_in_cancellation = BookingPolicy.DropInCancellation.CREDIT
    with translation.override("en"):
        text = cancel_terms(paid_with="stripe", free_until=STARTS - timedelta(hours=24), now=BEFORE_DEADLINE, policy=policy)
    assert text == ("Plans can change, and that is all right. If you cancel before Sunday 29 November at 19:30, you receive a studio "
                    "credit for another class. Cancelling later still frees your place for someone else, but then nothing is returned.")


def test_the_confirmation_promises_free_cancelling_before_the_deadline(client_user, session, committed):
    text, html = confirmation(client_user, session, BEFORE_DEADLINE, committed)
    assert "zondag 29 november" in text and "zondag 29 november" in html
    assert NO_LONGER not in text


def test_the_confirmation_says_free_cancelling_has_passed_inside_the_window(client_user, session, committed):
    text, html = confirmation(client_user, session, AFTER_DEADLINE, committed)
    assert NO_LONGER in text and NO_LONGER in html
    assert "je krijgt dan niets terug" in text
    assert "zondag 29 november" not in text and "zondag 29 november" not in html


def test_the_english_booking_page_says_it_too(client, client_user, session):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    client.force_login(client_user)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        html = client.get(f"/en/book/{session.pk}/").content.decode()
    assert "Cancelling free of charge is no longer possible for this class: that can be done until 24 hours before it begins." in html
