"""The pages of the personal work: free moments day by day, booking with a clear word for every
refusal, the intake asked for first, the client's own session and journey (and nobody else's), and
the teacher's pages for progress, attendance and notes."""

from datetime import time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, Intake, Payment, ProgrammeCreditEntry, ProgrammeEnrolment
from bookings.personal import appointments, availability, journeys, notes
from tests.factories import UserFactory, intake_for, programme_run, teacher_at_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(db):
    """Free hours every day from 8:00 to 20:00, so a free moment is near whenever the tests run."""
    return teacher_at_work(weekdays=range(7), start=time(8), end=time(20))


def first_free(kind, index=0):
    return availability.free_slots(kind, now=timezone.now())[index]


def credits_for(client, kind, count=3):
    enrolment = ProgrammeEnrolment.objects.create(client=client, offering=kind.offering, appointment_type=kind, status="active",
                                                  sessions_total=count, price_cents=22500)
    ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=count, kind="purchase")
    return enrolment


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_the_slot_page_shows_free_moments_day_by_day(client, energetic):
    response = client.get(reverse("bookings:appointment_slots", kwargs={"slug": energetic.slug}))
    assert response.status_code == 200
    week = response.context["week"]
    assert 1 <= len(week["days"]) <= 7 and week["days"][0]["slots"][0] == first_free(energetic)
    assert "Log in om te boeken" in response.content.decode()
    later = client.get(reverse("bookings:appointment_slots", kwargs={"slug": energetic.slug}) + f"?from={week['next_day']}")
    assert later.context["week"]["first_day"] == week["next_day"]


def test_an_unknown_or_inactive_kind_is_404(client, energetic):
    assert client.get(reverse("bookings:appointment_slots", kwargs={"slug": "bestaat-niet"})).status_code == 404
    energetic.is_active = False
    energetic.save()
    assert client.get(reverse("bookings:appointment_slots", kwargs={"slug": energetic.slug})).status_code == 404


def test_without_an_intake_the_client_is_sent_to_it_calmly_and_back_again(logged_in, client_user, energetic):
    url = reverse("bookings:appointment_book", kwargs={"slug": energetic.slug})
    response = logged_in.post(url, {"starts_at": first_free(energetic).isoformat(), "pay_with": "stripe"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("intake:form"))
    assert any("intakeformulier" in m for m in messages_of(response))
    assert not Appointment.objects.exists() and not Payment.objects.exists()
    back = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    saved = logged_in.post(response["Location"], {"hopes": "Rust", "pregnancy": "", "consent": "on"})
    assert saved.status_code == 302 and saved["Location"] == back
    assert Intake.objects.filter(client=client_user, consent_given_at__isnull=False).exists()


def test_the_intake_form_never_sends_anyone_to_another_site(logged_in):
    response = logged_in.post(reverse("intake:form") + "?next=https://evil.example/", {"hopes": "", "pregnancy": "", "consent": "on"})
    assert response["Location"] == reverse("intake:form")


def test_a_tampered_duration_is_ignored_and_a_bad_moment_saves_nothing(logged_in, client_user, energetic, fake_stripe):
    intake_for(client_user)
    url = reverse("bookings:appointment_book", kwargs={"slug": energetic.slug})
    start = first_free(energetic)
    for bad in ("", "morgen", (start + timedelta(minutes=7)).isoformat(), (start - timedelta(days=30)).isoformat()):
        response = logged_in.post(url, {"starts_at": bad, "pay_with": "stripe"})
        assert response.status_code == 200, "the page again, with what went wrong at the top"
        [item] = response.context["error_summary_items"]
        assert item["message"] and item["field_id"] == "slot-1"
        assert 'class="form-errors error-summary"' in response.content.decode()
    assert not Appointment.objects.exists() and not Payment.objects.exists()
    response = logged_in.post(url, {"starts_at": start.isoformat(), "pay_with": "stripe", "duration_minutes": "15", "price_cents": "1"})
    assert response.status_code == 302 and "/c/pay/" in response["Location"]  # off to the (stand-in) Stripe page
    appointment = Appointment.objects.get()
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=90) and appointment.payment.amount_cents == 10500


def test_booking_with_a_credit_goes_to_the_session_page(logged_in, client_user, tre):
    intake_for(client_user)
    credits_for(client_user, tre)
    response = logged_in.post(reverse("bookings:appointment_book", kwargs={"slug": tre.slug}),
                              {"starts_at": first_free(tre).isoformat(), "pay_with": "programme"})
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("bookings:appointment", kwargs={"pk": appointment.pk})
    page = logged_in.get(response["Location"]).content.decode()
    assert "Verzet naar een ander moment" in page and "Annuleer deze sessie" in page


def test_moving_on_the_page(logged_in, client_user, tre):
    intake_for(client_user)
    credits_for(client_user, tre)
    appointment = appointments.appointment_book(client=client_user, appointment_type=tre, starts_at=first_free(tre), pay_with="programme")
    move = reverse("bookings:appointment_move", kwargs={"pk": appointment.pk})
    page = logged_in.get(move)
    assert page.status_code == 200 and "Verzet naar dit moment" in page.content.decode()
    new_start = availability.free_slots(tre, now=timezone.now(), exclude_id=appointment.pk)[-1]
    response = logged_in.post(move, {"starts_at": new_start.isoformat()})
    assert response["Location"] == reverse("bookings:appointment", kwargs={"pk": appointment.pk})
    assert Appointment.objects.get(pk=appointment.pk).starts_at == new_start


