"""The intake form: encrypted at rest, saved only with explicit consent, every other question
optional, read only by the client and teachers (each reading logged), withdrawn and deleted without
leaving plaintext behind; and the client's touch preference per booking."""

import datetime

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from bookings import crypto
from bookings.errors import BookingError
from bookings.group import services
from bookings.intake.services import (
    IntakeError,
    booking_set_touch,
    intake_delete,
    intake_for_teacher,
    intake_reencrypt_all,
    intake_save,
    intake_withdraw_consent,
    may_read_intake,
)
from bookings.models import Booking, BookingEvent, Intake, IntakeAccess
from tests.factories import AppointmentFactory, BookingFactory, SessionFactory, UserFactory, teacher_with_role

pytestmark = pytest.mark.django_db

ANSWERS = {
    "emergency_contact_name": "Marieke Zonneveld",
    "emergency_contact_phone": "+31 6 87654321",
    "health_conditions": "Hoge bloeddruk en soms paniekaanvallen",
    "medication": "Bètablokker metoprolol",
    "pregnancy": "maybe",
    "injuries": "Oude knieblessure links",
    "hopes": "Beter slapen en minder spanning",
    "notes_for_teacher": "Liever niet vooraan liggen",
}
SECRETS = [value for key, value in ANSWERS.items() if key != "pregnancy"]


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def raw_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - fixed table names
        return cursor.fetchall()


def raw_text(table) -> str:
    return "\n".join(" | ".join(str(value) for value in row) for row in raw_rows(table))


@pytest.fixture
def office_staff(db):
    return UserFactory(email="kantoor@example.nl", first_name="Kees", is_staff=True)


@pytest.fixture
def filled_in(client_user):
    return intake_save(client=client_user, answers=ANSWERS, consent=True)


@pytest.fixture
def her_class(client_user, teacher):
    """The client is booked into a class the `teacher` teaches: she is one of her teachers."""
    return BookingFactory(client=client_user, session=SessionFactory(teacher=teacher))


def form_data(**changes):
    return {**ANSWERS, "consent": "on", **changes}


# Encryption at rest ------------------------------------------------------------------------------------


