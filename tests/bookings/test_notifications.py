"""Emails to clients: their language, Breda wall-clock times, the right words for each case,
absolute links, the .ics attachment, escaping, and no queries per reminder."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from bookings.group import emails as notifications
from bookings.group import jobs, services, waitlist
from bookings.group.cards import card_issue
from bookings.models import Booking, BookingPolicy, ClassCard, WaitlistEntry
from classes.services import session_cancel
from tests.factories import (
    BookingFactory,
    ClassCardTypeFactory,
    PaymentFactory,
    SessionFactory,
    UserFactory,
    class_card,
    local,
)

pytestmark = pytest.mark.django_db

NOW = local(2027, 3, 1, 10, 0)
CLASS_START = local(2027, 3, 2, 19, 30)  # a Tuesday


@pytest.fixture
def session():
    return SessionFactory(starts_at=CLASS_START, ends_at=CLASS_START + timedelta(minutes=75), capacity=6)


@pytest.fixture
def english():
    return UserFactory(first_name="Emma", language="en", email="emma@example.com")


@pytest.fixture
def dutch():
    return UserFactory(first_name="Sanne", language="nl", email="sanne@example.nl")


def link(language, name, **kwargs):
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def in_dutch(msgid, **values):
    """The Dutch text of a message, whatever the catalogue says today."""
    with translation.override("nl"):
        return gettext(msgid) % values


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def only_mail(mailoutbox):
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    return mailoutbox[0]


# Booking confirmed ------------------------------------------------------------------


def test_confirmation_is_in_english_for_an_english_client(mailoutbox, english, session):
    booking = BookingFactory(client=english, session=session)
    notifications.booking_confirmed(booking.pk)
    message = only_mail(mailoutbox)
    assert message.subject == "Your place is booked: Yin yoga on Tuesday 2 March at 19:30"
    assert message.to == ["emma@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.reply_to == [settings.STUDIO_EMAIL]
    assert "Hello Emma," in message.body
    assert "When: Tuesday 2 March 2027, 19:30–20:45" in message.body
    assert "You pay €17.50 at the studio" in message.body
    assert "please cancel before Tuesday 2 March at 07:30" in message.body
    assert "Bring warm socks. You may always rest." in message.body
    assert link("en", "classes:session", pk=session.pk) in message.body
    assert link("en", "bookings:my_bookings") in message.body
    assert "/en/" in link("en", "bookings:my_bookings")
    html = html_of(message)
    assert '<html lang="en">' in html and "Tuesday 2 March 2027" in html
    assert f'href="{link("en", "classes:session", pk=session.pk)}"' in html


def test_confirmation_is_in_dutch_for_a_dutch_client(mailoutbox, dutch, session):
    booking = BookingFactory(client=dutch, session=session)
    notifications.booking_confirmed(booking.pk)
    message = only_mail(mailoutbox)
    assert message.subject == in_dutch("Your place is booked: %(class)s on %(day)s at %(time)s",
                                       **{"class": "Yin yoga", "day": "dinsdag 2 maart", "time": "19:30"})
    assert "dinsdag 2 maart 2027, 19:30–20:45" in message.body
    assert "€\u00a017,50" in message.body
    assert "Neem warme sokken mee." in message.body
    assert link("nl", "classes:session", pk=session.pk) in message.body
    assert "/en/" not in message.body
    assert '<html lang="nl">' in html_of(message)


def test_confirmation_carries_the_booking_as_ics(mailoutbox, english, session):
    booking = BookingFactory(client=english, session=session)
    notifications.booking_confirmed(booking.pk)
    message = only_mail(mailoutbox)
    [part] = message.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename() == f"studio-tree-of-life-{booking.pk}.ics"
    event = Calendar.from_ical(part.get_payload(decode=True)).events[0]
    assert str(event["uid"]) == f"booking-{booking.pk}@studiotreeoflife"
    assert event.start == CLASS_START
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"


def test_booking_with_a_card_says_what_is_left_and_that_it_returns_in_time(
        mailoutbox, english, session, django_capture_on_commit_callbacks):
    class_card(english, credits=5, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(client=english, session=session, pay_with="card", now=NOW)
    message = only_mail(mailoutbox)
    assert "Paid with your 5-class card: 4 classes are left on it." in message.body
    assert "If you cancel before Tuesday 2 March at 07:30, the class goes back on your card." in message.body


def test_a_booking_cancelled_before_the_task_runs_gets_no_confirmation(mailoutbox, english, session):
    booking = BookingFactory(client=english, session=session, status=Booking.Status.CANCELLED)
    notifications.booking_confirmed(booking.pk)
    assert mailoutbox == []


# Cancellations ----------------------------------------------------------------------


def cancel(booking, capture, now=NOW):
    with capture(execute=True):
        services.booking_cancel(booking=booking, now=now)


def test_cancelled_in_time_with_a_card_says_the_class_is_back(mailoutbox, english, session, django_capture_on_commit_callbacks):
    class_card(english, credits=5, now=NOW)
    booking = services.booking_create(client=english, session=session, pay_with="card", now=NOW)
    cancel(booking, django_capture_on_commit_callbacks)
    message = only_mail(mailoutbox)
    assert message.subject == "Your booking is cancelled: Yin yoga on Tuesday 2 March"
    assert "Thank you for letting us know in good time" in message.body
    assert "The class has gone back on your 5-class card: you now have 5 classes on it." in message.body
    event = Calendar.from_ical(message.attachments[0].get_payload(decode=True)).events[0]
    assert str(event["status"]) == "CANCELLED"


def test_cancelled_in_time_after_paying_online_says_the_refund_is_coming(
        mailoutbox, english, session, django_capture_on_commit_callbacks):
    payment = PaymentFactory(client=english, status="paid", paid_at=NOW, receipt_number="2027-00001")
    booking = BookingFactory(client=english, session=session, paid_with="stripe", payment=payment)
    cancel(booking, django_capture_on_commit_callbacks)
    body = only_mail(mailoutbox).body
    assert "We are refunding €17.50 to you. It is on its way" in body


def test_cancelled_in_time_with_the_studio_credit_policy_names_the_credit(
        mailoutbox, english, session, django_capture_on_commit_callbacks):
    policy = BookingPolicy.current()
    policy.drop_in_cancellation = BookingPolicy.DropInCancellation.CREDIT
    policy.save()
    payment = PaymentFactory(client=english, status="paid", paid_at=NOW, receipt_number="2027-00002")
    booking = BookingFactory(client=english, session=session, paid_with="stripe", payment=payment)
    cancel(booking, django_capture_on_commit_callbacks)
    body = only_mail(mailoutbox).body
    credit = ClassCard.objects.get(client=english, card_type__is_studio_credit=True)
    assert "Instead of a refund, you have a studio credit for one class, valid until 1 September 2027." in body
    assert credit.expires_at.date().isoformat() == "2027-09-01"
    assert "refunding" not in body


def test_cancelled_late_kindly_says_the_place_is_freed_and_nothing_returns(
        mailoutbox, english, session, django_capture_on_commit_callbacks):
    class_card(english, credits=5, now=NOW)
    booking = services.booking_create(client=english, session=session, pay_with="card", now=NOW)
    cancel(booking, django_capture_on_commit_callbacks, now=CLASS_START - timedelta(hours=3))
    body = only_mail(mailoutbox).body
    assert "Thank you for letting us know: your place is now free for someone else" in body
    assert "As the class starts within 12 hours, the class on your card is not returned." in body
    assert "gone back" not in body and "refunding" not in body


def test_cancelled_late_at_the_studio_mentions_no_money(mailoutbox, english, session, django_capture_on_commit_callbacks):
    booking = BookingFactory(client=english, session=session)
    cancel(booking, django_capture_on_commit_callbacks, now=CLASS_START - timedelta(hours=3))
    body = only_mail(mailoutbox).body
    assert "your place is now free for someone else" in body
    assert "not returned" not in body and "not refunded" not in body


def test_cancelled_by_the_studio_gives_the_reason_and_what_comes_back(
        mailoutbox, english, dutch, session, django_capture_on_commit_callbacks):
    class_card(english, credits=5, now=NOW)
    services.booking_create(client=english, session=session, pay_with="card", now=NOW)
    payer = UserFactory(language="en", email="payer@example.com")
    payment = PaymentFactory(client=payer, status="paid", paid_at=NOW, receipt_number="2027-00003")
    BookingFactory(client=payer, session=session, paid_with="stripe", payment=payment)
    BookingFactory(client=dutch, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session, reason="Manoek is ill <today>")
    mails = {message.to[0]: message for message in mailoutbox}
    assert set(mails) == {english.email, payer.email, dutch.email}
    card_mail = mails[english.email]
    assert card_mail.subject == "We are sorry: Yin yoga on Tuesday 2 March cannot go ahead"
    assert "The reason: Manoek is ill <today>" in card_mail.body
    assert "The reason: Manoek is ill &lt;today&gt;" in html_of(card_mail)
    assert "The class has gone back on your 5-class card: you now have 5 classes on it." in card_mail.body
    assert "We are refunding €17.50 to you." in mails[payer.email].body
    dutch_mail = mails[dutch.email]
    assert dutch_mail.subject == in_dutch("We are sorry: %(class)s on %(day)s cannot go ahead",
                                          **{"class": "Yin yoga", "day": "dinsdag 2 maart"})
    assert in_dutch("You had not paid for this class yet, so there is nothing to pay.") in dutch_mail.body


# The waitlist and class cards ---------------------------------------------------------


def test_waitlist_offer_links_to_the_claim_page_and_says_until_when(mailoutbox, english, session):
    booking = BookingFactory(client=english, session=session, status=Booking.Status.OFFERED, paid_with="",
                             hold_expires_at=NOW + timedelta(hours=2))
    entry = WaitlistEntry.objects.create(session=session, client=english, status=WaitlistEntry.Status.OFFERED, offer=booking,
                                         offered_at=NOW, offer_expires_at=NOW + timedelta(hours=2))
    notifications.waitlist_offer(entry.pk)
    message = only_mail(mailoutbox)
    claim = link("en", "bookings:waitlist_claim", pk=entry.pk)
    assert claim.startswith(settings.SITE_URL + "/en/")
    assert message.subject == "A place has come free for you: Yin yoga on Tuesday 2 March"
    assert "We hold the place for you until Monday 1 March at 12:00." in message.body
    assert claim in message.body
    assert f'href="{claim}"' in html_of(message)
    assert "you do not need to do anything" in message.body


def test_a_freed_place_sends_the_offer_to_the_first_in_line(mailoutbox, dutch, english, django_capture_on_commit_callbacks):
    now = timezone.now()  # the offer task reads the clock itself
    start = (now + timedelta(days=3)).replace(second=0, microsecond=0)
    small = SessionFactory(starts_at=start, ends_at=start + timedelta(minutes=75), capacity=1)
    taken = services.booking_create(client=dutch, session=small, pay_with="studio", now=now, by_staff=True)
    entry = waitlist.waitlist_join(client=english, session=small, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=taken, now=now)
    offers = [m for m in mailoutbox if m.to == [english.email]]
    assert len(offers) == 1
    assert link("en", "bookings:waitlist_claim", pk=entry.pk) in offers[0].body


def test_card_bought_gives_the_credits_expiry_and_receipt(mailoutbox, english):
    card_type = ClassCardTypeFactory(name_nl="5-lessenkaart", name_en="5-class card", credits=5, validity_months=3, price_cents=8000)
    payment = PaymentFactory(client=english, purpose="class_card", card_type=card_type, amount_cents=8000, status="paid",
                             paid_at=NOW, receipt_number="2027-00004")
    card_issue(client=english, card_type=card_type, now=NOW, payment=payment)
    notifications.card_bought(payment.pk)
    message = only_mail(mailoutbox)
    receipt = link("en", "bookings:receipt", pk=payment.pk)
    assert receipt.startswith(settings.SITE_URL + "/en/")
    assert message.subject == "Your class card is ready: 5-class card"
    assert "5 classes, valid until Tuesday 1 June 2027." in message.body
    assert "Paid: €80.00." in message.body
    assert receipt in message.body and f'href="{receipt}"' in html_of(message)


def test_card_expiring_message_says_what_is_left_and_until_when(mailoutbox, dutch, english):
    card = class_card(english, credits=5, now=NOW)
    card = ClassCard.objects.select_related("client", "card_type").get(pk=card.pk)
    message = notifications.card_expiring_message(card, classes_left=3)
    assert mailoutbox == []  # built, not sent
    assert message.subject == "Your 5-class card is valid until 1 June"
    assert "there are 3 classes left on your 5-class card, which is valid until Tuesday 1 June 2027." in message.body
    dutch_card = class_card(dutch, credits=5, now=NOW)
    dutch_message = notifications.card_expiring_message(ClassCard.objects.select_related("client", "card_type").get(pk=dutch_card.pk))
    assert dutch_message.subject == in_dutch("Your %(card)s is valid until %(until)s", card="5-lessenkaart", until="1 juni")
    assert "dinsdag 1 juni 2027" in dutch_message.body


# Reminders ----------------------------------------------------------------------------


def as_the_job_selects(booking):
    return Booking.objects.select_related("client", "session__offering", "session__teacher__user", "session__room").get(pk=booking.pk)


def test_reminder_message_makes_no_queries(english, session, mailoutbox, django_assert_num_queries):
    booking = as_the_job_selects(BookingFactory(client=english, session=session))
    with django_assert_num_queries(0):
        message = notifications.reminder_message(booking)
    assert mailoutbox == []
    assert message.subject == "See you soon: Yin yoga on Tuesday 2 March at 19:30"
    assert "Bring warm socks" in message.body and "<p>Bring warm socks" in html_of(message)


def test_the_reminder_job_sends_once_in_each_language(mailoutbox, english, dutch, session):
    BookingFactory(client=english, session=session)
    BookingFactory(client=dutch, session=session)
    assert jobs.reminders_send(now=CLASS_START - timedelta(hours=20)) == 2
    assert jobs.reminders_send(now=CLASS_START - timedelta(hours=19)) == 0
    mails = {m.to[0]: m for m in mailoutbox}
    assert "Tuesday 2 March" in mails[english.email].subject
    assert "dinsdag 2 maart" in mails[dutch.email].subject


@pytest.mark.parametrize(("start", "english_day", "dutch_day"), [
    (local(2027, 3, 28, 19, 30), "Sunday 28 March 2027", "zondag 28 maart 2027"),  # summer time begins that night
    (local(2027, 10, 31, 19, 30), "Sunday 31 October 2027", "zondag 31 oktober 2027"),  # winter time begins that night
])
def test_a_dst_week_booking_shows_the_breda_wall_clock_time(mailoutbox, english, dutch, start, english_day, dutch_day):
    dst_session = SessionFactory(starts_at=start, ends_at=start + timedelta(minutes=75))
    BookingFactory(client=english, session=dst_session)
    BookingFactory(client=dutch, session=dst_session)
    jobs.reminders_send(now=start - timedelta(hours=23))  # the day before, still on the other clock
    mails = {m.to[0]: m for m in mailoutbox}
    assert f"{english_day}, 19:30–20:45" in mails[english.email].body
    assert f"{dutch_day}, 19:30–20:45" in mails[dutch.email].body


# Escaping -----------------------------------------------------------------------------


def test_names_and_notes_are_escaped_in_the_html(mailoutbox):
    client = UserFactory(first_name="<script>alert(1)</script>", language="en")
    noted = SessionFactory(starts_at=CLASS_START, ends_at=CLASS_START + timedelta(minutes=75), note="<script>steal()</script> Bring a blanket")
    booking = BookingFactory(client=client, session=noted)
    notifications.booking_confirmed(booking.pk)
    reminder = notifications.reminder_message(as_the_job_selects(booking))
    for message in (only_mail(mailoutbox), reminder):
        html = html_of(message)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;script&gt;steal()&lt;/script&gt; Bring a blanket" in html
        assert "<script>steal()</script> Bring a blanket" in message.body  # plain text stays as written
