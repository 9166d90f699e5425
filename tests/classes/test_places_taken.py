"""`places_taken` is written only by the place accounting: a save of a session read earlier (by the
admin, a form, a service) never writes a stale count over a booking made in the meantime."""


import pytest
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone

from bookings.group import services
from classes.models import Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_saving_a_session_read_before_a_booking_keeps_the_booking_counted(session):
    read_earlier = Session.objects.get(pk=session.pk)
    services.booking_create(client=UserFactory(email="sanne@example.nl"), session=session, pay_with="studio", by_staff=True)
    read_earlier.note = "Neem een dekentje mee"
    read_earlier.save()
    fresh = Session.objects.get(pk=session.pk)
    assert fresh.places_taken == 1 and fresh.note == "Neem een dekentje mee"


def test_the_admin_saving_a_session_while_someone_books_keeps_the_count(client, session):
    """The admin's change form is posted; between reading the row and saving it, a client books."""
    client.force_login(UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True))
    booked = []

    def someone_books_meanwhile(sender, instance, **kwargs):
        if instance.pk == session.pk and not booked:
            booked.append(services.booking_create(client=UserFactory(email="pieter@example.nl"), session=session,
                                                  pay_with="studio", by_staff=True))

    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)  # late at night: ends the next day
    form = {
        "offering": session.offering_id, "teacher": session.teacher_id, "room": session.room_id, "capacity": 8,
        "starts_at_0": starts.strftime("%d-%m-%Y"), "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%d-%m-%Y"), "ends_at_1": ends.strftime("%H:%M:%S"),
        "note": "Vandaag in de kleine zaal", "status": "scheduled", "cancel_reason": "",
    }
    pre_save.connect(someone_books_meanwhile, sender=Session)
    try:
        response = client.post(reverse("admin:classes_session_change", args=[session.pk]), form)
    finally:
        pre_save.disconnect(someone_books_meanwhile, sender=Session)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert booked
    fresh = Session.objects.get(pk=session.pk)
    assert fresh.note == "Vandaag in de kleine zaal"
    assert fresh.places_taken == 1 == fresh.bookings.holding_a_place().count()
