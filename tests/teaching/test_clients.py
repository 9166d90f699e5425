"""The teacher's clients in the back office: finding one in a few letters, her page (in plain words,
never event codes), booking her into a class, a one-to-one or a programme group, giving and
correcting classes with a reason, and adding a walk-in who gets an invitation to choose a password."""

import ast
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from bookings import history
from bookings.group import cards, services
from bookings.models import (
    Appointment,
    AppointmentEvent,
    Booking,
    BookingEvent,
    ClassCard,
    CreditEntry,
    Payment,
    ProgrammeEnrolment,
)
from bookings.personal import availability, by_staff
from bookings.personal import notes as personal_notes
from bookings.teaching import clients
from classes.models import STUDIO_TZ
from core.roles import SCOPE_MINE, SCOPE_STUDIO
from tests.factories import (
    AppointmentFactory,
    AppointmentTypeFactory,
    BookingFactory,
    ClassCardTypeFactory,
    OfferingFactory,
    PaymentFactory,
    SessionFactory,
    TeacherFactory,
    UserFactory,
    class_card,
    individual_tre_type,
    intake_for,
    programme_run,
    teacher_at_work,
)

pytestmark = pytest.mark.django_db

BOOKINGS = Path(__file__).resolve().parents[2] / "bookings"


@pytest.fixture
def desk_admin():
    """The studio's admin, who teaches no classes herself."""
    user = UserFactory(email="bea@example.nl", first_name="Bea", last_name="Beheer", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Admin")[0])
    return user


@pytest.fixture
def colleague():
    """Another teacher of the studio, with her own class."""
    other = TeacherFactory(slug="ilse", user=UserFactory(email="ilse@example.nl", first_name="Ilse", last_name="Sanders", is_staff=True))
    other.user.groups.add(Group.objects.get_or_create(name="Teacher")[0])
    return other


@pytest.fixture
def as_teacher(client, teacher_user):
    client.force_login(teacher_user)
    return client


def in_two_days(**fields):
    start = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    return SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), **fields)


# Finding a client ----------------------------------------------------------------------------------


def test_three_letters_of_her_name_find_her(client_user, other_client):
    for query in ("san", "SAN", "vri", "sanne de v", "de vries", "vries sanne"):
        found = clients.client_search(query, scope=SCOPE_STUDIO).results
        assert found == [client_user], query
    assert clients.client_search("sa", scope=SCOPE_STUDIO).results == []
    assert clients.client_search("sa", scope=SCOPE_STUDIO).too_short
    assert clients.client_search("pieter@exa", scope=SCOPE_STUDIO).results == [other_client]


def test_part_of_her_phone_number_finds_her_however_it_is_written(client_user, other_client):
    client_user.phone = "+31 6 1234 5678"
    client_user.save()
    other_client.phone = "06-87654321"
    other_client.save()
    for query in ("06 1234", "0612345678", "+31 6 12", "1234 5678", "12345678", "+31612"):
        assert clients.client_search(query, scope=SCOPE_STUDIO).results == [client_user], query
    for query in ("0687", "+31 687", "06-8765", "0031 687"):
        assert clients.client_search(query, scope=SCOPE_STUDIO).results == [other_client], query


def test_phone_variants_are_digits_in_both_dutch_ways():
    assert clients.phone_variants("06 123") == {"06123", "316123"}
    assert clients.phone_variants("+31 6 12") == {"31612", "0612"}
    assert clients.phone_variants("sanne") == set()
    assert clients.phone_variants("1 2") == set()


def test_staff_are_not_clients(client_user, teacher_user, desk_admin):
    client_user.first_name = "Manon"
    client_user.save()
    assert clients.client_search("man", scope=SCOPE_STUDIO).results == [client_user]  # Manoek, the teacher, is not a client
    assert clients.client_search("bea", scope=SCOPE_STUDIO).results == []


