"""The reminder job renders each class's reminder once per language and greeting, and every client
still gets exactly the message written for her alone."""

from datetime import timedelta

import pytest
from django.test.signals import template_rendered

from bookings.group import emails, jobs
from bookings.models import Booking
from tests.factories import BookingFactory, SessionFactory, UserFactory, local

pytestmark = pytest.mark.django_db

START = local(2027, 3, 2, 19, 30)
NAMES = [("Sanne", "nl"), ("Tom & <b>Jerry</b>", "en"), ("", "nl"), ("", "en"), ("Anouk", "nl"), ("Émile", "en")]


def as_the_job_selects():
    return list(Booking.objects.select_related("client", "session__offering", "session__teacher__user", "session__room").order_by("pk"))


@pytest.fixture
def two_classes(db):
    first = SessionFactory(starts_at=START)
    second = SessionFactory(starts_at=START + timedelta(hours=1), offering=first.offering)
    for session in (first, second):
        for index, (name, language) in enumerate(NAMES):
            client = UserFactory(first_name=name, language=language, email=f"{session.pk}-{index}@example.nl")
            BookingFactory(client=client, session=session)
    return first, second


def test_each_client_gets_the_message_written_for_her(two_classes):
    bookings = as_the_job_selects()
    batch = emails.reminder_messages(bookings)
    assert len(batch) == len(bookings) == 12
    for booking, message in zip(bookings, batch, strict=True):
        alone = emails.reminder_message(booking)
        assert message.to == [booking.client.email] == alone.to
        assert (message.subject, message.body, message.alternatives) == (alone.subject, alone.body, alone.alternatives)
        assert message.reply_to == alone.reply_to and message.from_email == alone.from_email
        assert emails.NAME_MARK not in message.body + message.alternatives[0][0]
    jerry = next(m for b, m in zip(bookings, batch, strict=True) if b.client.first_name.startswith("Tom"))
    assert "Hello Tom & <b>Jerry</b>," in jerry.body
    assert "Hello Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;," in jerry.alternatives[0][0]


def test_a_class_is_rendered_once_per_language_and_greeting(two_classes):
    rendered = []

    def count(sender, template, **kwargs):
        if template.name == "bookings/email/reminder.txt":
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        emails.reminder_messages(as_the_job_selects())
    finally:
        template_rendered.disconnect(count)
    assert len(rendered) == 2 * 4  # two classes × (Dutch, English) × (with a name, without)


def test_the_job_sends_each_reminder_once_through_the_batch(two_classes, mailoutbox):
    assert jobs.reminders_send(now=START - timedelta(hours=20)) == 12
    assert jobs.reminders_send(now=START - timedelta(hours=19)) == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(b.client.email for b in Booking.objects.select_related("client"))
    dutch = next(m for m in mailoutbox if m.to[0].endswith("-0@example.nl"))
    assert "Hallo Sanne," in dutch.body


def test_the_studios_own_text_holding_the_mark_is_written_one_by_one(two_classes):
    first, _second = two_classes
    offering = first.offering
    offering.what_to_expect_nl = offering.what_to_expect_en = f"Een teken {emails.NAME_MARK} in de tekst."
    offering.save()
    bookings = as_the_job_selects()
    for booking, message in zip(bookings, emails.reminder_messages(bookings), strict=True):
        alone = emails.reminder_message(booking)
        assert (message.to, message.body, message.alternatives) == (alone.to, alone.body, alone.alternatives)
        assert message.body.count(emails.NAME_MARK) == 1  # the studio's own character, not a name