def test_another_clients_session_and_programme_are_404(client, client_user, other_client, tre):
    intake_for(client_user)
    enrolment = credits_for(client_user, tre)
    appointment = appointments.appointment_book(client=client_user, appointment_type=tre, starts_at=first_free(tre), pay_with="programme")
    client.force_login(other_client)
    for name, pk in (("appointment", appointment.pk), ("appointment_cancel", appointment.pk), ("appointment_move", appointment.pk),
                     ("journey", enrolment.pk), ("programme_cancel", enrolment.pk)):
        assert client.get(reverse(f"bookings:{name}", kwargs={"pk": pk})).status_code == 404, name
        assert client.post(reverse(f"bookings:{name}", kwargs={"pk": pk}), {"starts_at": first_free(tre).isoformat()}).status_code == 404
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"


@pytest.fixture
def attended(client_user, teacher, tre):
    """A one-to-one TRE® programme whose first session took place, with the teacher's note."""
    intake_for(client_user)
    enrolment = credits_for(client_user, tre)
    appointment = appointments.appointment_book(client=client_user, appointment_type=tre, starts_at=first_free(tre), pay_with="programme")
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=timezone.now() - timedelta(hours=2),
                                                         ends_at=timezone.now() - timedelta(hours=1))
    appointments.attendance_set(appointment=appointment, attendance="present", actor=teacher.user)
    notes.note_save(author=teacher.user, appointment=appointment, note="Je trilde rustig en zacht.", aftercare="Rust vanavond goed uit.")
    return enrolment


def test_the_journey_page_shows_progress_and_the_note(logged_in, attended):
    page = logged_in.get(reverse("bookings:journey", kwargs={"pk": attended.pk})).content.decode()
    assert "Sessie 2 van 3" in page and "1 van 3 sessies gedaan" in page
    assert "Je trilde rustig en zacht." in page and "Rust vanavond goed uit." in page
    assert "Kies een vrij moment" in page
    mine = logged_in.get(reverse("bookings:my_bookings")).content.decode()
    assert "1 van 3 sessies gedaan" in mine


def test_the_teacher_sees_everyones_progress_and_writes_the_note(client, teacher, attended):
    client.force_login(teacher.user)
    page = client.get(reverse("bookings:teacher_personal")).content.decode()
    assert "Sanne de Vries" in page and "1 van 3" in page
    appointment = attended.appointments.get()
    url = reverse("bookings:teacher_appointment", kwargs={"pk": appointment.pk})
    assert "Je trilde rustig en zacht." in client.get(url).content.decode()
    response = client.post(url, {"note": "Aangepast.", "aftercare": ""})
    assert response.status_code == 302
    assert appointment.session_note.__class__.objects.get(appointment=appointment).note == "Aangepast."
    undo = client.post(reverse("bookings:teacher_appointment_attendance", kwargs={"pk": appointment.pk}), {"attendance": ""})
    assert undo.status_code == 302 and Appointment.objects.get(pk=appointment.pk).attendance == ""


def test_clients_and_office_staff_do_not_see_the_teachers_pages(client, client_user, attended):
    office = UserFactory(email="kantoor@example.nl", is_staff=True)
    appointment = attended.appointments.get()
    for person in (client_user, office):
        client.force_login(person)
        assert client.get(reverse("bookings:teacher_personal")).status_code == 404
        assert client.get(reverse("bookings:teacher_appointment", kwargs={"pk": appointment.pk})).status_code == 404


def test_the_programme_page_offers_the_group_and_one_to_one(client, tre):
    run = programme_run(starts=timezone.now() + timedelta(days=10), teacher=tre.teacher, capacity=4)
    page = client.get(reverse("bookings:programme", kwargs={"slug": tre.offering.slug}))
    assert page.status_code == 200 and [r.pk for r in page.context["runs"]] == [run.pk]
    assert page.context["runs"][0].places_left == 4 and page.context["kinds"] == [tre]
    offering_page = client.get(tre.offering.get_absolute_url()).content.decode()
    assert reverse("bookings:programme", kwargs={"slug": tre.offering.slug}) in offering_page


def test_journeys_are_read_in_a_fixed_number_of_queries(teacher, tre, django_assert_num_queries):
    for index in range(4):
        client = UserFactory(email=f"traject{index}@example.nl")
        credits_for(client, tre)
    programme_run(starts=timezone.now() + timedelta(days=10), teacher=teacher)
    with django_assert_num_queries(5):  # coming, to mark, programmes, and their sessions and dates
        overview = journeys.teacher_overview()
    assert len(overview["journeys"]) == 4


def test_the_sitemap_lists_the_one_to_ones_and_programmes(client, energetic, tre):
    xml = client.get("/sitemap.xml").content.decode()
    for name, kwargs in (("one_to_one", None), ("appointment_slots", {"slug": energetic.slug}), ("programme", {"slug": tre.offering.slug})):
        assert reverse(f"bookings:{name}", kwargs=kwargs) in xml


def test_the_teacher_cancels_a_session_and_the_client_gets_everything_back(client, teacher, client_user, tre, mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    intake_for(client_user)
    enrolment = credits_for(client_user, tre)
    appointment = appointments.appointment_book(client=client_user, appointment_type=tre, starts_at=first_free(tre), pay_with="programme")
    mailoutbox.clear()
    client.force_login(teacher.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:teacher_appointment_cancel", kwargs={"pk": appointment.pk}))
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.cancelled_by_studio and not appointment.late_cancellation
    assert enrolment.balance == 3
    [message] = mailoutbox
    assert message.to == [client_user.email] and "De studio heeft deze sessie moeten annuleren" in message.body
