"""A VAT rate per product (21 %, 9 % or exempt): chosen where the product is changed (the desk's class
card form, the teacher's offering and one-to-one forms), shown on the desk's products page, and
carried by every payment for it. The booking rules keep only the default rate for new products."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.books.desk_forms import ClassCardTypeForm
from bookings.models import BookingPolicy, ClassCardType
from bookings.teaching.availability_forms import AppointmentTypeForm
from bookings.teaching.timetable_forms import OfferingForm
from classes.models import AppointmentType, Offering
from tests.factories import AppointmentTypeFactory, ClassCardTypeFactory, OfferingFactory, StyleFactory

pytestmark = pytest.mark.django_db


def read(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


CARD = {"name_nl": "Kennismaking", "name_en": "Intro", "credits": "2", "validity_months": "1", "price": "25,00", "is_on_sale": "on",
        "position": "1"}


def test_a_class_card_gets_its_vat_rate_at_the_desk(desk):
    desk.post(reverse("bookings:desk_card_type_new"), {**CARD, "vat_rate_percent": "9.0"})
    card_type = ClassCardType.objects.get(name_nl="Kennismaking")
    assert card_type.vat_rate_percent == Decimal("9.0")

    page = read(desk.get(reverse("bookings:desk_card_type", args=[card_type.pk])))
    assert '<option value="9.0" selected>' in page and "vrijgesteld" in page.lower()
    desk.post(reverse("bookings:desk_card_type", args=[card_type.pk]), {**CARD, "vat_rate_percent": "0.0"})
    card_type.refresh_from_db()
    assert card_type.vat_rate_percent == 0


def test_a_rate_that_is_none_of_the_three_is_refused_and_nothing_saved(desk):
    card_type = ClassCardTypeFactory(name_nl="Kennismaking", price_cents=2500)
    response = desk.post(reverse("bookings:desk_card_type", args=[card_type.pk]), {**CARD, "price": "30,00", "vat_rate_percent": "15"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in read(response)
    card_type.refresh_from_db()
    assert (card_type.price_cents, card_type.vat_rate_percent) == (2500, Decimal("21.0"))


def test_a_new_product_starts_with_the_studios_default_rate(db):
    policy = BookingPolicy.current()
    policy.vat_rate_percent = Decimal("9")
    policy.save()
    assert ClassCardTypeForm().initial["vat_rate_percent"] == Decimal("9.0")
    assert OfferingForm().initial["vat_rate_percent"] == Decimal("9.0")
    assert AppointmentTypeForm().initial["vat_rate_percent"] == Decimal("9.0")
    policy.vat_rate_percent = Decimal("19.5")  # not one of the three: the general rate
    policy.save()
    assert ClassCardTypeForm().initial["vat_rate_percent"] == Decimal("21.0")
    existing = ClassCardTypeFactory(vat_rate_percent=Decimal("0.0"))
    assert ClassCardTypeForm(instance=existing).initial["vat_rate_percent"] == Decimal("0.0")


def test_the_teacher_sets_an_offerings_rate(client, admin_person):
    style = StyleFactory()
    offering = OfferingFactory(style=style, slug="zachte-yin", name_nl="Zachte yin")
    client.force_login(admin_person)
    data = {"name_nl": "Zachte yin", "name_en": "Gentle yin", "summary_nl": "Rustig.", "summary_en": "Calm.", "kind": "group",
            "style": style.pk, "level": "all", "description_nl": "Een zachte les.", "description_en": "", "what_to_expect_nl": "Rust.",
            "what_to_expect_en": "", "duration_minutes": "60", "default_capacity": "10", "session_count": "1", "drop_in_price": "17,50",
            "photo_alt_nl": "", "photo_alt_en": "", "is_shown": "on", "position": "3", "vat_rate_percent": "9.0"}
    response = client.post(reverse("teaching:offering_edit", args=[offering.pk]), data)
    assert response.status_code == 302
    assert Offering.objects.get(pk=offering.pk).vat_rate_percent == Decimal("9.0")


def test_a_one_to_one_can_be_exempt_and_a_wrong_rate_is_refused(client, teacher):
    client.force_login(teacher.user)
    kind = AppointmentTypeFactory(teacher=teacher, slug="energetische-sessie", price_cents=7500)
    data = {"name_nl": kind.name_nl, "name_en": kind.name_en, "description_nl": "Samen stil zijn.", "description_en": "",
            "duration_minutes": "60", "price_cents": "75,00", "offering": "", "programme_price_cents": "", "is_bookable_alone": "on",
            "is_active": "on", "position": "1"}
    url = reverse("teaching:availability_type_edit", args=[kind.pk])
    assert client.get(url).context["form"].initial["vat_rate_percent"] == Decimal("21.0")

    refused = client.post(url, {**data, "vat_rate_percent": "12"})
    assert refused.status_code == 200 and "vat_rate_percent" in refused.context["form"].errors
    assert AppointmentType.objects.get(pk=kind.pk).vat_rate_percent == Decimal("21.0")

    assert client.post(url, {**data, "vat_rate_percent": "0.0"}).status_code == 302
    assert AppointmentType.objects.get(pk=kind.pk).vat_rate_percent == 0
    client.post(url, data)  # a form without the rate (an older page) keeps it
    assert AppointmentType.objects.get(pk=kind.pk).vat_rate_percent == 0


def test_the_products_page_shows_each_products_own_rate(desk):
    OfferingFactory(name_nl="Hatha yoga", drop_in_price_cents=1750, vat_rate_percent=Decimal("9.0"))
    ClassCardTypeFactory(name_nl="Vrijgestelde kaart", price_cents=9000, vat_rate_percent=Decimal("0.0"))
    page = read(desk.get(reverse("bookings:desk_products")))
    hatha = page.split("Hatha yoga", 1)[1].split("</tr>", 1)[0]
    assert "€ 17,50" in hatha and "€ 16,06" in hatha and "9%" in hatha
    card = page.split("Vrijgestelde kaart", 1)[1].split("</tr>", 1)[0]
    assert "€ 90,00" in card and "vrijgesteld" in card
    assert "tegen het eigen tarief van elk product" in page


def test_the_rules_page_calls_its_rate_the_default_for_new_products(desk):
    page = read(desk.get(reverse("bookings:desk_rules")))
    assert "Standaard btw-tarief voor nieuwe producten (%)" in page
