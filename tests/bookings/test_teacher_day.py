"""The teacher's day and the studio's books: roles, roster actions, cancelling a class, reports."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bookings.books import reports
from bookings.errors import BookingError
from bookings.group import roster, services
from bookings.models import Booking, BookingEvent, CreditEntry, Payment, Refund
from bookings.payments import checkout, fulfilment
from tests.factories import (
    BookingFactory,
    OfferingFactory,
    PaymentFactory,
    SessionFactory,
    UserFactory,
    class_card,
    local,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming():
    start = timezone.now() + timedelta(days=2)
    return SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=8,
                          offering=OfferingFactory(allow_pay_at_studio=True))


def teacher_urls(session, booking, client):
    return [
        ("get", reverse("bookings:teacher_overview")),
        ("get", reverse("bookings:roster", args=[session.pk])),
        ("get", reverse("bookings:add_by_hand", args=[session.pk])),
        ("get", reverse("bookings:cancel_session", args=[session.pk])),
        ("get", reverse("bookings:message_session", args=[session.pk])),
        ("post", reverse("bookings:attendance", args=[booking.pk])),
        ("post", reverse("bookings:mark_paid", args=[booking.pk])),
        ("get", reverse("teaching:client", args=[client.pk])),
    ]


def admin_urls():
    return [("get", reverse("bookings:reports")), ("get", reverse("bookings:export", args=["bookings"])),
            ("get", reverse("bookings:export", args=["payments"])), ("get", reverse("bookings:export", args=["clients"])),
            ("get", reverse("bookings:export", args=["refunds"])), ("get", reverse("bookings:export", args=["vat"])),
            ("get", reverse("bookings:vat"))]


def test_permission_matrix(client, upcoming, teacher_user, admin_person):
    someone = UserFactory(email="klant@example.nl")
    booking = BookingFactory(session=upcoming, client=someone)
    teacher_pages = teacher_urls(upcoming, booking, someone)
    for method, url in teacher_pages + admin_urls():  # anonymous: to the login page
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"], url
    client.force_login(someone)  # a client: these pages do not exist for them
    for method, url in teacher_pages + admin_urls():
        assert getattr(client, method)(url).status_code == 404, url
    client.force_login(teacher_user)  # the teacher: her day, not the books
    for method, url in teacher_pages:
        response = getattr(client, method)(url)
        assert response.status_code == (200 if method == "get" else 302), url
        assert "/account/login/" not in response.get("Location", ""), url
    for method, url in admin_urls():
        assert getattr(client, method)(url).status_code == 404, url
    client.force_login(admin_person)  # the admin: everything
    for method, url in teacher_pages + admin_urls():
        response = getattr(client, method)(url)
        assert response.status_code == (200 if method == "get" else 302), url
        assert "/account/login/" not in response.get("Location", ""), url


def test_unknown_ids_are_404_for_the_teacher(client, teacher_user):
    client.force_login(teacher_user)
    for url in ["/lesgeven/les/999999/", "/lesgeven/client/999999/", "/boekhouding/export/geheim.csv"]:
        assert client.get(url).status_code == 404


def test_check_in_opens_half_an_hour_before_and_no_show_at_the_start(upcoming, teacher_user):
    booking = BookingFactory(session=upcoming)
    start = upcoming.starts_at
    with pytest.raises(BookingError, match="half uur voor"):
        roster.attendance_set(booking=booking, attendance="present", actor=teacher_user, now=start - timedelta(minutes=31))
    with pytest.raises(BookingError, match="begonnen"):
        roster.attendance_set(booking=booking, attendance="no_show", actor=teacher_user, now=start - timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.attendance == "" and not BookingEvent.objects.filter(booking=booking).exists()
    roster.attendance_set(booking=booking, attendance="present", actor=teacher_user, now=start - timedelta(minutes=30))
    roster.attendance_set(booking=booking, attendance="", actor=teacher_user, now=start - timedelta(minutes=30))
    roster.attendance_set(booking=booking, attendance="no_show", actor=teacher_user, now=start)
    booking.refresh_from_db()
    assert booking.attendance == "no_show"


def test_the_roster_offers_no_show_only_once_the_class_has_started(client, upcoming, teacher_user):
    BookingFactory(session=upcoming)
    client.force_login(teacher_user)
    page = client.get(reverse("bookings:roster", args=[upcoming.pk])).content.decode()
    assert 'value="no_show"' not in page and 'value="present"' not in page
    with time_machine.travel(upcoming.starts_at - timedelta(minutes=10), tick=False):
        page = client.get(reverse("bookings:roster", args=[upcoming.pk])).content.decode()
    assert 'value="present"' in page and 'value="no_show"' not in page
    with time_machine.travel(upcoming.starts_at + timedelta(minutes=1), tick=False):
        page = client.get(reverse("bookings:roster", args=[upcoming.pk])).content.decode()
    assert 'value="present"' in page and 'value="no_show"' in page


def test_check_in_no_show_undo_and_paid_appear_in_the_history(upcoming, teacher_user):
    booking = BookingFactory(session=upcoming)
    started = upcoming.starts_at + timedelta(minutes=5)
    roster.attendance_set(booking=booking, attendance="present", actor=teacher_user, now=started)
    roster.attendance_set(booking=booking, attendance="", actor=teacher_user, now=started + timedelta(minutes=1))
    roster.attendance_set(booking=booking, attendance="no_show", actor=teacher_user, now=started + timedelta(minutes=2))
    payment = roster.mark_paid_at_studio(booking=booking, method="pin", actor=teacher_user, now=started + timedelta(minutes=3))
    history = list(BookingEvent.objects.filter(booking=booking).values_list("action", "actor"))
    assert history == [("checked_in", teacher_user.pk), ("attendance_undone", teacher_user.pk),
                       ("no_show", teacher_user.pk), ("paid_at_studio", teacher_user.pk)]
    assert payment.status == "paid" and payment.method == "pin" and payment.receipt_number
    with pytest.raises(services.BookingError):
        roster.mark_paid_at_studio(booking=booking, method="cash", actor=teacher_user)


def test_add_a_walk_in_after_booking_closed(teacher_user):
    start = timezone.now() + timedelta(minutes=10)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    booking = roster.add_by_hand(session=session, actor=teacher_user, pay_with="studio", first_name="Noor",
                                 last_name="Smit", email="Noor@Example.nl")
    assert booking.status == "confirmed" and booking.client.email == "noor@example.nl"
    assert not booking.client.has_usable_password()
    assert BookingEvent.objects.get(booking=booking).action == "booked_by_staff"
    assert BookingEvent.objects.get(booking=booking).actor == teacher_user


def test_add_by_hand_without_a_name_or_email_is_refused(client, upcoming, teacher_user):
    client.force_login(teacher_user)
    response = client.post(reverse("bookings:add_by_hand", args=[upcoming.pk]), {"pay_with": "studio", "first_name": "", "email": ""})
    assert response.status_code == 200 and not Booking.objects.exists()


def test_cancelling_a_class_with_five_bookings(fake_stripe, teacher_user, mailoutbox, django_capture_on_commit_callbacks):
    start = timezone.now() + timedelta(days=2)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), capacity=8, offering=OfferingFactory(allow_pay_at_studio=True))
    people = [UserFactory(email=f"p{i}@example.nl", language="en" if i == 4 else "nl") for i in range(5)]
    card_owners = people[:2]
    for person in card_owners:
        class_card(person, credits=3)
        services.booking_create(client=person, session=session, pay_with="card")
    for person in people[2:4]:
        booking = services.booking_create(client=person, session=session, pay_with="stripe")
        checkout.checkout_start(payment=booking.payment, line_name="Yin", client=person, success_url="http://t/ok?s={CHECKOUT_SESSION_ID}",
                                cancel_url="http://t/no")
        booking.payment.refresh_from_db()
        fake_stripe.pay(booking.payment.stripe_checkout_id, method="ideal")
        fulfilment.payment_fulfil(checkout_id=booking.payment.stripe_checkout_id)
    services.booking_create(client=people[4], session=session, pay_with="studio")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        roster.session_cancel_by_teacher(session=session, reason="Manoek is ziek", actor=teacher_user)
    assert CreditEntry.objects.filter(kind="return").count() == 2
    assert Refund.objects.filter(status="succeeded").count() == 2
    assert len(fake_stripe.events_of_type("refund.created")) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    english = next(m for m in mailoutbox if m.to == ["p4@example.nl"])
    assert "Manoek is ziek" in english.body
    assert not Booking.objects.filter(session=session).holding_a_place().exists()
    assert Payment.objects.filter(status="refunded").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        session.refresh_from_db()
        roster.session_cancel_by_teacher(session=session, reason="nog eens", actor=teacher_user)
    assert CreditEntry.objects.filter(kind="return").count() == 2
    assert Refund.objects.count() == 2 and len(fake_stripe.events_of_type("refund.created")) == 2
    assert len(mailoutbox) == 5


def test_cancelling_without_a_reason_is_refused(upcoming, teacher_user):
    with pytest.raises(services.BookingError):
        roster.session_cancel_by_teacher(session=upcoming, reason="  ", actor=teacher_user)
    upcoming.refresh_from_db()
    assert not upcoming.is_cancelled


def test_message_everyone_reaches_every_booked_client(upcoming, teacher_user, mailoutbox, django_capture_on_commit_callbacks):
    BookingFactory(session=upcoming, client=UserFactory(email="a@example.nl"))
    BookingFactory(session=upcoming, client=UserFactory(email="b@example.nl", language="en"))
    with django_capture_on_commit_callbacks(execute=True):
        count = roster.message_everyone(session=upcoming, subject="Dekentje", body="Neem vanavond een dekentje mee <b>", actor=teacher_user)
    assert count == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.nl", "b@example.nl"]
    html = mailoutbox[0].alternatives[0][0]
    assert "Neem vanavond een dekentje mee &lt;b&gt;" in html


# Reports and exports on a fixed data set ------------------------------------------


@pytest.fixture
def october():
    """Four Yin sessions in October 2026 and the money of that month."""
    yin = OfferingFactory()
    sessions = [SessionFactory(offering=yin, starts_at=local(2026, 10, day, 19, 30), ends_at=local(2026, 10, day, 20, 45), capacity=10)
                for day in (6, 13, 20, 27)]
    people = [UserFactory(email=f"c{i}@example.nl") for i in range(6)]
    # 6 + 4 + 0 + 10 confirmed bookings; one no-show; one late cancellation; one in-time cancellation.
    for session, count in zip(sessions, (6, 4, 0, 10), strict=True):
        for i in range(count):
            BookingFactory(session=session, client=UserFactory(email=f"s{session.pk}-{i}@example.nl"))
    first = sessions[0].bookings.first()
    first.attendance = "no_show"
    first.save()
    BookingFactory(session=sessions[1], client=people[0], status="cancelled", late_cancellation=True)
    BookingFactory(session=sessions[1], client=people[1], status="cancelled", late_cancellation=False)
    paid_at = local(2026, 10, 15, 12, 0)
    PaymentFactory(client=people[2], purpose="drop_in", amount_cents=1750, status="paid", paid_at=paid_at, receipt_number="2026-00001")
    PaymentFactory(client=people[3], purpose="class_card", amount_cents=8000, status="paid", paid_at=paid_at, receipt_number="2026-00002")
    PaymentFactory(client=people[4], purpose="drop_in", amount_cents=1750, status="refunded", refunded_cents=1750, paid_at=paid_at,
                   receipt_number="2026-00003")
    PaymentFactory(client=people[5], purpose="class_card", amount_cents=15000, status="paid", paid_at=local(2026, 11, 2, 9, 0),
                   receipt_number="2026-00004")
    return sessions


def test_reports_give_the_expected_numbers(october):
    period = reports.Period(date(2026, 10, 1), date(2026, 10, 31))
    figures = reports.report(period, now=local(2026, 11, 22, 12, 0))
    assert figures["occupancy"]["per_style"] == [{"style": "Yin yoga", "taken": 20, "places": 40, "sessions": 4, "percent": 50.0}]
    assert [w["percent"] for w in figures["occupancy"]["per_week"]] == [60.0, 40.0, 0.0, 100.0]
    assert figures["revenue"]["total"] == 9750
    assert figures["revenue"]["per_product"]["drop_in"] == 1750 and figures["revenue"]["per_product"]["class_card"] == 8000
    rates = figures["rates"]
    assert (rates["confirmed"], rates["no_show"], rates["late"], rates["cancelled"]) == (20, 1, 1, 2)
    assert rates["no_show_percent"] == 5.0 and rates["late_cancel_percent"] == round(100 / 22, 1)
    assert figures["occupancy"]["top_sessions"][0] == october[3]


def test_csv_exports_match_the_reports(october, client, admin_person):
    client.force_login(admin_person)
    query = "?first=2026-10-01&last=2026-10-31"
    # Made for Dutch Excel (tests/bookings/test_books_exports.py reads them as it does): BOM, semicolons, decimal commas.
    def rows(kind):
        body = client.get(f"/boekhouding/export/{kind}.csv" + query).content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(body), delimiter=";"))

    payments_csv = rows("payments")
    assert sum(int(row["Netto ontvangen (€)"].replace(",", "")) for row in payments_csv) == 9750
    assert [row["Bonnummer"] for row in payments_csv] == ["2026-00001", "2026-00002", "2026-00003"]
    bookings_csv = rows("bookings")
    assert sum(1 for row in bookings_csv if row["Status"] == "Geboekt") == 20
    assert sum(1 for row in bookings_csv if row["Aanwezigheid"] == "Niet gekomen") == 1
    clients_csv = client.get("/boekhouding/export/clients.csv" + query)
    assert clients_csv["Content-Type"] == "text/csv; charset=utf-8"


def test_csv_cells_cannot_become_formulas(client, admin_person):
    UserFactory(email="x@example.nl", first_name="=HYPERLINK(\"http://evil\")")
    client.force_login(admin_person)
    body = client.get("/boekhouding/export/clients.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_a_bad_period_is_refused(client, admin_person):
    client.force_login(admin_person)
    export = client.get("/boekhouding/export/payments.csv?first=2026-10-31&last=2026-10-01")
    assert export.status_code == 400 and "De einddatum ligt voor de begindatum." in export.content.decode()
    page = client.get("/boekhouding/overzichten/?first=2026-10-31&last=2026-10-01")
    assert page.status_code == 200
    assert "De einddatum ligt voor de begindatum." in page.content.decode()


def test_the_menu_shows_the_teacher_her_day_and_clients_not(client, teacher_user, client_user):
    client.force_login(teacher_user)
    assert 'href="/lesgeven/">Lesgeven</a>' in client.get("/profiel/").content.decode()
    client.force_login(client_user)
    assert 'href="/lesgeven/"' not in client.get("/profiel/").content.decode()
