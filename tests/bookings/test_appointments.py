"""One-to-one sessions, called directly with the time passed in: booking (online or with a programme
credit), paying, moving, cancelling within the policy, the teacher's emails, and bad input that is
refused with a clear message and leaves nothing behind."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from bookings.errors import BookingError, IntakeMissing
from bookings.models import Appointment, Payment, ProgrammeCreditEntry, ProgrammeEnrolment, Refund
from bookings.payments import checkout, fulfilment
from bookings.personal import appointments, availability, jobs
from tests.factories import (
    individual_tre_type,
    intake_for,
    local,
)

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 8, 0)  # a Monday
TUESDAY_10 = local(2026, 6, 9, 10, 0)


@pytest.fixture
def client_with_intake(client_user):
    intake_for(client_user)
    return client_user


def credits_for(client, kind, *, count=3):
    """An active one-to-one programme with its credits, as a paid purchase leaves it."""
    enrolment = ProgrammeEnrolment.objects.create(client=client, offering=kind.offering, appointment_type=kind, status="active",
                                                  sessions_total=count, price_cents=22500, created_at=NOW)
    ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=count, kind="purchase", created_at=NOW)
    return enrolment


def book(client, kind, start=TUESDAY_10, pay_with="stripe", now=NOW):
    return appointments.appointment_book(client=client, appointment_type=kind, starts_at=start, pay_with=pay_with, now=now)


def pay(fake_stripe, appointment, *, now=NOW, method="ideal"):
    checkout.checkout_start(payment=appointment.payment, line_name="Sessie", client=appointment.client,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    appointment.payment.refresh_from_db()
    fake_stripe.pay(appointment.payment.stripe_checkout_id, method=method)
    return fulfilment.payment_fulfil(checkout_id=appointment.payment.stripe_checkout_id, now=now)


# Booking and paying --------------------------------------------------------------------


def test_booking_online_holds_the_time_while_paying(client_with_intake, energetic):
    appointment = book(client_with_intake, energetic)
    assert appointment.status == "pending_payment" and appointment.ends_at == TUESDAY_10 + timedelta(minutes=90)
    assert appointment.payment.amount_cents == 10500 and appointment.payment.purpose == "appointment"
    assert TUESDAY_10 not in availability.free_slots(energetic, now=NOW)
    later = NOW + timedelta(minutes=16)  # the hold (15 minutes) ran out
    assert TUESDAY_10 in availability.free_slots(energetic, now=later)


def test_paying_confirms_and_tells_client_and_teacher(fake_stripe, client_with_intake, energetic, mailoutbox, committed):
    appointment = book(client_with_intake, energetic)
    with committed():
        pay(fake_stripe, appointment)
    appointment.refresh_from_db()
    assert appointment.status == "confirmed" and appointment.payment.status == "paid"
    to_client = [m for m in mailoutbox if m.to == [client_with_intake.email]]
    to_teacher = [m for m in mailoutbox if m.to == [energetic.teacher.user.email]]
    assert len(to_client) == 1 and len(to_teacher) == 1
    assert "Je sessie is geboekt" in to_client[0].subject and "dinsdag 9 juni" in to_client[0].subject
    assert "Nieuwe individuele sessie" in to_teacher[0].subject and "Sanne de Vries" in to_teacher[0].subject
    calendar = Calendar.from_ical(to_client[0].attachments[0].get_payload(decode=True))
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart").hour == 10 and str(event["status"]) == "CONFIRMED"
    with committed():
        fulfilment.payment_fulfil(checkout_id=appointment.payment.stripe_checkout_id, now=NOW)  # the webhook, again
    assert len(mailoutbox) == 2


def test_a_payment_after_the_hold_ran_out_is_refunded_when_the_time_was_taken(fake_stripe, client_with_intake, energetic,
                                                                              other_client, committed, mailoutbox):
    slow = book(client_with_intake, energetic)
    intake_for(other_client)
    later = NOW + timedelta(minutes=20)
    quick = book(other_client, energetic, start=TUESDAY_10 + timedelta(minutes=30), now=later)
    assert Appointment.objects.get(pk=slow.pk).status == "released"
    with committed():
        pay(fake_stripe, slow, now=later + timedelta(minutes=1))
    assert Appointment.objects.get(pk=slow.pk).status == "released"
    assert Refund.objects.get(payment=slow.payment).amount_cents == 10500
    assert Appointment.objects.get(pk=quick.pk).status == "pending_payment"
    [told] = [m for m in mailoutbox if m.to == [client_with_intake.email] and "terugbetaald" in m.subject]
    assert "€\u00a0105,00" in told.subject and "aan iemand anders" in told.body  # she hears why, even with the page closed


def test_booking_with_a_programme_credit_confirms_at_once(client_with_intake, teacher, mailoutbox, committed):
    tre = individual_tre_type(teacher=teacher)
    enrolment = credits_for(client_with_intake, tre)
    with committed():
        appointment = book(client_with_intake, tre, pay_with="programme")
    assert appointment.status == "confirmed" and appointment.enrolment == enrolment and appointment.payment is None
    assert enrolment.balance == 2
    assert {m.to[0] for m in mailoutbox} == {client_with_intake.email, teacher.user.email}


def test_the_hold_job_gives_unpaid_time_back(client_with_intake, energetic):
    appointment = book(client_with_intake, energetic)
    jobs.expired_holds_release(now=NOW + timedelta(minutes=16))
    assert Appointment.objects.get(pk=appointment.pk).status == "released"


# Refusals: a clear message, nothing saved ---------------------------------------------


def nothing_saved():
    return not Appointment.objects.exists() and not Payment.objects.exists()


@pytest.mark.parametrize("start,message", [
    (local(2026, 6, 9, 18, 0), "niet .*vrij"),             # after her hours
    (local(2026, 6, 6, 10, 0), "niet .*vrij"),             # a Saturday
    (local(2026, 6, 9, 10, 5), "niet .*vrij"),             # off the grid
    (local(2026, 6, 1, 12, 0), "niet .*vrij"),             # within the minimum notice
    (local(2026, 5, 29, 10, 0), "al voorbij"),             # in the past
    (local(2026, 12, 1, 10, 0), "niet .*vrij"),            # beyond the horizon
])
def test_a_moment_outside_her_free_time_is_refused(client_with_intake, energetic, start, message):
    with pytest.raises(BookingError, match=message):
        book(client_with_intake, energetic, start=start)
    assert nothing_saved()


def test_a_taken_moment_is_refused(client_with_intake, energetic, other_client):
    book(client_with_intake, energetic)
    intake_for(other_client)
    with pytest.raises(BookingError, match="niet .*vrij"):
        book(other_client, energetic, start=TUESDAY_10 + timedelta(minutes=45))
    assert Appointment.objects.count() == 1 and Payment.objects.count() == 1


def test_without_an_intake_nothing_is_booked(client_user, energetic):
    with pytest.raises(IntakeMissing, match="intakeformulier"):
        book(client_user, energetic)
    assert nothing_saved()


def test_a_programme_credit_is_not_for_another_kind_of_session(client_with_intake, teacher, energetic):
    credits_for(client_with_intake, individual_tre_type(teacher=teacher))
    with pytest.raises(BookingError, match="geen sessies van je traject"):
        book(client_with_intake, energetic, pay_with="programme")
    assert nothing_saved()


def test_an_unknown_way_of_paying_and_an_inactive_kind_are_refused(client_with_intake, energetic):
    with pytest.raises(BookingError, match="hoe je wilt betalen"):
        book(client_with_intake, energetic, pay_with="free")
    energetic.is_active = False
    energetic.save()
    with pytest.raises(BookingError, match="niet boeken"):
        book(client_with_intake, energetic)
    assert nothing_saved()


def test_a_programme_only_kind_cannot_be_bought_alone(client_with_intake, teacher):
    tre = individual_tre_type(teacher=teacher, is_bookable_alone=False)
    with pytest.raises(BookingError, match="onderdeel van het traject"):
        book(client_with_intake, tre)
    assert nothing_saved()


@pytest.mark.parametrize("value", ["", "morgen", "2026-06-09T10:00:00", "2026-06-09"])
def test_a_start_that_is_not_a_moment_from_the_list_is_refused(value):
    with pytest.raises(BookingError, match="Kies een tijd uit de lijst"):
        appointments.parse_start(value)


# Moving and cancelling ----------------------------------------------------------------


@pytest.fixture
def booked(fake_stripe, client_with_intake, energetic, committed):
    appointment = book(client_with_intake, energetic)
    with committed():
        pay(fake_stripe, appointment)
    appointment.refresh_from_db()
    return appointment


def test_moving_keeps_the_payment_and_tells_both(booked, energetic, mailoutbox, committed):
    mailoutbox.clear()
    new_start = local(2026, 6, 11, 14, 0)
    with committed():
        appointments.appointment_move(appointment=booked, new_start=new_start, now=NOW)
    booked.refresh_from_db()
    assert booked.starts_at == new_start and booked.ends_at == new_start + timedelta(minutes=90)
    assert booked.status == "confirmed" and booked.payment.status == "paid"
    assert TUESDAY_10 in availability.free_slots(energetic, now=NOW)
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert "verzet" in subjects[booked.client.email] and "verzet" in subjects[energetic.teacher.user.email]
    event = next(iter(Calendar.from_ical(mailoutbox[0].attachments[0].get_payload(decode=True)).walk("VEVENT")))
    assert int(event["sequence"]) == 1 and event.decoded("dtstart").day == 11


def test_moving_late_or_onto_a_taken_moment_is_refused(booked, energetic, other_client):
    intake_for(other_client)
    book(other_client, energetic, start=local(2026, 6, 12, 10, 0))
    with pytest.raises(BookingError, match="niet .*vrij"):
        appointments.appointment_move(appointment=booked, new_start=local(2026, 6, 12, 11, 0), now=NOW)
    with pytest.raises(BookingError, match="verzetten kan hier niet meer"):
        appointments.appointment_move(appointment=booked, new_start=local(2026, 6, 11, 14, 0), now=TUESDAY_10 - timedelta(hours=2))
    booked.refresh_from_db()
    assert booked.starts_at == TUESDAY_10


def test_cancelling_in_time_refunds_once_and_tells_the_teacher(booked, mailoutbox, committed):
    mailoutbox.clear()
    with committed():
        terms = appointments.appointment_cancel(appointment=booked, now=NOW)
    assert terms.early and terms.refund_cents == 10500
    with pytest.raises(BookingError, match="al geannuleerd"):
        appointments.appointment_cancel(appointment=booked, now=NOW)
    assert Refund.objects.filter(payment=booked.payment).count() == 1
    assert {m.to[0] for m in mailoutbox} == {booked.client.email, booked.teacher.user.email}
    assert any("terug" in m.body for m in mailoutbox if m.to == [booked.client.email])


def test_cancelling_late_returns_nothing(booked):
    terms = appointments.appointment_cancel(appointment=booked, now=TUESDAY_10 - timedelta(hours=2))
    assert not terms.early and not terms.refund_cents and not Refund.objects.exists()
    assert Appointment.objects.get(pk=booked.pk).late_cancellation


def test_a_programme_credit_comes_back_once_when_cancelled_in_time(client_with_intake, teacher):
    tre = individual_tre_type(teacher=teacher)
    enrolment = credits_for(client_with_intake, tre)
    appointment = book(client_with_intake, tre, pay_with="programme")
    appointments.appointment_cancel(appointment=appointment, now=NOW)
    assert enrolment.balance == 3
    late = book(client_with_intake, tre, pay_with="programme", start=local(2026, 6, 10, 10, 0))
    appointments.appointment_cancel(appointment=late, now=local(2026, 6, 10, 8, 0))
    assert enrolment.balance == 2
    assert list(enrolment.credit_entries.values_list("kind", flat=True)) == ["purchase", "use", "return", "use"]


def test_attendance_waits_for_the_session(booked, teacher):
    with pytest.raises(BookingError, match="half uur voor"):
        appointments.attendance_set(appointment=booked, attendance="present", actor=teacher.user, now=NOW)
    appointments.attendance_set(appointment=booked, attendance="present", actor=teacher.user, now=TUESDAY_10 + timedelta(hours=1))
    assert Appointment.objects.get(pk=booked.pk).attendance == "present"


def test_the_private_calendar_feed_holds_one_to_ones_and_their_changes(booked):
    from bookings import calendars

    appointments.appointment_move(appointment=booked, new_start=local(2026, 6, 11, 14, 0), now=NOW)
    calendar = Calendar.from_ical(calendars.client_feed_ics(booked.client, now=NOW))
    [event] = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("appointment-")]
    assert event.decoded("dtstart").day == 11 and int(event["sequence"]) == 1 and str(event["status"]) == "CONFIRMED"
    appointments.appointment_cancel(appointment=booked, now=NOW)
    calendar = Calendar.from_ical(calendars.client_feed_ics(booked.client, now=NOW))
    [event] = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("appointment-")]
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 2


def test_a_quiet_reminder_goes_out_once_before_the_session(booked, mailoutbox):
    mailoutbox.clear()
    the_day_before = TUESDAY_10 - timedelta(hours=20)
    assert jobs.reminders_send(now=the_day_before) == 1
    assert jobs.reminders_send(now=the_day_before + timedelta(minutes=5)) == 0
    [message] = mailoutbox
    assert message.to == [booked.client.email] and "Tot snel" in message.subject
    assert "Energetische Sessie" in message.body


def test_building_a_reminder_makes_no_queries(booked, django_assert_num_queries):
    from bookings.personal import emails as personal_mail

    appointment = Appointment.objects.select_related("client", "appointment_type", "teacher__user").get(pk=booked.pk)
    with django_assert_num_queries(0):
        personal_mail.reminder_message(appointment)