def test_the_walk_in_search_leaves_out_staff_and_links_to_adding(as_teacher, session, client_user, teacher_user):
    url = reverse("teaching:clients")
    page = as_teacher.get(url, {"q": "manoek", "session": session.pk}).content.decode()
    assert "manoek@example.nl" not in page
    page = as_teacher.get(url, {"q": "sanne", "session": session.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page  # the results only, for htmx
    assert f'{reverse("bookings:add_by_hand", args=[session.pk])}?client={client_user.pk}' in page


def test_her_own_clients_by_default_and_the_whole_studio_with_the_switch(as_teacher, teacher, colleague, client_user, other_client):
    other_client.last_name = "de Vries"
    other_client.save()
    BookingFactory(client=client_user, session=in_two_days(teacher=teacher))
    BookingFactory(client=other_client, session=in_two_days(teacher=colleague, offering=OfferingFactory(slug="hatha")))
    assert clients.client_search("vries", scope=SCOPE_MINE, teacher=teacher).results == [client_user]
    assert clients.client_search("vries", scope=SCOPE_STUDIO, teacher=teacher).results == [other_client, client_user]
    url = reverse("teaching:clients")
    page = as_teacher.get(url, {"q": "vries"}).content.decode()
    assert "sanne@example.nl" in page and "pieter@example.nl" not in page
    page = as_teacher.get(url, {"q": "vries", "scope": "studio"}).content.decode()
    assert "sanne@example.nl" in page and "pieter@example.nl" in page
    page = as_teacher.get(url, {"q": "vries"}, HTTP_HX_REQUEST="true").content.decode()  # remembered
    assert "pieter@example.nl" in page


def test_a_one_to_one_or_a_programme_with_her_makes_a_client_hers(teacher, client_user, other_client):
    kind = AppointmentTypeFactory(teacher=teacher)
    start = timezone.now() + timedelta(days=3)
    Appointment.objects.create(client=client_user, appointment_type=kind, teacher=teacher, starts_at=start, ends_at=start + timedelta(hours=1),
                               status="confirmed", paid_with="stripe")
    run = programme_run(starts=timezone.now() + timedelta(days=10), teacher=teacher)
    ProgrammeEnrolment.objects.create(client=other_client, offering=run.offering, run=run, status="active", sessions_total=3, price_cents=1)
    found = clients.client_search("example.nl", scope=SCOPE_MINE, teacher=teacher).results
    assert set(found) == {client_user, other_client}


def test_the_search_page_works_without_javascript_and_tells_same_names_apart(as_teacher, client_user):
    twin = UserFactory(email="sanne.devries@elders.nl", first_name="Sanne", last_name="de Vries", phone="06 11 22 33 44")
    BookingFactory(client=twin, session=SessionFactory(starts_at=timezone.now() - timedelta(days=3),
                                                       ends_at=timezone.now() - timedelta(days=3, hours=-1)))
    response = as_teacher.get(reverse("teaching:clients"), {"q": "sanne", "scope": "studio"})
    page = response.content.decode()
    assert response.status_code == 200 and 'method="get"' in page and 'data-hx-get="' in page
    assert "sanne@example.nl" in page and "sanne.devries@elders.nl" in page and "06 11 22 33 44" in page
    assert page.count('class="card client-result"') == 2
    assert reverse("teaching:client", args=[twin.pk]) in page


def test_the_search_costs_the_same_queries_for_three_or_thirty_people(as_teacher, django_assert_max_num_queries):
    url = reverse("teaching:clients")

    def people(count, start):
        for number in range(start, start + count):
            person = UserFactory(email=f"lotte{number}@example.nl", first_name="Lotte", last_name=f"Bakker {number}", phone=f"06 5555 {number:04d}")
            BookingFactory(client=person, session=in_two_days())

    people(3, 0)
    with django_assert_max_num_queries(9) as small:  # the session, her account and roles, and one query for the people found
        assert as_teacher.get(url, {"q": "lotte", "scope": "studio"}).status_code == 200
    people(30, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = as_teacher.get(url, {"q": "lotte", "scope": "studio"}).content.decode()
    assert page.count('class="card client-result"') == clients.LIMIT


# Permissions ---------------------------------------------------------------------------------------


def client_urls(person):
    return [reverse(name, args=[person.pk]) for name in ("teaching:client", "teaching:client_book_class", "teaching:client_book_one_to_one",
                                                          "teaching:client_book_programme", "teaching:client_credits")] + [reverse("teaching:clients")]


def test_anonymous_visitors_go_to_log_in(client, client_user):
    for url in client_urls(client_user):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"], url


def test_clients_get_a_404(client, client_user, other_client):
    client.force_login(other_client)
    for url in client_urls(client_user):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"delta": "5", "reason": "x"}).status_code == 404, url
    assert not CreditEntry.objects.exists()


def test_any_teacher_and_the_admin_open_every_client_page(client, client_user, colleague, desk_admin):
    for person in (colleague.user, desk_admin):
        client.force_login(person)
        for url in client_urls(client_user):
            assert client.get(url).status_code == 200, (person, url)
    assert client.get(reverse("teaching:client", args=[987654])).status_code == 404


# Her page ----------------------------------------------------------------------------------------


def test_her_page_shows_bookings_cards_with_their_ledger_and_consent(as_teacher, client_user, session, teacher_user):
    card = class_card(client_user, credits=5)
    services.booking_create(client=client_user, session=session, pay_with="card")
    cards.card_correct(card=card, delta=2, reason="Les verplaatst in oktober", actor=teacher_user)
    intake_for(client_user)
    page = as_teacher.get(reverse("teaching:client", args=[client_user.pk])).content.decode()
    assert session.offering.name in page and reverse("bookings:roster", args=[session.pk]) in page
    assert "Les verplaatst in oktober" in page and "Manoek Klootwijk" in page  # who and why
    assert "+2" in page and "-1" in page
    assert reverse("intake:teacher", args=[client_user.pk]) in page
    for name in ("teaching:client_book_class", "teaching:client_book_one_to_one", "teaching:client_book_programme", "teaching:client_credits"):
        assert reverse(name, args=[client_user.pk]) in page


def test_the_intake_link_is_only_for_her_own_teachers_and_the_admin(client, client_user, session, colleague, desk_admin):
    BookingFactory(client=client_user, session=session)  # a class of Manoek's, not of Ilse's
    link = reverse("intake:teacher", args=[client_user.pk])
    client.force_login(colleague.user)
    assert link not in client.get(reverse("teaching:client", args=[client_user.pk])).content.decode()
    client.force_login(desk_admin)
    assert link in client.get(reverse("teaching:client", args=[client_user.pk])).content.decode()


def test_her_history_is_in_plain_words_never_codes(as_teacher, client_user, teacher_user):
    booking = BookingFactory(client=client_user, session=in_two_days())
    for action, note in (("offered_from_waitlist", ""), ("claimed_offer", ""), ("touch_preference_set", ""),
                         ("released", "checkout could not start"), ("booked_by_staff", "Strippenkaart"), ("booked", "programme"),
                         ("cancelled_by_studio", "Ziek, sorry"), ("paid_at_studio", "PIN in de studio"), ("some_future_code", "a_machine_note")):
        history.record(booking, action, actor=teacher_user, note=note)
    kind = AppointmentTypeFactory(teacher=teacher_user.teacher_profile)
    start = timezone.now() + timedelta(days=4)
    appointment = Appointment.objects.create(client=client_user, appointment_type=kind, teacher=teacher_user.teacher_profile, starts_at=start,
                                             ends_at=start + timedelta(hours=1), status="confirmed", paid_with="studio")
    AppointmentEvent.objects.create(appointment=appointment, action="moved", note="01-06-2026 10:00 -> 02-06-2026 11:00")
    AppointmentEvent.objects.create(appointment=appointment, action="paid_without_time")
    PaymentFactory(client=client_user, status="failed", problem="checkout could not start")
    page = as_teacher.get(reverse("teaching:client", args=[client_user.pk])).content.decode()
    shown = page.split('id="history-heading"', 1)[1]
    codes = {action for action in history.ACTIONS if "_" in action} | {"some_future_code", "a_machine_note"}
    codes |= {note for note, label in history.NOTES.items() if " " in note and str(label) != note}
    assert not [code for code in codes if code in page], [code for code in codes if code in page]
    for action in ("claimed_offer", "touch_preference_set", "released", "cancelled_by_studio", "moved", "paid_without_time", "offered_from_waitlist"):
        assert str(history.ACTIONS[action]) in shown, action
    assert str(history.NOTES["checkout could not start"]) in page
    assert "Ziek, sorry" in shown and "02-06-2026 11:00" in shown and str(history.SOMETHING_CHANGED) in shown


def recorded_actions_and_notes():
    """Every action the code records (record(subject, <action>, ...)) and every note or reason it writes."""
    actions, notes, unresolved = set(), set(), []

    def strings(node, names):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return strings(node.body, names) | strings(node.orelse, names)
        if isinstance(node, ast.Subscript):
            return strings(node.value, names)
        if isinstance(node, ast.Dict):
            return set().union(*(strings(value, names) for value in node.values))
        if isinstance(node, ast.Name) and node.id in names:
            return set().union(*(strings(value, names) for value in names[node.id]))
        unresolved.append(ast.unparse(node))
        return set()

    for path in BOOKINGS.rglob("*.py"):
        if "migrations" in path.parts or path.name == "demo.py":  # the demo's own data is no record
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            arguments = function.args
            for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
                if argument.arg in ("note", "reason") and isinstance(default, ast.Constant) and default.value:
                    notes.add(default.value)
            names = {}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            names.setdefault(target.id, []).append(node.value)
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                if name == "record" and len(call.args) >= 2 and function.name != "record":
                    actions |= strings(call.args[1], names)
                for keyword in call.keywords:
                    if keyword.arg in ("note", "reason", "problem") and isinstance(keyword.value, ast.Constant) and keyword.value.value:
                        notes.add(keyword.value.value)
    return actions, notes, unresolved


def test_every_action_and_note_the_code_records_has_plain_words():
    actions, notes, unresolved = recorded_actions_and_notes()
    assert not unresolved, f"record() with an action the test cannot read: {unresolved}"
    assert {"booked", "claimed_offer", "touch_preference_set", "booked_by_staff", "attended"} <= actions  # the scan sees them
    assert not actions - set(history.ACTIONS), f"give these actions a sentence in bookings/history.py: {actions - set(history.ACTIONS)}"
    assert "checkout could not start" in notes
    assert not notes - set(history.NOTES), f"give these notes a sentence in bookings/history.py: {notes - set(history.NOTES)}"


def test_her_page_costs_the_same_queries_however_much_she_booked(as_teacher, client_user, teacher, django_assert_max_num_queries):
    url = reverse("teaching:client", args=[client_user.pk])
    kind = AppointmentTypeFactory(teacher=teacher)

    def visits(count):
        for number in range(count):
            class_card(client_user, credits=3, name=f"kaart {number}")
            booking = services.booking_create(client=client_user, session=in_two_days(offering=OfferingFactory(slug=f"les-{number}")),
                                              pay_with="card")
            history.record(booking, "touch_preference_set", actor=client_user)
            start = timezone.now() + timedelta(days=5 + number)
            Appointment.objects.create(client=client_user, appointment_type=kind, teacher=teacher, starts_at=start,
                                       ends_at=start + timedelta(hours=1), status="confirmed", paid_with="studio")
            PaymentFactory(client=client_user)

    visits(1)
    with django_assert_max_num_queries(25) as small:
        assert as_teacher.get(url).status_code == 200
    visits(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert as_teacher.get(url).status_code == 200


# Booking her in from her page ----------------------------------------------------------------------


def test_booking_her_into_a_class_with_a_class_card(as_teacher, client_user, session, teacher_user):
    card = class_card(client_user, credits=5)
    response = as_teacher.post(reverse("teaching:client_book_class", args=[client_user.pk]), {"session": session.pk, "pay_with": "card"})
    assert response.status_code == 302 and response["Location"] == reverse("teaching:client", args=[client_user.pk])
    booking = Booking.objects.get(client=client_user, session=session)
    assert (booking.status, booking.paid_with, booking.card) == ("confirmed", "card", card)
    assert ClassCard.objects.with_balance().get(pk=card.pk).balance == 4
    event = BookingEvent.objects.get(booking=booking)
    assert (event.action, event.actor) == ("booked_by_staff", teacher_user)
    session.refresh_from_db()
    assert session.places_taken == 1


def test_booking_her_into_a_class_she_pays_at_the_studio(as_teacher, client_user):
    session = in_two_days(offering=OfferingFactory(allow_pay_at_studio=False))  # online-only for clients; the teacher may
    url = reverse("teaching:client_book_class", args=[client_user.pk])
    assert str(session.pk) in as_teacher.get(url).content.decode()
    assert as_teacher.post(url, {"session": session.pk, "pay_with": "studio"}).status_code == 302
    booking = Booking.objects.get(client=client_user, session=session)
    assert (booking.status, booking.paid_with, booking.price_cents) == ("confirmed", "studio", session.offering.drop_in_price_cents)


def test_booking_with_a_card_she_does_not_have_is_refused_and_nothing_is_saved(as_teacher, client_user, session):
    response = as_teacher.post(reverse("teaching:client_book_class", args=[client_user.pk]), {"session": session.pk, "pay_with": "card"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 0
    response = as_teacher.post(reverse("teaching:client_book_class", args=[client_user.pk]), {"session": "", "pay_with": "studio"})
    assert "session" in response.context["form"].errors and not Booking.objects.exists()


def test_booking_her_into_a_one_to_one_she_pays_at_the_studio(as_teacher, client_user, django_capture_on_commit_callbacks):
    working = teacher_at_work()
    kind = AppointmentTypeFactory(teacher=working)
    url = reverse("teaching:client_book_one_to_one", args=[client_user.pk])
    page = as_teacher.get(url).content.decode()
    slot = availability.free_slots(kind, now=timezone.now())[0]
    assert f'value="{slot.astimezone(STUDIO_TZ).isoformat()}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_teacher.post(url, {"type": kind.pk, "starts_at": slot.isoformat(), "pay_with": "studio"})
    assert response.status_code == 302
    appointment = Appointment.objects.get(client=client_user)
    assert (appointment.status, appointment.paid_with, appointment.price_cents, appointment.starts_at) == (
        "confirmed", "studio", kind.price_cents, slot)
    assert appointment.events.get().action == "booked_by_staff"
    assert [message.to for message in mail.outbox] == [[client_user.email]]  # she is told; the teacher booked it herself
    assert slot not in availability.free_slots(kind, now=timezone.now())


def test_a_one_to_one_paid_at_the_studio_is_marked_paid_once_with_a_receipt(client, client_user):
    working = teacher_at_work()
    kind = AppointmentTypeFactory(teacher=working)
    slot = availability.free_slots(kind, now=timezone.now())[0]
    appointment = by_staff.appointment_book_by_staff(client=client_user, appointment_type=kind, starts_at=slot, pay_with="studio",
                                                     actor=working.user)
    client.force_login(working.user)
    page = client.get(reverse("bookings:teacher_appointment", args=[appointment.pk])).content.decode()
    assert reverse("bookings:teacher_appointment_paid", args=[appointment.pk]) in page
    url = reverse("bookings:teacher_appointment_paid", args=[appointment.pk])
    assert client.post(url, {"method": "cheque"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.payment is None  # an unknown way of paying saves nothing
    client.post(url, {"method": "pin"})
    client.post(url, {"method": "cash"})  # twice: still one payment
    appointment.refresh_from_db()
    payment = appointment.payment
    assert (payment.status, payment.method, payment.amount_cents) == ("paid", "pin", kind.price_cents)
    assert payment.receipt_number and Payment.objects.filter(client=client_user).count() == 1
    assert "paid_at_studio" in appointment.events.values_list("action", flat=True)


def test_a_one_to_one_at_a_time_that_is_not_free_is_refused(as_teacher, client_user, other_client):
    working = teacher_at_work()
    kind = AppointmentTypeFactory(teacher=working)
    slot = availability.free_slots(kind, now=timezone.now())[0]
    by_staff.appointment_book_by_staff(client=other_client, appointment_type=kind, starts_at=slot, pay_with="studio", actor=working.user)
    url = reverse("teaching:client_book_one_to_one", args=[client_user.pk])
    response = as_teacher.post(url, {"type": kind.pk, "starts_at": slot.isoformat(), "pay_with": "studio"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = as_teacher.post(url, {"type": kind.pk, "starts_at": "morgen", "pay_with": "studio"})
    assert "starts_at" in response.context["form"].errors
    assert not Appointment.objects.filter(client=client_user).exists()


def test_a_one_to_one_can_use_a_session_of_her_programme(client_user, teacher_user):
    working = teacher_at_work()
    tre = individual_tre_type(teacher=working)
    enrolment = ProgrammeEnrolment.objects.create(client=client_user, offering=tre.offering, appointment_type=tre, status="active",
                                                  sessions_total=3, price_cents=22500)
    enrolment.credit_entries.create(delta=3, kind="purchase")
    slot = availability.free_slots(tre, now=timezone.now())[0]
    appointment = by_staff.appointment_book_by_staff(client=client_user, appointment_type=tre, starts_at=slot, pay_with="programme",
                                                     actor=teacher_user)
    assert (appointment.paid_with, appointment.enrolment, appointment.price_cents) == ("programme", enrolment, 0)
    assert ProgrammeEnrolment.objects.with_balance().get(pk=enrolment.pk).balance == 2


def test_booking_her_into_a_programme_group(as_teacher, client_user, teacher, django_capture_on_commit_callbacks):
    run = programme_run(starts=timezone.now() + timedelta(days=10), teacher=teacher, capacity=4)
    url = reverse("teaching:client_book_programme", args=[client_user.pk])
    assert as_teacher.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert as_teacher.post(url, {"run": run.pk}).status_code == 302
    enrolment = ProgrammeEnrolment.objects.get(client=client_user)
    assert (enrolment.status, enrolment.payment, enrolment.price_cents) == ("active", None, run.price_cents)
    assert [b.status for b in enrolment.bookings.all()] == ["confirmed"] * 3
    assert [s.places_taken for s in run.sessions.all()] == [1, 1, 1]
    assert mail.outbox[-1].to == [client_user.email]
    response = as_teacher.post(url, {"run": run.pk})  # twice: refused, nothing more
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert ProgrammeEnrolment.objects.count() == 1 and [s.places_taken for s in run.sessions.all()] == [1, 1, 1]


# Classes given and corrected ----------------------------------------------------------------------


def credits_post(http, person, **data):
    return http.post(reverse("teaching:client_credits", args=[person.pk]), data)


def balance(card):
    return ClassCard.objects.with_balance().get(pk=card.pk).balance


def test_giving_and_correcting_classes_are_ledger_rows_with_a_reason(as_teacher, client_user, teacher_user):
    card = class_card(client_user, credits=5)
    assert credits_post(as_teacher, client_user, target=f"card-{card.pk}", delta="2", reason="Les uitgevallen").status_code == 302
    assert credits_post(as_teacher, client_user, target=f"card-{card.pk}", delta="-3", reason="Dubbel geboekt").status_code == 302
    rows = list(CreditEntry.objects.filter(card=card, kind="correction").values_list("delta", "reason", "created_by"))
    assert rows == [(2, "Les uitgevallen", teacher_user.pk), (-3, "Dubbel geboekt", teacher_user.pk)]
    assert balance(card) == 4  # 5 + 2 - 3: the sum of the rows


def test_a_correction_below_zero_is_refused_with_a_message(as_teacher, client_user):
    card = class_card(client_user, credits=2)
    response = credits_post(as_teacher, client_user, target=f"card-{card.pk}", delta="-3", reason="Te veel")
    assert response.status_code == 200
    assert response.context["form"].errors["delta"] == [gettext("This would leave the card below zero classes.")]
    assert balance(card) == 2 and not CreditEntry.objects.filter(kind="correction").exists()


def test_a_correction_needs_a_reason_and_a_number(as_teacher, client_user):
    card = class_card(client_user, credits=2)
    response = credits_post(as_teacher, client_user, target=f"card-{card.pk}", delta="1", reason="   ")
    assert "reason" in response.context["form"].errors
    response = credits_post(as_teacher, client_user, target=f"card-{card.pk}", delta="0", reason="Niets")
    assert "delta" in response.context["form"].errors
    response = credits_post(as_teacher, client_user, target="card-999999", delta="1", reason="Andermans kaart")
    assert "target" in response.context["form"].errors
    assert not CreditEntry.objects.filter(kind="correction").exists()


def test_a_card_of_someone_else_cannot_be_corrected_from_her_page(as_teacher, client_user, other_client):
    card = class_card(other_client, credits=2)
    response = credits_post(as_teacher, client_user, target=f"card-{card.pk}", delta="5", reason="Poging")
    assert "target" in response.context["form"].errors and balance(card) == 2


def test_a_new_free_card_when_she_has_none(as_teacher, client_user, teacher_user):
    card_type = ClassCardTypeFactory(name_nl="Proefkaart", name_en="Trial card", credits=3, validity_months=2)
    response = credits_post(as_teacher, client_user, target=f"type-{card_type.pk}", delta="-1", reason="Welkom")
    assert "delta" in response.context["form"].errors and not ClassCard.objects.exists()
    response = credits_post(as_teacher, client_user, target=f"type-{card_type.pk}", delta="1", reason="Welkomstles")
    assert response.status_code == 302
    card = ClassCard.objects.get(client=client_user)
    assert (card.card_type, card.payment) == (card_type, None)
    assert list(card.entries.values_list("delta", "kind", "reason", "created_by")) == [(1, "correction", "Welkomstles", teacher_user.pk)]
    assert balance(card) == 1 and card.expires_at > timezone.now() + timedelta(days=55)


# Walk-ins ----------------------------------------------------------------------------------------


def test_a_new_walk_in_gets_an_invitation_whose_link_sets_her_password(client, as_teacher, session, django_capture_on_commit_callbacks):
    url = reverse("bookings:add_by_hand", args=[session.pk])
    page = as_teacher.get(url).content.decode()
    assert 'data-hx-get="' in page and 'name="session"' in page and "<select" not in page.split('id="new-person"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_teacher.post(url, {"first_name": "Noor", "last_name": "Smit", "email": "Noor@Example.nl", "language": "en",
                                         "pay_with": "studio"})
    assert response.status_code == 302
    noor = get_user_model().objects.get(email="noor@example.nl")
    assert Booking.objects.get(session=session).client == noor and not noor.has_usable_password() and noor.language == "en"
    invitation = [message for message in mail.outbox if message.to == ["noor@example.nl"] and "Welcome" in message.subject]
    assert len(invitation) == 1, [message.subject for message in mail.outbox]
    link = re.search(r"https?://\S+/account/password/reset/key/\S+", invitation[0].body).group(0)
    path = urlparse(link).path
    assert path.startswith("/en/")  # in her language
    client.logout()
    response = client.get(path, follow=True)
    assert response.status_code == 200 and 'name="password1"' in response.content.decode()
    response = client.post(response.redirect_chain[-1][0] if response.redirect_chain else path,
                           {"password1": "Zacht-ademen-2026", "password2": "Zacht-ademen-2026"})
    assert response.status_code == 302
    noor.refresh_from_db()
    assert noor.check_password("Zacht-ademen-2026")
    assert 'name="password1"' not in client.get(path, follow=True).content.decode()  # the link works once
    assert EmailAddress.objects.get(user=noor).verified  # the link proved the address: no second confirmation
    client.logout()
    response = client.post("/en/account/login/", {"login": "noor@example.nl", "password": "Zacht-ademen-2026"})
    assert response.status_code == 302 and "confirm-email" not in response["Location"]


def test_a_walk_in_with_a_known_email_is_that_person_and_gets_no_invitation(as_teacher, session, client_user,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_teacher.post(reverse("bookings:add_by_hand", args=[session.pk]),
                                   {"first_name": "S.", "email": "SANNE@example.nl", "language": "nl", "pay_with": "studio"}, follow=True)
    assert get_user_model().objects.filter(email__iexact="sanne@example.nl").count() == 1
    assert Booking.objects.get(session=session).client == client_user
    assert not [message for message in mail.outbox if "Welcome" in message.subject]
    assert any("sanne@example.nl" in str(message) for message in response.context["messages"])


def test_a_walk_in_needs_a_first_name_and_a_valid_email(as_teacher, session):
    response = as_teacher.post(reverse("bookings:add_by_hand", args=[session.pk]),
                               {"first_name": "", "email": "geen-adres", "language": "nl", "pay_with": "studio"})
    assert response.status_code == 200
    assert {"first_name", "email"} <= set(response.context["form"].errors)
    assert not Booking.objects.exists() and not get_user_model().objects.filter(email="geen-adres").exists()


def test_a_client_found_with_the_search_is_added_to_the_class(as_teacher, session, client_user):
    url = reverse("bookings:add_by_hand", args=[session.pk])
    page = as_teacher.get(url, {"client": client_user.pk}).content.decode()
    assert "sanne@example.nl" in page and f'value="{client_user.pk}"' in page
    response = as_teacher.post(url, {"client": client_user.pk, "pay_with": "studio"})
    assert response.status_code == 302
    assert Booking.objects.get(session=session).client == client_user
    assert as_teacher.get(url, {"client": 987654}).status_code == 404


# Only her own classes, only clients -----------------------------------------------------------------


def test_from_her_page_a_teacher_books_only_into_her_own_classes(as_teacher, client_user, teacher, colleague, desk_admin):
    theirs = in_two_days(teacher=colleague)
    hers = in_two_days(teacher=teacher, offering=OfferingFactory(slug="hatha"))
    url = reverse("teaching:client_book_class", args=[client_user.pk])
    page = as_teacher.get(url).content.decode()
    assert f'value="{hers.pk}"' in page and f'value="{theirs.pk}"' not in page
    response = as_teacher.post(url, {"session": theirs.pk, "pay_with": "studio"})
    assert response.status_code == 200 and "session" in response.context["form"].errors
    assert not Booking.objects.exists()
    as_teacher.force_login(desk_admin)  # the admin books anyone into any class
    assert as_teacher.post(url, {"session": theirs.pk, "pay_with": "studio"}).status_code == 302
    assert Booking.objects.get(client=client_user).session == theirs


def test_staff_accounts_are_nobodys_client(as_teacher, teacher_user, colleague, session):
    for person in (teacher_user, colleague.user):
        assert as_teacher.get(reverse("teaching:client", args=[person.pk])).status_code == 404
        assert as_teacher.post(reverse("teaching:client_credits", args=[person.pk]),
                               {"target": "new", "delta": 50, "reason": "x"}).status_code == 404
    response = as_teacher.post(reverse("bookings:add_by_hand", args=[session.pk]),
                               {"first_name": "Ilse", "email": colleague.user.email, "pay_with": "studio"})
    assert response.status_code == 200 and not Booking.objects.exists()
    assert as_teacher.get(reverse("bookings:add_by_hand", args=[session.pk]), {"client": colleague.user.pk}).status_code == 404
    assert not ClassCard.objects.exists()


def test_session_notes_and_touch_choices_are_for_her_own_teacher(client, client_user, teacher, colleague, desk_admin):
    yesterday = timezone.now() - timedelta(days=1)
    appointment = AppointmentFactory(client=client_user, teacher=teacher, starts_at=yesterday, ends_at=yesterday + timedelta(hours=1))
    personal_notes.note_save(author=teacher.user, appointment=appointment, note="Veel spanning in de schouders", aftercare="Rust en water")
    coming = AppointmentFactory(client=client_user, teacher=teacher, touch_ok=False)
    url = reverse("teaching:client", args=[client_user.pk])
    for person, sees in ((teacher.user, True), (desk_admin, True), (colleague.user, False)):
        client.force_login(person)
        context = client.get(url).context
        assert ("Veel spanning in de schouders" in context["notes"][0].note if context["notes"] else False) is sees, person
        assert (coming in context["touch"]) is sees, person