def test_answers_are_encrypted_at_rest(filled_in):
    columns = ", ".join(Intake.ANSWER_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM bookings_intake WHERE id = %s", [filled_in.pk])  # noqa: S608
        raw = cursor.fetchone()
    for name, stored in zip(Intake.ANSWER_FIELDS, raw, strict=True):
        assert stored.startswith("gAAAAA"), name  # a Fernet token, not text
        assert ANSWERS[name] not in stored
        assert crypto.decrypt(stored) == ANSWERS[name]
    table = raw_text("bookings_intake")
    for secret in SECRETS:
        assert secret not in table
        assert secret.split()[0] not in table
    assert Intake.objects.get(pk=filled_in.pk).health_conditions == ANSWERS["health_conditions"]


def test_empty_answers_are_encrypted_too(client_user):
    intake = intake_save(client=client_user, answers={}, consent=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT medication, pregnancy FROM bookings_intake WHERE id = %s", [intake.pk])
        medication, pregnancy = cursor.fetchone()
    assert medication.startswith("gAAAAA") and pregnancy.startswith("gAAAAA")
    assert medication != pregnancy  # every token differs, so nothing shows which questions were answered


def test_a_new_key_in_front_reads_old_values_and_reencrypting_lets_the_old_key_go(client_user):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(INTAKE_ENCRYPTION_KEY=old):
        intake = intake_save(client=client_user, answers=ANSWERS, consent=True)
    with override_settings(INTAKE_ENCRYPTION_KEY=f"{new},{old}"):
        assert Intake.objects.get(pk=intake.pk).medication == ANSWERS["medication"]
        assert intake_reencrypt_all() == 1
    with override_settings(INTAKE_ENCRYPTION_KEY=new):
        assert Intake.objects.get(pk=intake.pk).medication == ANSWERS["medication"]


def test_a_wrong_key_refuses_to_read_instead_of_showing_the_token(client_user):
    with override_settings(INTAKE_ENCRYPTION_KEY=Fernet.generate_key().decode()):
        intake = intake_save(client=client_user, answers=ANSWERS, consent=True)
    with override_settings(INTAKE_ENCRYPTION_KEY=Fernet.generate_key().decode()), pytest.raises(crypto.DecryptionError):
        Intake.objects.get(pk=intake.pk)


def test_encrypted_answers_cannot_be_searched_in_sql(filled_in):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Intake.objects.filter(medication__icontains="metoprolol"))
    assert Intake.objects.filter(medication__isnull=False).count() == 1


# Consent, and every other question optional --------------------------------------------------------------


def test_the_consent_box_is_never_ticked_for_the_client(client, client_user):
    client.force_login(client_user)
    for moment in ("new", "withdrawn"):
        html = client.get(en("intake:form")).content.decode()
        consent_input = html[html.index('name="consent"') - 60: html.index('name="consent"') + 80]
        assert 'type="checkbox"' in consent_input and "checked" not in consent_input, moment
        intake_save(client=client_user, answers=ANSWERS, consent=True)
        intake_withdraw_consent(client=client_user)


def test_with_consent_given_the_form_is_filled_in_from_what_was_saved(client, client_user, filled_in):
    client.force_login(client_user)
    html = client.get(en("intake:form")).content.decode()
    assert ANSWERS["health_conditions"] in html and 'name="consent"' not in html


def test_without_consent_nothing_is_saved_and_the_message_says_so(client, client_user):
    client.force_login(client_user)
    data = form_data()
    del data["consent"]
    response = client.post(en("intake:form"), data)
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert "Without your consent we do not keep your answers, so nothing has been saved." in response.content.decode()
    assert not Intake.objects.exists()


def test_consent_once_given_is_remembered_a_second_save_needs_no_box(client, client_user):
    given = datetime.datetime(2026, 11, 3, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(given, tick=False):
        intake_save(client=client_user, answers=ANSWERS, consent=True)
    client.force_login(client_user)
    with time_machine.travel(given + datetime.timedelta(days=20), tick=False):
        page = client.get(reverse("intake:form"))
        html = page.content.decode()
        assert "consent" not in page.context["form"].fields and 'name="consent"' not in html
        assert "Je gaf toestemming op 3 november 2026" in html and reverse("intake:withdraw") in html
        data = form_data(medication="Niets meer", hopes="Rust")
        del data["consent"]
        response = client.post(reverse("intake:form"), data)
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.medication == "Niets meer" and intake.hopes == "Rust" and intake.health_conditions == ANSWERS["health_conditions"]
    assert intake.consent_given_at == given


def test_after_withdrawing_the_box_is_asked_again_and_nothing_is_saved_without_it(client, client_user, filled_in):
    intake_withdraw_consent(client=client_user)
    client.force_login(client_user)
    data = form_data(medication="iets anders")
    del data["consent"]
    response = client.post(en("intake:form"), data)
    assert response.status_code == 200 and "consent" in response.context["form"].errors
    intake = Intake.objects.get()
    assert intake.medication == "" and intake.consent_given_at is None


def test_answers_stay_out_of_error_reports(client, client_user):
    client.force_login(client_user)
    response = client.post(en("intake:form"), form_data())
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_the_service_refuses_without_consent(client_user):
    with pytest.raises(IntakeError):
        intake_save(client=client_user, answers=ANSWERS, consent=False)
    assert not Intake.objects.exists()


def test_every_question_but_consent_is_optional(client, client_user):
    client.force_login(client_user)
    response = client.post(en("intake:form"), {"consent": "on"})
    assert response.status_code == 302
    intake = Intake.objects.get(client=client_user)
    assert all(getattr(intake, name) == "" for name in Intake.ANSWER_FIELDS)
    assert intake.consent_given_at is not None


def test_saving_records_the_moment_of_consent_once_and_keeps_one_intake(client_user):
    first = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
    intake_save(client=client_user, answers=ANSWERS, consent=True, now=first)
    assert Intake.objects.get().consent_given_at == first
    later = first + datetime.timedelta(days=3)
    intake_save(client=client_user, answers={**ANSWERS, "hopes": "Rust"}, consent=False, now=later)
    intake = Intake.objects.get()
    assert intake.hopes == "Rust" and intake.consent_given_at == first


def test_consent_given_again_after_withdrawing_gets_the_new_moment(client_user):
    first = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
    intake_save(client=client_user, answers=ANSWERS, consent=True, now=first)
    intake_withdraw_consent(client=client_user, now=first + datetime.timedelta(days=1))
    with pytest.raises(IntakeError):
        intake_save(client=client_user, answers=ANSWERS, consent=False, now=first + datetime.timedelta(days=2))
    again = first + datetime.timedelta(days=3)
    intake_save(client=client_user, answers={"hopes": "Rust"}, consent=True, now=again)
    intake = Intake.objects.get()
    assert intake.consent_given_at == again and intake.consent_withdrawn_at is None and intake.hopes == "Rust"


def test_the_form_saves_every_answer(client, client_user):
    client.force_login(client_user)
    response = client.post(en("intake:form"), form_data())
    assert response.status_code == 302
    intake = Intake.objects.get(client=client_user)
    assert {name: getattr(intake, name) for name in Intake.ANSWER_FIELDS} == ANSWERS


@pytest.mark.parametrize("changes", [{"pregnancy": "banana"}, {"medication": "x" * 3001}, {"emergency_contact_phone": "6" * 41}])
def test_bad_input_saves_nothing(client, client_user, changes):
    client.force_login(client_user)
    response = client.post(en("intake:form"), form_data(**changes))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Intake.objects.exists()


def test_every_question_explains_why_it_is_asked(client, client_user):
    client.force_login(client_user)
    form = client.get(en("intake:form")).context["form"]
    for name in Intake.ANSWER_FIELDS:
        assert len(str(form.fields[name].help_text)) > 20, name
        assert not form.fields[name].required


def test_the_page_about_what_we_keep_is_public(client):
    response = client.get(en("intake:about"))
    assert response.status_code == 200
    assert "Who can read it" in response.content.decode()


# Who may read it --------------------------------------------------------------------------------------------


def test_a_teacher_reads_the_intake_and_it_is_logged_with_who_and_when(client, client_user, filled_in, teacher_user, her_class):
    client.force_login(teacher_user)
    before = timezone.now()
    response = client.get(en("intake:teacher", pk=client_user.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert ANSWERS["health_conditions"] in html and ANSWERS["emergency_contact_phone"] in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    access = IntakeAccess.objects.get()
    assert access.client == client_user and access.viewer == teacher_user
    assert access.viewer_name == "Manoek Klootwijk"
    assert before <= access.viewed_at <= timezone.now()

    client.get(en("intake:teacher", pk=client_user.pk))
    assert IntakeAccess.objects.filter(client=client_user).count() == 2


def test_the_client_sees_who_opened_their_intake(client, client_user, filled_in, teacher_user, her_class):
    intake_for_teacher(client=client_user, teacher_user=teacher_user)
    client.force_login(client_user)
    assert "Manoek Klootwijk" in client.get(en("intake:form")).content.decode()


@pytest.mark.parametrize("who", ["owner", "other_client", "office_staff", "anonymous"])
def test_no_one_but_a_teacher_opens_the_teachers_view(client, who, client_user, other_client, office_staff, filled_in):
    users = {"owner": client_user, "other_client": other_client, "office_staff": office_staff, "anonymous": None}
    if users[who]:
        client.force_login(users[who])
    response = client.get(en("intake:teacher", pk=client_user.pk))
    if who == "anonymous":
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    else:
        assert response.status_code == 404
    assert ANSWERS["health_conditions"] not in response.content.decode()
    assert not IntakeAccess.objects.exists()


def test_another_teacher_is_refused_and_nothing_is_logged(client, client_user, filled_in, her_class):
    stranger = teacher_with_role(slug="invaller", user__email="invaller@example.nl", user__first_name="Ilse").user
    client.force_login(stranger)
    response = client.get(en("intake:teacher", pk=client_user.pk))
    assert response.status_code == 403
    assert ANSWERS["health_conditions"] not in response.content.decode()
    with pytest.raises(PermissionDenied):
        intake_for_teacher(client=client_user, teacher_user=stranger)
    assert not IntakeAccess.objects.exists()


def test_booking_a_stranger_into_her_own_class_does_not_open_the_intake(client_user, filled_in):
    stranger = teacher_with_role(slug="invaller", user__email="invaller@example.nl", user__first_name="Ilse")
    session = SessionFactory(teacher=stranger, starts_at=timezone.now() + datetime.timedelta(days=1),
                             ends_at=timezone.now() + datetime.timedelta(days=1, hours=1))
    booking = services.booking_create(client=client_user, session=session, pay_with="studio", actor=stranger.user, by_staff=True)
    assert may_read_intake(stranger.user, client_user) is False
    Booking.objects.filter(pk=booking.pk).update(attendance="present")  # the client came to her class
    assert may_read_intake(stranger.user, client_user) is True


@pytest.mark.parametrize("status, may_read", [("confirmed", True), ("cancelled", False)])
def test_the_teacher_of_a_one_to_one_reads_it(client_user, teacher, filled_in, status, may_read):
    AppointmentFactory(client=client_user, teacher=teacher, status=status)
    assert may_read_intake(teacher.user, client_user) is may_read


def test_the_admin_group_reads_too(client, client_user, filled_in):
    admin = UserFactory(email="beheer@example.nl", is_staff=True)
    admin.groups.add(Group.objects.get(name="Admin"))
    client.force_login(admin)
    assert client.get(en("intake:teacher", pk=client_user.pk)).status_code == 200
    assert IntakeAccess.objects.get().viewer == admin


def test_another_client_only_ever_sees_their_own_form(client, other_client, filled_in):
    client.force_login(other_client)
    html = client.get(en("intake:form")).content.decode()
    assert all(secret not in html for secret in SECRETS)


def test_the_service_refuses_a_non_teacher(client_user, office_staff, filled_in):
    with pytest.raises(PermissionDenied):
        intake_for_teacher(client=client_user, teacher_user=office_staff)
    assert not IntakeAccess.objects.exists()


def test_intake_pages_need_a_login(client):
    for name in ("intake:form", "intake:withdraw", "intake:delete"):
        response = client.get(en(name))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name


# Withdrawing and deleting ------------------------------------------------------------------------------------


def test_withdrawing_consent_erases_every_answer(client, client_user, filled_in):
    client.force_login(client_user)
    assert client.get(en("intake:withdraw")).status_code == 200  # a calm confirmation page, nothing changed yet
    assert Intake.objects.get().has_consent
    response = client.post(en("intake:withdraw"))
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert all(getattr(intake, name) == "" for name in Intake.ANSWER_FIELDS)
    assert intake.consent_given_at is None and intake.consent_withdrawn_at is not None
    table = raw_text("bookings_intake")
    assert all(secret not in table for secret in SECRETS)
    # Withdrawn: the teacher sees that, not the old answers.
    assert intake_withdraw_consent(client=client_user).has_answers is False


def test_deleting_leaves_no_plaintext_behind(client, client_user, filled_in, teacher_user, her_class):
    intake_for_teacher(client=client_user, teacher_user=teacher_user)
    client.force_login(client_user)
    assert client.get(en("intake:delete")).status_code == 200
    assert Intake.objects.exists()
    response = client.post(en("intake:delete"))
    assert response.status_code == 302
    assert not Intake.objects.exists()
    for table in ("bookings_intake", "bookings_intakeaccess"):
        text = raw_text(table)
        for secret in SECRETS:
            assert secret not in text and secret.split()[0] not in text
    assert IntakeAccess.objects.filter(client=client_user).count() == 1  # who opened it stays, without any answer


def test_delete_service_says_whether_there_was_one(client_user, filled_in):
    assert intake_delete(client=client_user) is True
    assert intake_delete(client=client_user) is False


# Touch / no touch today ---------------------------------------------------------------------------------------


def test_the_client_says_no_touch_today_for_their_booking(client, client_user):
    booking = BookingFactory(client=client_user)
    client.force_login(client_user)
    assert client.get(en("intake:touch", pk=booking.pk)).status_code == 200
    response = client.post(en("intake:touch", pk=booking.pk), {"touch": "no"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.touch_ok is False
    event = BookingEvent.objects.get(booking=booking, action="touch_preference_set")
    assert event.note == ""  # the history says it changed, not what was chosen

    client.post(en("intake:touch", pk=booking.pk), {"touch": ""})
    booking.refresh_from_db()
    assert booking.touch_ok is None


def test_touch_on_someone_elses_booking_is_not_found(client, client_user, other_client):
    booking = BookingFactory(client=client_user)
    client.force_login(other_client)
    assert client.get(en("intake:touch", pk=booking.pk)).status_code == 404
    assert client.post(en("intake:touch", pk=booking.pk), {"touch": "yes"}).status_code == 404
    booking.refresh_from_db()
    assert booking.touch_ok is None
    with pytest.raises(BookingError):
        booking_set_touch(booking=booking, client=other_client, touch_ok=True)


def test_touch_cannot_be_set_once_the_class_has_started(client_user):
    booking = BookingFactory(client=client_user)
    with pytest.raises(BookingError):
        booking_set_touch(booking=booking, client=client_user, touch_ok=True, now=booking.session.starts_at + datetime.timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.touch_ok is None


def test_touch_only_on_a_confirmed_booking(client, client_user):
    booking = BookingFactory(client=client_user, status=Booking.Status.CANCELLED, session=SessionFactory())
    client.force_login(client_user)
    response = client.post(en("intake:touch", pk=booking.pk), {"touch": "yes"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    booking.refresh_from_db()
    assert booking.touch_ok is None


# The key's configuration (active once studio/settings.py defines INTAKE_ENCRYPTION_KEY) ---------------------


def settings_define_the_key() -> bool:
    from pathlib import Path

    import studio.settings

    return "INTAKE_ENCRYPTION_KEY" in Path(studio.settings.__file__).read_text()


def test_the_demo_and_tests_use_the_marked_demo_key(settings):
    if not settings_define_the_key():
        pytest.skip("studio/settings.py does not define INTAKE_ENCRYPTION_KEY yet")
    assert settings.INTAKE_ENCRYPTION_KEY == crypto.DEMO_KEY


@pytest.mark.parametrize("key_set", [False, True])
def test_production_refuses_to_start_without_a_key(key_set):
    import os
    import subprocess
    import sys

    if not settings_define_the_key():
        pytest.skip("studio/settings.py does not define INTAKE_ENCRYPTION_KEY yet")
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_TESTING": "false", "DJANGO_SECRET_KEY": "s" * 60, "SITE_URL": "https://studio.example", "STRIPE_API_BASE": "",
           "INTAKE_ENCRYPTION_KEY": Fernet.generate_key().decode() if key_set else ""}
    result = subprocess.run([sys.executable, "-c", "import studio.settings"], env=env, capture_output=True, text=True, timeout=60)
    if key_set:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0 and "INTAKE_ENCRYPTION_KEY" in result.stderr
