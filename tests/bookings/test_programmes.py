"""Programmes: a group on fixed dates (one purchase, one place on every date, never above capacity,
cancelled as a whole) and one-to-one (credits spent once, only on their own kind of session), and the
journey, where only attended sessions count."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from bookings.books.movements import movements
from bookings.books.periods import Period
from bookings.errors import BookingError, IntakeMissing
from bookings.group import services
from bookings.models import (
    Appointment,
    Booking,
    Invoice,
    Payment,
    ProgrammeCreditEntry,
    ProgrammeEnrolment,
    Refund,
    VoucherEntry,
    VoucherProduct,
)
from bookings.payments import checkout, fulfilment, voucher_ledger
from bookings.personal import appointments, jobs, journeys, notes, programmes
from classes.models import Session
from classes.services import session_cancel
from tests.factories import (
    AppointmentTypeFactory,
    UserFactory,
    intake_for,
    local,
    programme_run,
)
from tests.vouchers.conftest import issued

pytestmark = pytest.mark.django_db

NOW = local(2026, 6, 1, 8, 0)
FIRST_DATE = local(2026, 6, 11, 19, 30)  # a Thursday evening; then the 18th and the 25th


@pytest.fixture
def run():
    return programme_run(starts=FIRST_DATE, capacity=2, price_cents=19500)


def client_named(name):
    client = UserFactory(email=f"{name}@example.nl", first_name=name.title())
    intake_for(client)
    return client


def paid(fake_stripe, payment, *, now=NOW):
    checkout.checkout_start(payment=payment, line_name="TRE", client=payment.client,
                            success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://testserver/no")
    payment.refresh_from_db()
    fake_stripe.pay(payment.stripe_checkout_id, method="ideal")
    return fulfilment.payment_fulfil(checkout_id=payment.stripe_checkout_id, now=now)


def places(run):
    return [(s.places_taken, Booking.objects.filter(session=s).holding_a_place().count()) for s in run.sessions.order_by("starts_at")]


# In a group --------------------------------------------------------------------------------


def test_the_run_has_three_weekly_dates_in_breda_time(run):
    dates = list(run.sessions.order_by("starts_at"))
    assert [d.starts_at.astimezone(FIRST_DATE.tzinfo).strftime("%a %d %H:%M") for d in dates] == [
        "Thu 11 19:30", "Thu 18 19:30", "Thu 25 19:30"]
    assert all(d.capacity == 2 and d.programme_run == run and d.duration_minutes == 90 for d in dates)


def test_one_purchase_holds_a_place_on_every_date(run):
    enrolment = programmes.group_enrol(client=client_named("anna"), run=run, now=NOW)
    assert enrolment.status == "pending_payment" and enrolment.payment.amount_cents == 19500
    assert places(run) == [(1, 1)] * 3
    assert set(enrolment.bookings.values_list("status", flat=True)) == {"pending_payment"}


def test_never_more_people_than_places_on_any_date(run):
    programmes.group_enrol(client=client_named("anna"), run=run, now=NOW)
    programmes.group_enrol(client=client_named("bram"), run=run, now=NOW)
    with pytest.raises(BookingError, match="vol"):
        programmes.group_enrol(client=client_named("cees"), run=run, now=NOW)
    assert places(run) == [(2, 2)] * 3
    assert ProgrammeEnrolment.objects.count() == 2 and Payment.objects.count() == 2


def test_a_date_that_is_full_on_its_own_closes_the_whole_group(run):
    last = run.sessions.order_by("starts_at").last()
    Session.objects.filter(pk=last.pk).update(capacity=1)
    programmes.group_enrol(client=client_named("anna"), run=run, now=NOW)
    with pytest.raises(BookingError, match="vol"):
        programmes.group_enrol(client=client_named("bram"), run=run, now=NOW)
    assert places(run) == [(1, 1), (1, 1), (1, 1)]


def test_a_group_needs_the_intake_and_one_place_per_client(run):
    with pytest.raises(IntakeMissing):
        programmes.group_enrol(client=UserFactory(email="nieuw@example.nl"), run=run, now=NOW)
    anna = client_named("anna")
    programmes.group_enrol(client=anna, run=run, now=NOW)
    with pytest.raises(BookingError, match="al een plek"):
        programmes.group_enrol(client=anna, run=run, now=NOW)
    assert places(run) == [(1, 1)] * 3


def test_a_date_of_the_group_cannot_be_booked_on_its_own(run):
    date = run.sessions.first()
    with pytest.raises(BookingError, match="hoort bij een traject"):
        services.booking_create(client=client_named("anna"), session=date, pay_with="stripe", now=NOW)


def test_paying_confirms_every_date_with_one_email_and_all_dates_in_the_calendar(fake_stripe, run, mailoutbox, committed):
    anna = client_named("anna")
    enrolment = programmes.group_enrol(client=anna, run=run, now=NOW)
    with committed():
        paid(fake_stripe, enrolment.payment)
        fulfilment.payment_fulfil(checkout_id=enrolment.payment.stripe_checkout_id, now=NOW)  # the webhook after the return page
    enrolment.refresh_from_db()
    assert enrolment.status == "active"
    assert set(enrolment.bookings.values_list("status", flat=True)) == {"confirmed"}
    [message] = mailoutbox
    assert "Je plek in het traject is geboekt" in message.subject
    events = list(Calendar.from_ical(message.attachments[0].get_payload(decode=True)).walk("VEVENT"))
    assert len(events) == 3


def test_an_unpaid_hold_gives_every_date_back(run):
    enrolment = programmes.group_enrol(client=client_named("anna"), run=run, now=NOW)
    jobs.expired_holds_release(now=NOW + timedelta(minutes=16))
    assert ProgrammeEnrolment.objects.get(pk=enrolment.pk).status == "released"
    assert places(run) == [(0, 0)] * 3


@pytest.fixture
def active_group(fake_stripe, run, committed):
    anna = client_named("anna")
    enrolment = programmes.group_enrol(client=anna, run=run, now=NOW)
    with committed():
        paid(fake_stripe, enrolment.payment)
    enrolment.refresh_from_db()
    return enrolment


def test_cancelling_in_time_frees_every_date_and_refunds_once(active_group, run, committed):
    with committed():
        terms = programmes.enrolment_cancel(enrolment=active_group, now=NOW)
    assert terms.early and terms.refund_cents == 19500
    assert places(run) == [(0, 0)] * 3
    with pytest.raises(BookingError, match="al geannuleerd"):
        programmes.enrolment_cancel(enrolment=active_group, now=NOW)
    refund = Refund.objects.get(payment=active_group.payment)
    assert refund.amount_cents == 19500 and refund.status == "succeeded"
    assert Payment.objects.get(pk=active_group.payment_id).status == "refunded"


def test_cancelling_late_frees_the_dates_to_come_but_returns_nothing(active_group, run):
    after_the_first = FIRST_DATE + timedelta(days=1)
    terms = programmes.enrolment_cancel(enrolment=active_group, now=after_the_first)
    assert not terms.early and not Refund.objects.exists()
    assert places(run) == [(1, 1), (0, 0), (0, 0)]  # the first date has been; the others are free


def test_the_studio_cancelling_a_date_refunds_that_dates_share_once(active_group, run, committed):
    second = run.sessions.order_by("starts_at")[1]
    with committed():
        session_cancel(second, reason="Manoek is ziek")
        session_cancel(second, reason="Manoek is ziek")
    assert Refund.objects.get(payment=active_group.payment).amount_cents == 6500
    journey = journeys.client_journey(client=active_group.client, pk=active_group.pk, now=NOW)
    assert [step.status for step in journey.steps] == ["planned", "cancelled", "planned"]


@pytest.fixture
def paid_partly_by_voucher(fake_stripe, run, committed):
    """€35 paid by gift voucher and €160 by iDEAL: (the enrolment, the voucher)."""
    product = VoucherProduct.objects.create(name_nl="Cadeaubon", name_en="Gift voucher", minimum_cents=1000, maximum_cents=25000,
                                            validity_months=12)
    voucher = issued(product, UserFactory(email="koper@example.nl"), value=3500, now=NOW)
    enrolment = programmes.group_enrol(client=client_named("anna"), run=run, now=NOW, code=voucher.code)
    assert (enrolment.payment.amount_cents, enrolment.payment.voucher_cents) == (16000, 3500)
    with committed():
        paid(fake_stripe, enrolment.payment)
    enrolment.refresh_from_db()
    return enrolment, voucher


def test_the_studio_cancelling_a_date_gives_that_dates_voucher_share_back_once(paid_partly_by_voucher, run, committed):
    """A cancelled date gives back a third of each part, the voucher's third onto the voucher with a
    credit invoice, once; her cancel page then promises only what is left, and her later cancel in time
    gives back the rest, never more than the voucher paid."""
    enrolment, voucher = paid_partly_by_voucher
    second = run.sessions.order_by("starts_at")[1]
    with committed():
        session_cancel(second, reason="Manoek is ziek")
        session_cancel(second, reason="Manoek is ziek")
        programmes.date_cancelled_by_studio(enrolment.bookings.get(session=second))  # told twice: nothing more
    assert Refund.objects.get(payment=enrolment.payment).amount_cents == 5333  # a third of the money part
    assert voucher_ledger.voucher_balance(voucher) == 1166  # a third of the voucher part, once
    back = VoucherEntry.objects.get(voucher=voucher, kind=VoucherEntry.Kind.RETURN)
    assert back.delta_cents == 1166 and back.credit_invoice.kind == Invoice.Kind.CREDIT
    enrolment.payment.refresh_from_db()
    assert programmes.cancellation_terms(enrolment, now=NOW).voucher_cents == 3500 - 1166
    with committed():
        terms = programmes.enrolment_cancel(enrolment=enrolment, now=NOW)
    assert terms.early and terms.voucher_cents == 2334
    assert voucher_ledger.voucher_balance(voucher) == 3500  # the rest back: all the voucher paid, no more
    assert VoucherEntry.objects.filter(voucher=voucher, kind=VoucherEntry.Kind.RETURN).count() == 2


def test_every_date_cancelled_by_the_studio_gives_back_the_whole_price_to_the_cent(paid_partly_by_voucher, run, committed):
    """Thirds of €160 and €35 do not divide: the last date takes the cents left over, and the books
    take back exactly the VAT the sale put in (reckoned from what each return left, not from the
    whole each time, which would be a cent off here)."""
    enrolment, voucher = paid_partly_by_voucher
    with committed():
        for date_of_run in run.sessions.order_by("starts_at"):
            session_cancel(date_of_run, reason="De studio is dicht")
    assert sorted(Refund.objects.filter(payment=enrolment.payment).values_list("amount_cents", flat=True)) == [5333, 5333, 5334]
    assert sorted(VoucherEntry.objects.filter(voucher=voucher, kind="return").values_list("delta_cents", flat=True)) == [1166, 1167, 1167]
    assert voucher_ledger.voucher_balance(voucher) == 3500
    moved = movements(Period(NOW.date(), timezone.localdate() + timedelta(days=1)))
    of_voucher_part = [m.vat for m in moved if m.payment_id == enrolment.payment_id and m.by_voucher]
    assert len(of_voucher_part) == 4 and sum(of_voucher_part) == 0  # the sale's VAT, taken back whole


def test_a_group_date_cannot_be_cancelled_on_its_own(active_group):
    with pytest.raises(BookingError, match="hoort bij je traject"):
        services.booking_cancel(booking=active_group.bookings.first(), now=NOW)


# One-to-one --------------------------------------------------------------------------------


@pytest.fixture
def one_to_one(fake_stripe, tre, committed):
    client = client_named("sanne")
    enrolment = programmes.individual_buy(client=client, appointment_type=tre, now=NOW)
    assert enrolment.status == "pending_payment" and not enrolment.credit_entries.exists()
    with committed():
        paid(fake_stripe, enrolment.payment)
        fulfilment.payment_fulfil(checkout_id=enrolment.payment.stripe_checkout_id, now=NOW)
    enrolment.refresh_from_db()
    return enrolment


def book(enrolment, start, *, kind=None, now=NOW):
    return appointments.appointment_book(client=enrolment.client, appointment_type=kind or enrolment.appointment_type, starts_at=start,
                                         pay_with="programme", now=now)


def test_buying_one_to_one_gives_three_credits_once(one_to_one):
    assert one_to_one.status == "active" and one_to_one.balance == 3
    assert one_to_one.credit_entries.filter(kind="purchase").count() == 1


def test_credits_cannot_be_used_twice(one_to_one):
    for day in (2, 3, 4):
        book(one_to_one, local(2026, 6, day, 10, 0) + timedelta(days=7))
    with pytest.raises(BookingError, match="geen sessies van je traject"):
        book(one_to_one, local(2026, 6, 15, 10, 0))
    assert one_to_one.balance == 0 and Appointment.objects.count() == 3
    with pytest.raises(BookingError, match="al geboekt of gebruikt"):
        programmes.credit_use(enrolment=one_to_one, appointment=Appointment.objects.first(), now=NOW)
    assert ProgrammeCreditEntry.objects.filter(kind="use").count() == 3


def test_credits_are_not_for_another_kind_of_session(one_to_one, teacher):
    energetic = AppointmentTypeFactory(teacher=teacher)
    with pytest.raises(BookingError, match="geen sessies van je traject"):
        book(one_to_one, local(2026, 6, 9, 10, 0), kind=energetic)
    other = Appointment.objects.create(client=one_to_one.client, appointment_type=energetic, teacher=teacher, status="confirmed",
                                       paid_with="stripe", starts_at=local(2026, 6, 9, 10, 0), ends_at=local(2026, 6, 9, 11, 0))
    with pytest.raises(BookingError, match="andere soort sessie"):
        programmes.credit_use(enrolment=one_to_one, appointment=other, now=NOW)
    assert one_to_one.balance == 3


def test_credits_are_not_for_another_client(one_to_one, tre):
    stranger = Appointment.objects.create(client=client_named("piet"), appointment_type=tre, teacher=tre.teacher, status="confirmed",
                                          paid_with="stripe", starts_at=local(2026, 6, 9, 10, 0), ends_at=local(2026, 6, 9, 11, 0))
    with pytest.raises(BookingError, match="niet van jou"):
        programmes.credit_use(enrolment=one_to_one, appointment=stranger, now=NOW)


def test_progress_counts_only_attended_sessions(one_to_one, teacher):
    first = book(one_to_one, local(2026, 6, 2, 10, 0))
    second = book(one_to_one, local(2026, 6, 3, 10, 0))
    after = local(2026, 6, 3, 12, 0)
    journey = journeys.client_journey(client=one_to_one.client, pk=one_to_one.pk, now=after)
    assert journey.attended == 0 and journey.current == 1
    assert [s.status for s in journey.steps] == ["awaiting", "awaiting", "open"]
    appointments.attendance_set(appointment=first, attendance="present", actor=teacher.user, now=after)
    appointments.attendance_set(appointment=second, attendance="no_show", actor=teacher.user, now=after)
    journey = journeys.client_journey(client=one_to_one.client, pk=one_to_one.pk, now=after)
    assert journey.attended == 1 and journey.current == 2 and not journey.is_complete
    assert [s.status for s in journey.steps] == ["attended", "missed", "open"]


def test_the_journey_shows_the_teachers_note_only_to_that_client(one_to_one, teacher):
    first = book(one_to_one, local(2026, 6, 2, 10, 0))
    after = local(2026, 6, 2, 11, 30)
    with pytest.raises(BookingError, match="Alleen docenten"):
        notes.note_save(author=one_to_one.client, appointment=first, note="x", aftercare="y", now=after)
    notes.note_save(author=teacher.user, appointment=first, note="Mooi geland.", aftercare="Drink water.", now=after)
    journey = journeys.client_journey(client=one_to_one.client, pk=one_to_one.pk, now=after)
    assert journey.steps[0].note.note == "Mooi geland." and journey.steps[0].note.aftercare == "Drink water."
    assert journeys.client_journey(client=client_named("piet"), pk=one_to_one.pk, now=after) is None


def test_after_the_last_session_the_journey_is_complete(one_to_one, teacher):
    done = [book(one_to_one, local(2026, 6, day, 10, 0)) for day in (2, 3, 4)]
    after = local(2026, 6, 5, 12, 0)
    for appointment in done:
        appointments.attendance_set(appointment=appointment, attendance="present", actor=teacher.user, now=after)
    journey = journeys.client_journey(client=one_to_one.client, pk=one_to_one.pk, now=after)
    assert journey.is_complete and journey.attended == 3 and journey.current == 3


def test_one_to_one_can_be_cancelled_whole_only_while_nothing_is_booked(one_to_one, committed):
    appointment = book(one_to_one, local(2026, 6, 2, 10, 0))
    with pytest.raises(BookingError, match="al geboekt of gebruikt"):
        programmes.enrolment_cancel(enrolment=one_to_one, now=NOW)
    appointments.appointment_cancel(appointment=appointment, now=NOW)
    with committed():
        terms = programmes.enrolment_cancel(enrolment=one_to_one, now=NOW)
    assert terms.refund_cents == 22500 and one_to_one.balance == 0
    assert Refund.objects.get(payment=one_to_one.payment).amount_cents == 22500
    with pytest.raises(BookingError, match="geen sessies van je traject"):
        book(one_to_one, local(2026, 6, 3, 10, 0))
