"""The one-to-one picker, one day at a time: a strip of the week's days (each saying whether it has
free moments), the chosen day's times (by default the first day that has any), `?day=` links that work
without script, a clear word for a day that cannot be shown; a refused booking comes back on the same
day with what went wrong at the top; and the booked session says where it takes place."""

from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from bookings.models import Appointment, Payment
from bookings.personal import appointments, availability, emails
from classes.models import DateException
from tests.factories import AppointmentTypeFactory, intake_for, local, teacher_at_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]  # at NOW

NOW = local(2026, 11, 30, 9, 0)  # a Monday morning; 24 hours' notice, so Tuesday 09:15 is the first free moment
TUESDAY, WEDNESDAY, THURSDAY = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)


@pytest.fixture
def kind(db):
    """A 60-minute session with a teacher free Monday to Friday, 9:00 to 17:00; Thursday she is off."""
    teacher = teacher_at_work(weekdays=range(5), start=time(9), end=time(17))
    DateException.objects.create(teacher=teacher, kind="off", first_day=THURSDAY, last_day=THURSDAY)
    return AppointmentTypeFactory(teacher=teacher, slug="energetische-sessie-60")


def page(client, kind, **params):
    response = client.get(reverse("bookings:appointment_slots", kwargs={"slug": kind.slug}), params)
    assert response.status_code == 200
    return response


def shown_days(response) -> set[date]:
    return {moment.date() for moment in response.context["day_slots"]}


