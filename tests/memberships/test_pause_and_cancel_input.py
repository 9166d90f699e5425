"""Bad input on her membership page: a clear message in Dutch, and nothing saved (nor sent to Stripe:
these memberships' subscriptions exist nowhere, so a call would fail the test)."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.group import services
from bookings.memberships import changes
from bookings.memberships.periods import MembershipError
from bookings.models import Membership
from classes.models import STUDIO_TZ
from tests.memberships.members import a_class, membership_type, running

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=STUDIO_TZ)
TODAY = date(2026, 3, 10)


@pytest.fixture
def membership(frozen, client_user):
    return running(client_user, membership_type(), now=NOW)


def untouched(membership):
    membership.refresh_from_db()
    return membership.pause_from is None and membership.pause_until is None and membership.pause_started_at is None


@pytest.mark.parametrize(("pause_from", "pause_until", "message"), [
    (TODAY - timedelta(days=1), TODAY + timedelta(days=5), "Een pauze kan niet in het verleden beginnen. Kies vandaag of een latere dag."),
    (TODAY + timedelta(days=5), TODAY + timedelta(days=5), "De dag dat je terugkomt moet na de eerste dag van de pauze liggen."),
    (TODAY + timedelta(days=5), TODAY + timedelta(days=2), "De dag dat je terugkomt moet na de eerste dag van de pauze liggen."),
    (TODAY + timedelta(days=1), TODAY + timedelta(days=95), "Een pauze duurt hoogstens drie maanden. Kies een eerdere dag om terug te komen."),
    (None, TODAY + timedelta(days=5), "Kies de eerste dag van je pauze en de dag dat je terugkomt."),
    (TODAY + timedelta(days=400), TODAY + timedelta(days=410), "Een pauze plan je hoogstens een jaar vooruit. Kies een eerdere eerste dag."),
])
def test_a_pause_with_wrong_days_is_refused_and_nothing_saved(membership, pause_from, pause_until, message):
    with pytest.raises(MembershipError) as refused:
        changes.pause_plan(membership=membership, pause_from=pause_from, pause_until=pause_until, now=NOW)
    assert str(refused.value) == message
    assert untouched(membership)


def test_a_pause_over_classes_she_booked_with_it_names_them(membership, client_user):
    services.booking_create(client=client_user, session=a_class(datetime(2026, 3, 20, 19, 30, tzinfo=STUDIO_TZ)), pay_with="membership",
                            now=NOW)
    with pytest.raises(MembershipError) as refused:
        changes.pause_plan(membership=membership, pause_from=date(2026, 3, 15), pause_until=date(2026, 3, 25), now=NOW)
    assert str(refused.value) == ("Je hebt in die tijd lessen geboekt met je abonnement (Yin yoga 20 maart 2026). "
                                  "Annuleer die eerst, of kies andere dagen.")
    assert untouched(membership)


def test_a_later_pause_is_kept_without_asking_stripe_yet(membership):
    changes.pause_plan(membership=membership, pause_from=date(2026, 3, 15), pause_until=date(2026, 3, 25), now=NOW)
    membership.refresh_from_db()
    assert (membership.pause_from, membership.pause_until, membership.pause_started_at) == (date(2026, 3, 15), date(2026, 3, 25), None)


def test_the_pause_form_on_the_page_refuses_a_date_that_is_no_date(membership, logged_in):
    response = logged_in.post(reverse("bookings:membership_pause"), {"pause_from": "morgen", "pause_until": "2026-03-20"}, follow=True)
    assert "Geef een datum met dag, maand en jaar." in response.content.decode()
    assert untouched(membership)


def test_a_membership_that_is_not_running_cannot_be_paused_or_cancelled(frozen, client_user, logged_in):
    ended = running(client_user, membership_type(), now=NOW, status=Membership.Status.CANCELLED)
    with pytest.raises(MembershipError, match="Dit abonnement loopt niet"):
        changes.pause_plan(membership=ended, pause_from=date(2026, 3, 15), pause_until=date(2026, 3, 25), now=NOW)
    with pytest.raises(MembershipError, match="Dit abonnement loopt niet"):
        changes.membership_cancel(membership=ended, now=NOW)
    for name in ("membership_pause", "membership_pause_end", "membership_cancel", "membership_cancel_undo"):
        assert logged_in.post(reverse(f"bookings:{name}")).status_code == 404  # no running membership of hers


def test_undo_without_a_cancellation_and_ending_no_pause_say_so(membership):
    with pytest.raises(MembershipError, match="^Je abonnement is niet opgezegd.$"):
        changes.membership_cancel_undo(membership=membership, now=NOW)
    with pytest.raises(MembershipError, match="^Je abonnement staat niet op pauze.$"):
        changes.pause_end(membership=membership, now=NOW)


def test_her_membership_page_shows_status_price_next_payment_classes_left_and_the_forms(frozen, client_user, logged_in):
    running(client_user, membership_type(classes=8, name="8 lessen per maand", price_cents=6500), now=NOW)
    page = logged_in.get(reverse("bookings:my_membership")).content.decode()
    for text in ("8 lessen per maand", "Actief", "€\xa065,00 per maand", "Volgende betaling", "30 maart 2026", "Nog over deze periode",
                 "8 lessen", "Mijn abonnement pauzeren", "Mijn abonnement opzeggen", 'type="date"'):
        assert text in page, text


def test_without_a_membership_her_page_leads_to_the_memberships_on_sale(logged_in):
    membership_type(name="Onbeperkt yoga")
    response = logged_in.get(reverse("bookings:my_membership"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("bookings:memberships")
    assert "Start Onbeperkt yoga" in response.content.decode()


def test_my_bookings_and_the_public_page_link_to_memberships(client, logged_in):
    assert f'href="{reverse("bookings:my_membership")}"' in logged_in.get(reverse("bookings:my_bookings")).content.decode()
    membership_type(name="Onbeperkt yoga")
    client.logout()
    public = client.get(reverse("bookings:memberships")).content.decode()
    assert "Onbeperkt yoga" in public and "Log in om te beginnen" in public and "Start Onbeperkt yoga" not in public
