"""Programmes, one-to-one sessions and the teacher's notes in the client's privacy rights: the export
holds them (notes decrypted), the database holds the notes encrypted, and closing the account removes
the notes and touch choices while the programme and its payment stay."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, ProgrammeCreditEntry, ProgrammeEnrolment, SessionNote
from bookings.personal import notes
from studio import privacy
from tests.factories import AppointmentTypeFactory, PaymentFactory, TeacherFactory, individual_tre_type

pytestmark = pytest.mark.django_db

NOTE = "Je schouders werden zachter; blijf ademen in je buik."
AFTERCARE = "Drink vanavond extra water en ga op tijd slapen."


@pytest.fixture
def story(client_user):
    teacher = TeacherFactory()
    teacher.user.groups.add(Group.objects.get(name="Teacher"))
    tre = individual_tre_type(teacher=teacher)
    payment = PaymentFactory(client=client_user, purpose="programme", amount_cents=22500, status="paid", paid_at=timezone.now(),
                             receipt_number="2026-00077")
    enrolment = ProgrammeEnrolment.objects.create(client=client_user, offering=tre.offering, appointment_type=tre, status="active",
                                                  sessions_total=3, price_cents=22500, payment=payment)
    ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=3, kind="purchase")
    past = timezone.now() - timedelta(days=2)
    appointment = Appointment.objects.create(client=client_user, appointment_type=tre, teacher=teacher, starts_at=past,
                                             ends_at=past + timedelta(hours=1), status="confirmed", paid_with="programme",
                                             enrolment=enrolment, attendance="present", touch_ok=False)
    ProgrammeCreditEntry.objects.create(enrolment=enrolment, delta=-1, kind="use", appointment=appointment)
    appointment.events.create(action="booked", actor=client_user)
    notes.note_save(author=teacher.user, appointment=appointment, note=NOTE, aftercare=AFTERCARE)
    return {"enrolment": enrolment, "appointment": appointment, "teacher": teacher, "payment": payment}


def test_the_export_holds_programmes_sessions_and_notes(client_user, story):
    data = privacy.privacy_export(user=client_user)
    [programme] = data["programmes"]
    assert programme["form"] == "one_to_one" and programme["sessions_total"] == 3 and programme["payment_id"] == story["payment"].pk
    assert [entry["kind"] for entry in programme["credits"]] == ["purchase", "use"]
    [session] = data["one_to_one_sessions"]
    assert session["teacher_note"] == NOTE and session["aftercare"] == AFTERCARE
    assert session["attendance"] == "present" and session["touch_ok"] is False and session["programme_id"] == story["enrolment"].pk
    assert session["history"][0]["by"] == "you"


def test_the_readable_page_shows_the_same(logged_in, story):
    page = logged_in.get(reverse("privacy:overview")).content.decode()
    assert "Individuele sessies" in page and "Trajecten" in page and NOTE in page


def test_notes_are_encrypted_at_rest(story):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT note, aftercare FROM {SessionNote._meta.db_table}")  # noqa: S608 - a fixed table name
        raw = " ".join(" ".join(row) for row in cursor.fetchall())
    assert "schouders" not in raw and "water" not in raw and raw.startswith("gAAAA")


def test_closing_the_account_removes_notes_and_touch_but_keeps_the_programme(client_user, story):
    privacy.account_delete(user=client_user)
    assert not SessionNote.objects.exists()
    appointment = Appointment.objects.get(pk=story["appointment"].pk)
    assert appointment.touch_ok is None and appointment.status == "confirmed"
    assert ProgrammeEnrolment.objects.filter(pk=story["enrolment"].pk).exists()
    assert story["payment"].__class__.objects.get(pk=story["payment"].pk).receipt_number == "2026-00077"


def test_a_coming_one_to_one_blocks_closing_the_account(client_user, story):
    soon = timezone.now() + timedelta(days=3)
    Appointment.objects.create(client=client_user, appointment_type=AppointmentTypeFactory(teacher=story["teacher"]),
                               teacher=story["teacher"], starts_at=soon, ends_at=soon + timedelta(hours=1), status="confirmed",
                               paid_with="stripe")
    reasons = privacy.account_delete_blockers(user=client_user)
    assert any("individuele sessie" in reason for reason in reasons)
    with pytest.raises(privacy.PrivacyError):
        privacy.account_delete(user=client_user)
    assert SessionNote.objects.exists()