def words(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_first_day_with_a_free_moment_is_shown_alone(client, kind):
    response = page(client, kind)
    assert response.context["day"] == TUESDAY and shown_days(response) == {TUESDAY}
    html = response.content.decode()
    assert html.count('name="starts_at"') == len(availability.free_days(kind, now=NOW)[0][TUESDAY])
    assert "Vrij op dinsdag 1 december" in html


def test_the_strip_shows_the_week_and_which_days_have_room(client, kind):
    response = page(client, kind)
    strip = response.context["strip"]
    assert [item["date"] for item in strip] == [TUESDAY + timedelta(days=n) for n in range(7)]
    assert [bool(item["count"]) for item in strip] == [True, True, False, True, False, False, True]  # Thursday off, no weekends
    html = response.content.decode()
    assert 'href="?from=2026-12-01&amp;day=2026-12-02"' in html
    count = len(availability.free_days(kind, now=NOW)[0][TUESDAY])
    assert 'aria-current="date"' in html and f"dinsdag 1 december: {count} vrije momenten" in html
    assert "donderdag 3 december: niets vrij" in html


def test_a_day_link_shows_that_days_times_and_keeps_the_week(client, kind):
    response = page(client, kind, **{"from": "2026-12-01", "day": "2026-12-02"})
    assert response.context["day"] == WEDNESDAY and shown_days(response) == {WEDNESDAY}
    assert response.context["week"]["first_day"] == TUESDAY and not words(response)


def test_a_day_alone_starts_the_week_there(client, kind):
    response = page(client, kind, day="2026-12-08")
    assert response.context["day"] == date(2026, 12, 8) and response.context["week"]["first_day"] == date(2026, 12, 8)


@pytest.mark.parametrize(("value", "word"), [
    ("morgen", "We konden die dag niet lezen; hier zijn de eerste vrije momenten."),
    ("2026-13-45", "We konden die dag niet lezen; hier zijn de eerste vrije momenten."),
    ("2026-11-20", "Die dag is al voorbij; hier zijn de eerste vrije momenten."),
    ("2027-03-01", "Zo ver vooruit kun je nog niet boeken; hier zijn de eerste vrije momenten."),
    ("9999-12-31", "Zo ver vooruit kun je nog niet boeken; hier zijn de eerste vrije momenten."),
])
def test_a_day_that_cannot_be_shown_gets_a_word_and_the_first_free_day(client, kind, value, word):
    response = page(client, kind, day=value)
    assert words(response) == [word]
    assert response.context["day"] == TUESDAY and shown_days(response) == {TUESDAY}


def test_a_day_without_free_moments_gets_a_word_and_the_next_day_that_has_them(client, kind):
    response = page(client, kind, **{"from": "2026-12-01", "day": "2026-12-03"})
    assert words(response) == ["Op donderdag 3 december zijn er geen vrije momenten; hier is de eerstvolgende dag waarop dat wel kan."]
    assert response.context["day"] == date(2026, 12, 4) and response.context["week"]["first_day"] == TUESDAY


def test_the_picker_costs_a_fixed_number_of_queries(client, kind, client_user, django_assert_max_num_queries):
    client.force_login(client_user)
    with django_assert_max_num_queries(16):
        page(client, kind, day="2026-12-02")


def test_the_pay_button_comes_right_after_the_days_times(client, kind, client_user):
    client.force_login(client_user)
    html = page(client, kind).content.decode()
    times_end = html.index("</fieldset>")
    assert times_end < html.index("Boek en betaal €") < html.index('id="policy-heading"')
    assert 'class="actions slot-actions"' in html


# A refused booking --------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, client_user):
    intake_for(client_user)
    client.force_login(client_user)
    return client


def test_a_taken_moment_comes_back_on_its_day_with_the_error_at_the_top(signed_in, kind, client_user):
    start = local(2026, 12, 2, 11, 0)
    other = intake_for_someone()
    appointments.appointment_book(client=other, appointment_type=kind, starts_at=start, pay_with="stripe", now=NOW)
    response = signed_in.post(reverse("bookings:appointment_book", kwargs={"slug": kind.slug}),
                              {"starts_at": start.isoformat(), "pay_with": "stripe"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="form-errors error-summary" role="alert" tabindex="-1" autofocus' in html
    assert "Er ging iets mis. Kijk dit na:" in html
    assert '<a href="#slot-1">Dit moment is niet (meer) vrij.' in html
    assert response.context["day"] == WEDNESDAY
    assert not Appointment.objects.filter(client=client_user).exists()
    assert not Payment.objects.filter(client=client_user).exists()


def test_an_unknown_code_links_to_the_code_field_and_keeps_the_chosen_time(signed_in, kind, client_user, fake_stripe):
    start = local(2026, 12, 2, 11, 0)
    response = signed_in.post(reverse("bookings:appointment_book", kwargs={"slug": kind.slug}),
                              {"starts_at": start.isoformat(), "pay_with": "stripe", "code": "BESTAAT-NIET"})
    assert response.status_code == 200
    [item] = response.context["error_summary_items"]
    assert item["field_id"] == "price-code"
    html = response.content.decode()
    assert f'value="{start.isoformat()}" id="slot-' in html and " checked>" in html
    assert '<details class="price-code" open>' in html
    assert not Appointment.objects.exists() and not Payment.objects.exists()


def intake_for_someone():
    from tests.factories import UserFactory

    someone = UserFactory(email="iemand@example.nl")
    intake_for(someone)
    return someone


# Where it takes place ------------------------------------------------------------------------------------


def test_the_booked_session_and_its_email_say_where(signed_in, kind, client_user, django_capture_on_commit_callbacks):
    appointment = Appointment.objects.create(client=client_user, appointment_type=kind, teacher=kind.teacher,
                                             starts_at=local(2026, 12, 2, 11, 0), ends_at=local(2026, 12, 2, 12, 0),
                                             status="confirmed", paid_with="stripe")
    place = f"{settings.STUDIO['name']}, {settings.STUDIO['street']}, {settings.STUDIO['postcode']} {settings.STUDIO['city']}"
    html = signed_in.get(reverse("bookings:appointment", kwargs={"pk": appointment.pk})).content.decode()
    assert f"<strong>Waar:</strong> {place}" in html
    emails.appointment_mail(appointment.pk, "confirmed", tell_teacher=False)
    [message] = mail.outbox
    assert f"Waar: {place}" in message.body


def test_a_refused_move_comes_back_with_the_error_and_keeps_her_session(signed_in, kind, client_user):
    mine = appointments.appointment_book(client=client_user, appointment_type=kind, starts_at=local(2026, 12, 1, 10, 0),
                                         pay_with="stripe", now=NOW)
    Appointment.objects.filter(pk=mine.pk).update(status="confirmed")
    taken = local(2026, 12, 2, 11, 0)
    appointments.appointment_book(client=intake_for_someone(), appointment_type=kind, starts_at=taken, pay_with="stripe", now=NOW)
    response = signed_in.post(reverse("bookings:appointment_move", kwargs={"pk": mine.pk}), {"starts_at": taken.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er ging iets mis. Kijk dit na:" in html and "Verzet naar dit moment" in html
    assert response.context["moving"].pk == mine.pk and response.context["day"] == WEDNESDAY
    assert Appointment.objects.get(pk=mine.pk).starts_at == local(2026, 12, 1, 10, 0)
