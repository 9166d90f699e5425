"""The client's privacy rights: everything the studio holds, as a JSON file and a readable page, and
closing the account: personal data removed or anonymised, payment records kept, no more login."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate, get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from bookings.history import record
from bookings.intake.services import booking_set_touch, intake_for_teacher, intake_save
from bookings.models import Booking, CalendarFeed, ClassCard, CreditEntry, Intake, IntakeAccess, Payment, Refund, WaitlistEntry
from studio import privacy
from tests.factories import BookingFactory, PaymentFactory, SessionFactory, UserFactory, class_card

pytestmark = pytest.mark.django_db
User = get_user_model()

ANSWERS = {
    "emergency_contact_name": "Marieke Zonneveld",
    "emergency_contact_phone": "+31 6 87654321",
    "health_conditions": "Hoge bloeddruk",
    "medication": "Metoprolol",
    "pregnancy": "prefer_not",
    "injuries": "Knieblessure",
    "hopes": "Beter slapen",
    "notes_for_teacher": "Liever achterin",
}
PASSWORD = "rustig-ademen-42"  # tests/factories.py


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def comment_model():
    try:
        from blog.models import Comment
    except ImportError:  # the blog is being written alongside; the export guards the same way
        return None
    return Comment


@pytest.fixture
def story(client_user, teacher_user):
    """A client with something of everything the studio keeps."""
    now = timezone.now()
    booking = BookingFactory(client=client_user)
    record(booking, "booked", actor=client_user, note="Betaalt in de studio")
    booking_set_touch(booking=booking, client=client_user, touch_ok=False)
    past = BookingFactory(client=client_user, session=SessionFactory(starts_at=now - datetime.timedelta(days=7)))
    waiting = WaitlistEntry.objects.create(session=SessionFactory(starts_at=now + datetime.timedelta(days=5)), client=client_user)
    card = class_card(client_user, credits=5)
    payment = PaymentFactory(client=client_user, status=Payment.Status.PAID, receipt_number="2026-0042", paid_at=now,
                             description="Yin yoga 12-03-2026", amount_cents=1750, refunded_cents=500)
    refund = Refund.objects.create(payment=payment, amount_cents=500, reason="cancelled in time", status=Refund.Status.SUCCEEDED,
                                   idempotency_key="test-refund-1")
    intake = intake_save(client=client_user, answers=ANSWERS, consent=True)
    intake_for_teacher(client=client_user, teacher_user=teacher_user)
    CalendarFeed.objects.create(client=client_user)
    comment = None
    Comment = comment_model()
    if Comment is not None:
        from tests.blog.factories import PostFactory

        post = PostFactory(author=None)
        comment = Comment.objects.create(post=post, user=client_user, name="Sanne", email="sanne@example.nl", text="Mooi stuk over de psoas.")
        Comment.objects.create(post=post, name="Sanne (zonder account)", email="SANNE@example.nl", text="Nog een vraag.")
        Comment.objects.create(post=post, name="Iemand anders", email="ander@example.nl", text="Van iemand anders.")
    return {"booking": booking, "past": past, "waiting": waiting, "card": card, "payment": payment, "refund": refund,
            "intake": intake, "comment": comment}


# Seeing and downloading ---------------------------------------------------------------------------------


def test_the_export_holds_every_intake_field_decrypted(client_user, story):
    data = privacy.privacy_export(user=client_user)
    intake = Intake.objects.get(client=client_user)
    every_field = [f.name for f in Intake._meta.concrete_fields if f.name not in ("id", "client")]
    assert set(every_field) <= set(data["intake"])
    for name, value in ANSWERS.items():
        assert data["intake"][name] == value
    assert data["intake"]["consent_given_at"] == timezone.localtime(intake.consent_given_at).isoformat()
    assert [entry["viewer_name"] for entry in data["intake_access_log"]] == ["Manoek Klootwijk"]


def test_the_export_holds_profile_bookings_with_history_waitlist_cards_ledger_payments_and_refunds(client_user, story):
    data = privacy.privacy_export(user=client_user)
    assert data["profile"]["email"] == "sanne@example.nl" and data["profile"]["first_name"] == "Sanne"
    assert data["profile"]["email_addresses"][0]["verified"] is True

    assert {b["id"] for b in data["bookings"]} == {story["booking"].pk, story["past"].pk}
    booked = next(b for b in data["bookings"] if b["id"] == story["booking"].pk)
    assert booked["status"] == "confirmed" and booked["touch_ok"] is False and booked["price_cents"] == 1750
    assert [event["what"] for event in booked["history"]] == ["booked", "touch_preference_set"]
    assert booked["history"][0]["by"] == "you"

    assert data["waitlist"][0]["status"] == "waiting"
    card = data["class_cards"][0]
    assert card["classes_left"] == 5 and [entry["kind"] for entry in card["ledger"]] == ["purchase"]
    assert card["ledger"][0]["delta"] == 5

    payment = data["payments"][0]
    assert (payment["receipt_number"], payment["amount_cents"], payment["refunded_cents"]) == ("2026-0042", 1750, 500)
    assert payment["refunds"][0]["amount_cents"] == 500 and payment["refunds"][0]["status"] == "succeeded"
    assert data["calendar_feed"]["created_at"]


def test_the_export_holds_blog_comments_by_account_and_by_address(client_user, story):
    if comment_model() is None:
        pytest.skip("the blog has no comments yet")
    texts = [comment["text"] for comment in privacy.privacy_export(user=client_user)["blog_comments"]]
    assert texts == ["Mooi stuk over de psoas.", "Nog een vraag."]


def test_download_is_a_json_file_of_my_own_data_only(client, client_user, other_client, story):
    intake_save(client=other_client, answers={"medication": "Iets van Pieter"}, consent=True)
    client.force_login(client_user)
    response = client.get(en("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="studio-tree-of-life-my-data-')
    body = response.content.decode()
    data = json.loads(body)
    assert data["intake"]["health_conditions"] == "Hoge bloeddruk"
    assert "pieter@example.nl" not in body and "Iets van Pieter" not in body


def test_the_readable_page_shows_the_same(client, client_user, story):
    client.force_login(client_user)
    response = client.get(en("privacy:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Marieke Zonneveld", "Hoge bloeddruk", "I prefer not to say", "Yin yoga", "2026-0042", "Manoek Klootwijk",
                 "sanne@example.nl"):
        assert text in html, text


@pytest.mark.parametrize("name", ["privacy:overview", "privacy:download", "privacy:delete_account"])
def test_privacy_pages_need_a_login(client, name):
    response = client.get(en(name))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


# Closing the account ----------------------------------------------------------------------------------------


def close(client, user, **data):
    client.force_login(user)
    return client.post(en("privacy:delete_account"), data or {"password": PASSWORD})


def test_closing_keeps_payments_but_anonymises_the_account_and_blocks_login(client, client_user, story):
    Booking.objects.filter(pk=story["booking"].pk).update(status=Booking.Status.CANCELLED)  # nothing upcoming
    user_id = client_user.pk
    assert client.get(en("privacy:delete_account")).status_code == 302  # not logged in yet
    response = close(client, client_user)
    assert response.status_code == 302 and response["Location"] == en("privacy:deleted")

    user = User.objects.get(pk=user_id)
    assert user.email.startswith(f"deleted-{user_id}-") and user.email.endswith("@deleted.invalid")
    assert (user.first_name, user.last_name, user.phone) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()

    payment = Payment.objects.get(pk=story["payment"].pk)
    assert (payment.client_id, payment.amount_cents, payment.receipt_number, payment.paid_at) == (
        user_id, 1750, "2026-0042", story["payment"].paid_at)
    assert Refund.objects.get(pk=story["refund"].pk).payment_id == payment.pk
    assert Booking.objects.filter(client=user).count() == 2 and not Booking.objects.filter(client=user, touch_ok__isnull=False).exists()
    assert ClassCard.objects.filter(client=user).exists() and CreditEntry.objects.filter(card__client=user).exists()

    assert not Intake.objects.filter(client=user).exists() and not IntakeAccess.objects.filter(client=user).exists()
    assert not CalendarFeed.objects.filter(client=user).exists()
    assert not WaitlistEntry.objects.filter(client=user).exists()

    # Logged out, and no way back in.
    assert "_auth_user_id" not in client.session
    assert client.get(en("privacy:overview")).status_code == 302
    assert authenticate(email="sanne@example.nl", password=PASSWORD) is None
    assert not client.login(email="sanne@example.nl", password=PASSWORD)
    assert client.post(en("account_login"), {"login": "sanne@example.nl", "password": PASSWORD}).status_code == 200
    assert "_auth_user_id" not in client.session

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM studio_user WHERE id = %s", [user_id])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "sanne" not in row.lower() and "de Vries" not in row


def test_closing_anonymises_blog_comments(client, client_user, story):
    Comment = comment_model()
    if Comment is None:
        pytest.skip("the blog has no comments yet")
    Booking.objects.filter(pk=story["booking"].pk).update(status=Booking.Status.CANCELLED)
    close(client, client_user)
    mine = Comment.objects.filter(text__in=["Mooi stuk over de psoas.", "Nog een vraag."])
    assert mine.count() == 2
    for comment in mine:
        assert comment.user_id is None and comment.email == "" and "Sanne" not in comment.name
    assert Comment.objects.get(text="Van iemand anders.").email == "ander@example.nl"


def test_the_page_after_closing_says_what_happened(client, client_user):
    close(client, client_user)
    response = client.get(en("privacy:deleted"))
    assert response.status_code == 200 and "Your account is closed" in response.content.decode()


def test_a_wrong_password_closes_nothing(client, client_user, story):
    Booking.objects.filter(pk=story["booking"].pk).update(status=Booking.Status.CANCELLED)
    response = close(client, client_user, password="niet-mijn-wachtwoord")
    assert response.status_code == 200
    assert "That is not your password. Nothing has been deleted." in response.content.decode()
    user = User.objects.get(pk=client_user.pk)
    assert user.is_active and user.email == "sanne@example.nl"
    assert Intake.objects.filter(client=user).exists()


def test_an_account_without_a_password_confirms_with_typed_words(client):
    user = UserFactory(email="walkin@example.nl", password=None)
    user.set_unusable_password()
    user.save()
    response = close(client, user, confirmation="please go")
    assert response.status_code == 200 and User.objects.get(pk=user.pk).is_active
    response = close(client, user, confirmation="  Delete my ACCOUNT ")
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active


def test_an_upcoming_booking_keeps_the_account_open_with_a_clear_message(client, client_user, story):
    response = close(client, client_user)
    assert response.status_code == 200
    assert "Please cancel it first" in response.content.decode()
    assert User.objects.get(pk=client_user.pk).is_active
    with pytest.raises(privacy.PrivacyError):
        privacy.account_delete(user=client_user)


def test_staff_accounts_are_not_closed_here(client, teacher_user):
    response = close(client, teacher_user)
    assert response.status_code == 200 and "staff account" in response.content.decode()
    assert User.objects.get(pk=teacher_user.pk).is_active


def test_closing_twice_is_harmless(client_user):
    privacy.account_delete(user=client_user)
    first = User.objects.get(pk=client_user.pk).email
    privacy.account_delete(user=User.objects.get(pk=client_user.pk))
    assert User.objects.get(pk=client_user.pk).email.startswith(f"deleted-{client_user.pk}-")
    assert first.endswith("@deleted.invalid")


def test_the_export_needs_no_more_queries_for_more_data(client_user, story):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db) as few:
        privacy.privacy_export(user=client_user)
    start = timezone.now() + datetime.timedelta(days=10)
    for day in range(4):
        booking = BookingFactory(client=client_user, session=SessionFactory(starts_at=start + datetime.timedelta(days=day)))
        record(booking, "booked", actor=client_user)
        PaymentFactory(client=client_user)
    class_card(client_user, credits=10)
    with CaptureQueriesContext(db) as many:
        privacy.privacy_export(user=client_user)
    assert len(many) == len(few)
