"""The booking rules at the admin's desk, and the text clients read that is written from them
(the terms page, the booking page): one form for every rule, clear refusals that save nothing, and
every wording of every rule."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from bookings.books.rules import FIELDS, GROUPS, LIMITS
from bookings.models import BookingPolicy
from bookings.policy import rules_for_clients
from studio.demo import PAGES
from studio.models import Page
from tests.factories import BookingFactory, PageFactory

pytestmark = pytest.mark.django_db

RULES_URL = "/boekhouding/regels/"


@pytest.fixture
def as_admin(client, admin_person):
    client.force_login(admin_person)
    return client


@pytest.fixture
def terms():
    return PageFactory(key="terms", title_nl="Algemene voorwaarden", title_en="Terms and conditions",
                       body_nl="## Lessenkaarten\n\nPersoonlijk.", body_en="## Class cards\n\nPersonal.")


def stored() -> dict:
    """The rules as the database holds them (not the kept copy)."""
    policy = BookingPolicy.objects.get_or_create(pk=1)[0]
    return {name: getattr(policy, name) for name in FIELDS}


def form_data(**changes) -> dict:
    """What the rules page posts: the rules now in force, with `changes`."""
    values = {**stored(), **changes}
    data = {}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, time):
            data[name] = value.strftime("%H:%M")
        else:
            data[name] = str(value)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def text(response) -> str:
    return " ".join(response.content.decode().split())


# The page -------------------------------------------------------------------------------------------


def test_the_rules_page_lives_at_the_desk_in_both_languages():
    assert reverse("bookings:desk_rules") == RULES_URL
    with translation.override("en"):
        assert reverse("bookings:desk_rules") == "/en/books/rules/"


def test_clients_and_teachers_get_a_404_and_strangers_the_login(client, client_user, teacher_user):
    response = client.get(RULES_URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    for person in (client_user, teacher_user):
        client.force_login(person)
        assert client.get(RULES_URL).status_code == 404
        assert client.post(RULES_URL, form_data(cancel_window_hours=1)).status_code == 404
    assert stored()["cancel_window_hours"] == 12


def test_every_rule_is_on_the_page_once_in_its_group(as_admin):
    model_fields = {field.name for field in BookingPolicy._meta.concrete_fields} - {"id"}
    assert sorted(FIELDS) == sorted(model_fields) and len(FIELDS) == len(set(FIELDS))
    html = as_admin.get(RULES_URL).content.decode()
    for title in ("Boeken en annuleren", "Wachtlijst", "Berichten en stille uren", "Geld", "Intake"):
        assert f"<legend>{title}</legend>" in html
    for name in FIELDS:
        assert html.count(f'name="{name}"') == 1, name
    assert 'id="id_hold_minutes_helptext"' in html  # every number explained, read out with its field
    assert "Van 5 tot 30 minuten." in html
    assert len(GROUPS) == 5


def test_the_desk_menu_leads_to_the_rules(as_admin):
    html = as_admin.get(reverse("bookings:reports")).content.decode()
    assert f'href="{RULES_URL}"' in html and "Boekingsregels" in html
    rules_page = as_admin.get(RULES_URL).content.decode()
    assert f'href="{RULES_URL}" aria-current="page"' in rules_page


def test_saving_shows_a_message_and_the_rules_hold(as_admin):
    response = as_admin.post(RULES_URL, form_data(cancel_window_hours=24, hold_minutes=20, vat_rate_percent="9,5",
                                                  quiet_from="21:30", quiet_until="07:00", intake_before_first_group_class=True),
                             follow=True)
    assert response.redirect_chain == [(RULES_URL, 302)]
    assert messages_of(response) == ["De boekingsregels zijn opgeslagen. De voorwaarden en de boekingspagina's laten ze vanaf nu zien."]
    rules = stored()
    assert rules["cancel_window_hours"] == 24 and rules["hold_minutes"] == 20 and rules["vat_rate_percent"] == Decimal("9.5")
    assert rules["quiet_from"] == time(21, 30) and rules["quiet_until"] == time(7, 0) and rules["intake_before_first_group_class"]
    assert BookingPolicy.current().cancel_window_hours == 24  # the kept copy is renewed too
    assert "tot 24 uur voor de les" in text(response)  # the preview of what clients read


@pytest.mark.parametrize("changes, field, message", [
    ({"cancel_window_hours": "-1"}, "cancel_window_hours", "Kies een getal van 0 tot en met 168."),
    ({"cancel_window_hours": "9999"}, "cancel_window_hours", "Kies een getal van 0 tot en met 168."),
    ({"hold_minutes": "2"}, "hold_minutes", "Kies een getal van 5 tot en met 30."),
    ({"hold_minutes": "45"}, "hold_minutes", "Kies een getal van 5 tot en met 30."),
    ({"booking_closes_minutes": "twintig"}, "booking_closes_minutes", "Voer een geheel getal in."),
    ({"waitlist_offer_minutes": ""}, "waitlist_offer_minutes", "Dit veld is verplicht."),
    ({"studio_credit_months": "0"}, "studio_credit_months", "Kies een getal van 1 tot en met 24."),
    ({"vat_rate_percent": "121"}, "vat_rate_percent", "Kies een getal van 0 tot en met 30."),
    ({"vat_rate_percent": "twintig"}, "vat_rate_percent", "Voer een getal in."),
    ({"card_expiry_warning_days": "365"}, "card_expiry_warning_days", "Kies een getal van 0 tot en met 90."),
    ({"reminder_hours": "0"}, "reminder_hours", "Kies een getal van 1 tot en met 168."),
    ({"drop_in_cancellation": "cash"}, "drop_in_cancellation", "Kies terugbetalen of een tegoed voor een andere les."),
    ({"quiet_from": "25:00"}, "quiet_from", "Vul een tijd in als uren en minuten, bijvoorbeeld 22:00."),
    ({"quiet_until": "acht uur"}, "quiet_until", "Vul een tijd in als uren en minuten, bijvoorbeeld 22:00."),
    ({"quiet_from": "08:00", "quiet_until": "22:00"}, "quiet_until",
     "Stille uren van 08:00 tot 22:00 zouden 14 uur duren, en berichten zouden het grootste deel van de dag wachten. "
     "Hooguit 12 uur kan: heb je begin en einde misschien omgedraaid?"),
    ({"last_minute_hours": "1", "booking_closes_minutes": "90"}, "last_minute_hours",
     "Online boeken sluit 90 minuten voor een les, dus last-minuteplekken binnen 1 uur zouden nooit voorkomen. "
     "Kies meer uren, of 0 om ze uit te zetten."),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(as_admin, changes, field, message):
    before = stored()
    # a good change beside the bad one: not saved either
    response = as_admin.post(RULES_URL, form_data(cancel_window_hours=24, **changes) if field != "cancel_window_hours"
                             else form_data(hold_minutes=20, **changes))
    assert response.status_code == 200
    assert messages_of(response) == ["Er is niets opgeslagen: kijk even naar de regels die hieronder gemarkeerd zijn."]
    assert response.context["form"].errors[field] == [message]
    assert message.split(":")[0] in response.content.decode()
    assert stored() == before
    assert BookingPolicy.current().cancel_window_hours == 12


def test_the_limits_themselves_are_accepted(as_admin):
    lowest = {name: str(low) for name, (low, _high) in LIMITS.items()}
    response = as_admin.post(RULES_URL, form_data(**lowest))
    assert response.status_code == 302
    highest = {name: str(high) for name, (_low, high) in LIMITS.items()}
    response = as_admin.post(RULES_URL, form_data(**highest))
    assert response.status_code == 302
    assert stored()["cancel_window_hours"] == 168 and stored()["hold_minutes"] == 30


def test_equal_quiet_hours_mean_none(as_admin, terms):
    as_admin.post(RULES_URL, form_data(quiet_from="22:00", quiet_until="22:00"))
    assert stored()["quiet_from"] == stored()["quiet_until"] == time(22, 0)
    assert "berichten waar je niet om vroeg" not in text(as_admin.get("/voorwaarden/"))


# The terms, written from the rules -------------------------------------------------------------------


def test_a_longer_cancel_window_on_the_rules_page_changes_the_terms_at_once(client, admin_person, terms):
    before = text(client.get("/voorwaarden/"))  # also keeps the rules in the cache
    assert "Je kunt kosteloos annuleren tot 12 uur voor de les." in before
    assert "You can cancel free of charge up to 12 hours before the class." in text(client.get("/en/terms/"))

    client.force_login(admin_person)
    client.post(RULES_URL, form_data(cancel_window_hours=24))
    client.logout()

    dutch = text(client.get("/voorwaarden/"))
    assert "Je kunt kosteloos annuleren tot 24 uur voor de les." in dutch and "12 uur" not in dutch
    english = text(client.get("/en/terms/"))
    assert "You can cancel free of charge up to 24 hours before the class." in english and "12 hours" not in english


def test_saving_the_rules_renews_her_cached_bookings_page(client_user, admin_person, session):
    BookingFactory(client=client_user, session=session)
    hers = Client()
    hers.force_login(client_user)
    for _visit in range(3):  # the first gives her a CSRF cookie, the second is kept, the third is served from the cache
        state = hers.get(reverse("bookings:my_bookings")).get("X-Page-Cache")
    assert state == "hit"
    free_until = localtime(session.starts_at - timedelta(hours=24))
    admins = Client()
    admins.force_login(admin_person)
    admins.post(RULES_URL, form_data(cancel_window_hours=24))
    response = hers.get(reverse("bookings:my_bookings"))
    assert response["X-Page-Cache"] == "miss"
    assert f"kosteloos tot {date_format(free_until, 'j F H:i')}" in text(response)


def test_the_terms_page_adds_the_rules_after_the_studio_text(client, terms):
    html = text(client.get("/voorwaarden/"))
    assert '<h2 id="rules-heading">Boeken en annuleren</h2>' in html
    assert html.index("Lessenkaarten") < html.index("Boeken en annuleren")
    english = text(client.get("/en/terms/"))
    assert '<h2 id="rules-heading">Booking and cancelling</h2>' in english


def test_other_pages_carry_no_rules(client):
    PageFactory(key="privacy")
    assert "rules-heading" not in client.get("/privacy/").content.decode()


def test_the_demo_terms_hold_no_numbers_of_the_rules():
    _title_nl, _title_en, body_nl, body_en = PAGES[Page.Key.TERMS]
    for body in (body_nl, body_en):
        assert not any(character.isdigit() for character in body)


def render_rules(language="nl", **rules) -> str:
    with translation.override(language):
        html = render_to_string("bookings/_rules_text.html", {"rules": rules_for_clients(BookingPolicy(**rules))})
    return " ".join(html.split())


@pytest.mark.parametrize("rules, language, expected", [
    ({"cancel_window_hours": 24}, "nl", "Je kunt kosteloos annuleren tot 24 uur voor de les."),
    ({"cancel_window_hours": 1}, "nl", "Je kunt kosteloos annuleren tot 1 uur voor de les."),
    ({"cancel_window_hours": 24}, "en", "You can cancel free of charge up to 24 hours before the class."),
    ({"cancel_window_hours": 1}, "en", "You can cancel free of charge up to 1 hour before the class."),
    ({"cancel_window_hours": 0}, "nl", "Je kunt kosteloos annuleren tot de les begint."),
    ({"booking_closes_minutes": 30}, "nl", "Online boeken kan tot 30 minuten voor het begin van de les."),
    ({"booking_closes_minutes": 1}, "nl", "Online boeken kan tot 1 minuut voor het begin van de les."),
    ({"booking_closes_minutes": 0}, "nl", "Online boeken kan tot de les begint."),
    ({"booking_closes_minutes": 30}, "en", "You can book online until 30 minutes before the class begins."),
    ({"hold_minutes": 15}, "nl", "Dan houden we je plek 15 minuten voor je vast terwijl je betaalt"),
    ({"hold_minutes": 15}, "en", "Your place is held for you for 15 minutes while you pay"),
    ({"drop_in_cancellation": "refund"}, "nl", "Heb je online voor één les betaald? Dan krijg je je geld terug."),
    ({"drop_in_cancellation": "credit", "studio_credit_months": 6}, "nl",
     "Dan krijg je tegoed voor een andere les, 6 maanden geldig."),
    ({"drop_in_cancellation": "credit", "studio_credit_months": 1}, "nl", "Dan krijg je tegoed voor een andere les, 1 maand geldig."),
    ({"drop_in_cancellation": "credit", "studio_credit_months": 1}, "en", "a studio credit for another class, valid for 1 month."),
    ({"cancel_window_hours": 12}, "nl", "Later annuleren kan ook, zodat iemand anders je plek kan krijgen, maar dan krijg je niets terug."),
    ({"waitlist_offer_minutes": 120}, "nl", "dat aanbod is 2 uur geldig."),
    ({"waitlist_offer_minutes": 60}, "en", "the offer is valid for 1 hour."),
    ({"waitlist_offer_minutes": 90}, "nl", "dat aanbod is 90 minuten geldig."),
    ({"waitlist_offer_minutes": 90}, "en", "the offer is valid for 90 minutes."),
    ({"quiet_from": time(22), "quiet_until": time(8)}, "nl",
     "Tussen 22:00 en 08:00 sturen we geen berichten waar je niet om vroeg (zoals wachtlijstaanbiedingen en herinneringen); "
     "die krijg je om 08:00"),
    ({"quiet_from": time(22), "quiet_until": time(8)}, "nl", "Tijd binnen de stille uren telt daarbij niet mee."),
    ({"quiet_from": time(21, 30), "quiet_until": time(7)}, "en", "Between 21:30 and 07:00 we send no messages you did not ask for"),
    ({"last_minute_hours": 3}, "nl", "In de laatste 3 uur voor een les houden we een vrijgekomen plek voor niemand vast"),
    ({"last_minute_hours": 1}, "en", "In the last 1 hour before a class, a freed place is held for no one"),
    ({"auto_booked_cancel_hours": 3}, "nl", "boeken we meteen, en je kunt nog 3 uur kosteloos annuleren nadat we het je laten weten."),
    ({"auto_booked_cancel_hours": 0}, "nl", "een plek die voor jou vrijkomt, boeken we meteen.</li>"),
    ({"intake_before_first_group_class": True}, "nl",
     "Voor je eerste groepsles vragen we je één keer het intakeformulier in te vullen. Alle vragen behalve de toestemming zijn vrijwillig."),
    ({"intake_before_first_group_class": True}, "en", "Before your first group class we ask you to fill in the intake form once."),
])
def test_each_rule_is_written_as_it_is_set(rules, language, expected):
    assert expected in render_rules(language, **rules)


@pytest.mark.parametrize("rules, absent", [
    ({"cancel_window_hours": 0}, "Later annuleren"),
    ({"quiet_from": time(22), "quiet_until": time(22)}, "Tussen"),
    ({"quiet_from": time(22), "quiet_until": time(22)}, "stille uren"),
    ({"last_minute_hours": 0}, "In de laatste"),
    ({"intake_before_first_group_class": False}, "intakeformulier"),
    ({"drop_in_cancellation": "refund"}, "tegoed"),
    ({"drop_in_cancellation": "credit"}, "Dan krijg je je geld terug"),
])
def test_a_rule_that_is_off_is_not_written(rules, absent):
    assert absent not in render_rules("nl", **rules)


def test_the_card_shop_and_the_booking_page_use_the_same_rules(logged_in, session):
    policy = BookingPolicy.objects.get_or_create(pk=1)[0]
    policy.cancel_window_hours = 1
    policy.save()
    shop = text(logged_in.get(reverse("bookings:cards")))
    assert "Annuleer je een boeking minstens 1 uur voor de les" in shop and 'href="/voorwaarden/#rules-heading"' in shop
    book = text(logged_in.get(reverse("bookings:book", args=[session.pk])))
    assert "<summary>Hoe boeken en annuleren werkt</summary>" in book
    assert "Je kunt kosteloos annuleren tot 1 uur voor de les." in book
