"""What the studio sells beyond classes and cards, at the admin's desk: membership types, gift voucher
products and the vouchers sold, discount codes with their uses, the intro offer on a class card;
every bad input says why and saves nothing; and the demo's products, loaded twice, are there once."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bookings.books import demo as offers_demo
from bookings.books import offer_forms
from bookings.models import (
    ClassCardType,
    DiscountCode,
    DiscountUse,
    MembershipType,
    Payment,
    Voucher,
    VoucherEntry,
    VoucherProduct,
)
from classes.models import STUDIO_TZ, Style
from tests.factories import PaymentFactory, StyleFactory, UserFactory

pytestmark = pytest.mark.django_db


def read(response) -> str:
    """The page's text, with the no-break space of "€ 17,50" as a plain space."""
    return response.content.decode().replace("\u00a0", " ")


def a_membership_type(**fields):
    return MembershipType.objects.create(**{"name_nl": "Onbeperkt yoga", "name_en": "Unlimited yoga", "price_cents": 7900, **fields})


def a_voucher_product(**fields):
    return VoucherProduct.objects.create(**{"name_nl": "Cadeaubon", "name_en": "Gift voucher", **fields})


def a_code(**fields):
    return DiscountCode.objects.create(**{"code": "WELKOM10", "percent": 10, "products": ["class_card"], "max_uses": 100, **fields})


MEMBERSHIP = {"name_nl": "4 lessen per maand", "name_en": "4 classes a month", "summary_nl": "Elke maand vier lessen", "summary_en": "",
              "price": "49,00", "vat_rate_percent": "21.0", "classes_per_period": "4", "carry_over": "on", "minimum_months": "0",
              "notice_months": "1", "is_on_sale": "on", "position": "2"}
VOUCHER = {"name_nl": "Cadeaubon", "name_en": "Gift voucher", "summary_nl": "", "summary_en": "", "amount": "", "minimum": "10",
           "maximum": "250", "validity_months": "12", "is_on_sale": "on", "position": "1"}
CODE = {"code": "zomer-2026", "description": "Zomeractie", "kind": "percent", "percent": "15", "amount": "", "products": ["class_card", "drop_in"],
        "valid_from": "2026-06-01T09:00", "valid_until": "2026-08-31T23:59", "max_uses": "50", "max_uses_per_person": "1", "is_active": "on"}


# Who may ------------------------------------------------------------------------------------------

def offer_urls():
    membership_type, product, code = a_membership_type(), a_voucher_product(), a_code()
    return [reverse("bookings:desk_membership_types"), reverse("bookings:desk_membership_type_new"),
            reverse("bookings:desk_membership_type", args=[membership_type.pk]), reverse("bookings:desk_vouchers"),
            reverse("bookings:desk_voucher_product_new"), reverse("bookings:desk_voucher_product", args=[product.pk]),
            reverse("bookings:desk_discount_codes"), reverse("bookings:desk_discount_code_new"),
            reverse("bookings:desk_discount_code", args=[code.pk])]


def test_the_admin_opens_every_offer_page(desk):
    for url in offer_urls():
        assert desk.get(url).status_code == 200, url


def test_clients_and_teachers_get_no_offer_page_and_change_nothing(client, client_user, teacher_user):
    urls = offer_urls()
    for person in (client_user, teacher_user):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {**MEMBERSHIP, **VOUCHER, **CODE}).status_code == 404, url
    assert (MembershipType.objects.count(), VoucherProduct.objects.count(), DiscountCode.objects.count()) == (1, 1, 1)
    assert MembershipType.objects.get().name_nl == "Onbeperkt yoga" and DiscountCode.objects.get().code == "WELKOM10"
    client.logout()
    for url in urls:
        assert client.get(url).url.startswith(reverse("account_login")), url


def test_the_desk_menu_and_the_products_page_lead_to_the_offer_pages(desk):
    products = read(desk.get(reverse("bookings:desk_products")))
    for name in ("bookings:desk_membership_types", "bookings:desk_vouchers", "bookings:desk_discount_codes"):
        assert f'href="{reverse(name)}"' in products, name
    assert "Kortingscodes" in products and "Cadeaubonnen" in products and "Soorten abonnementen" in products


# Membership types ---------------------------------------------------------------------------------

def test_a_membership_type_is_made_with_its_styles_and_listed(desk):
    yin, hatha = StyleFactory(slug="yin"), StyleFactory(slug="hatha")
    answer = desk.post(reverse("bookings:desk_membership_type_new"), {**MEMBERSHIP, "styles": [yin.pk, hatha.pk]}, follow=True)
    made = MembershipType.objects.get()
    assert (made.price_cents, made.classes_per_period, made.carry_over, made.notice_months, made.vat_rate_percent) == (4900, 4, True, 1, 21)
    assert set(made.styles.all()) == {yin, hatha}
    page = read(answer)
    assert "4 lessen per maand is bewaard." in page
    assert "€ 49,00" in page and "4 per maand, één schuift door" in page and "1 maand opzegtermijn" in page


def test_an_unlimited_membership_type_is_changed_and_keeps_its_stripe_price(desk):
    membership_type = a_membership_type(classes_per_period=4)
    MembershipType.objects.filter(pk=membership_type.pk).update(stripe_price_id="price_123", stripe_price_cents=7900)  # sold meanwhile
    answer = desk.post(reverse("bookings:desk_membership_type", args=[membership_type.pk]), {
        **MEMBERSHIP, "name_nl": "Onbeperkt yoga", "classes_per_period": "", "carry_over": "", "price": "85", "minimum_months": "3"})
    assert answer.status_code == 302
    membership_type.refresh_from_db()
    assert (membership_type.classes_per_period, membership_type.price_cents, membership_type.minimum_months) == (None, 8500, 3)
    assert (membership_type.stripe_price_id, membership_type.stripe_price_cents) == ("price_123", 7900)
    assert "onbeperkt" in read(desk.get(reverse("bookings:desk_membership_types")))


@pytest.mark.parametrize("change, message", [
    ({"price": "gratis"}, "Vul een bedrag in euro in, bijvoorbeeld 12,50."),
    ({"price": "0,50"}, "Vul een bedrag van minstens € 1,00 in."),
    ({"classes_per_period": "0"}, "Kies tussen 1 en 31 lessen per maand, of laat het leeg voor onbeperkt lessen."),
    ({"classes_per_period": "", "carry_over": "on"},
     "Een les doorschuiven kan alleen bij een vast aantal lessen per maand, niet bij onbeperkt lessen."),
    ({"minimum_months": "30"}, "Kies tussen 0 en 24 maanden."),
    ({"notice_months": "13"}, "Kies tussen 0 en 12 maanden."),
    ({"vat_rate_percent": "19"}, "Selecteer een geldige keuze. 19 is geen beschikbare keuze."),
])
def test_a_bad_membership_type_says_why_and_nothing_is_saved(desk, change, message):
    new = desk.post(reverse("bookings:desk_membership_type_new"), {**MEMBERSHIP, **change})
    assert new.status_code == 400 and message in read(new)
    assert not MembershipType.objects.exists()
    existing = a_membership_type(classes_per_period=8)
    changed = desk.post(reverse("bookings:desk_membership_type", args=[existing.pk]), {**MEMBERSHIP, "name_nl": "Anders", **change})
    assert changed.status_code == 400 and message in read(changed)
    existing.refresh_from_db()
    assert (existing.name_nl, existing.price_cents, existing.classes_per_period) == ("Onbeperkt yoga", 7900, 8)


# Gift vouchers ------------------------------------------------------------------------------------

def test_voucher_products_for_a_free_amount_and_a_fixed_one_are_made(desk):
    desk.post(reverse("bookings:desk_voucher_product_new"), VOUCHER)
    free = VoucherProduct.objects.get()
    assert (free.amount_cents, free.minimum_cents, free.maximum_cents, free.validity_months) == (None, 1000, 25000, 12)
    answer = desk.post(reverse("bookings:desk_voucher_product_new"), {
        **VOUCHER, "name_nl": "Cadeaubon 5-lessenkaart", "amount": "80,00", "minimum": "", "maximum": ""}, follow=True)
    fixed = VoucherProduct.objects.get(name_nl="Cadeaubon 5-lessenkaart")
    assert fixed.amount_cents == 8000 and fixed.minimum_cents <= fixed.maximum_cents
    page = read(answer)
    assert "Cadeaubon 5-lessenkaart is bewaard." in page and "€ 80,00" in page and "€ 10,00 tot € 250,00, de koper kiest" in page


@pytest.mark.parametrize("change, message", [
    ({"minimum": "300"}, "Het hoogste bedrag is lager dan het laagste bedrag."),
    ({"minimum": ""}, "Zonder vast bedrag: vul het laagste en het hoogste bedrag in dat de koper mag kiezen."),
    ({"maximum": "veel"}, "Vul een bedrag in euro in, bijvoorbeeld 12,50."),
    ({"validity_months": "0"}, "Kies tussen 1 en 60 maanden."),
    ({"amount": "-5"}, "Een bedrag kan niet negatief zijn."),
])
def test_a_bad_voucher_product_says_why_and_nothing_is_saved(desk, change, message):
    new = desk.post(reverse("bookings:desk_voucher_product_new"), {**VOUCHER, **change})
    assert new.status_code == 400 and message in read(new)
    assert not VoucherProduct.objects.exists()
    existing = a_voucher_product(minimum_cents=2000, maximum_cents=10000)
    changed = desk.post(reverse("bookings:desk_voucher_product", args=[existing.pk]), {**VOUCHER, "name_nl": "Anders", **change})
    assert changed.status_code == 400 and message in read(changed)
    existing.refresh_from_db()
    assert (existing.name_nl, existing.minimum_cents, existing.maximum_cents, existing.validity_months) == ("Cadeaubon", 2000, 10000, 12)


def test_the_vouchers_sold_show_code_value_balance_expiry_and_buyer(desk):
    product = a_voucher_product()
    buyer = UserFactory(first_name="Marieke", last_name="Bos", email="marieke@example.nl")
    payment = PaymentFactory(client=buyer, purpose="voucher", amount_cents=5000, status=Payment.Status.PAID, paid_at=timezone.now())
    expires = datetime(2099, 3, 1, 12, tzinfo=STUDIO_TZ)
    voucher = Voucher.objects.create(code="TOL-ABCD-EFGH", product=product, value_cents=5000, buyer=buyer, payment=payment,
                                     recipient_name="Lotte", issued_at=timezone.now(), expires_at=expires)
    VoucherEntry.objects.create(voucher=voucher, delta_cents=5000, kind=VoucherEntry.Kind.ISSUE)
    VoucherEntry.objects.create(voucher=voucher, delta_cents=-1750, kind=VoucherEntry.Kind.AT_STUDIO)
    old = Voucher.objects.create(code="TOL-OUDE-BON1", product=product, value_cents=2000, issued_at=timezone.now(),
                                 expires_at=datetime(2020, 1, 1, tzinfo=STUDIO_TZ))
    Voucher.objects.create(code="TOL-NIET-BETAALD", product=product, value_cents=2000, expires_at=expires)  # never paid: not sold

    page = read(desk.get(reverse("bookings:desk_vouchers")))
    for text in ["TOL-ABCD-EFGH", "€ 50,00", "€ 32,50", "1 maart 2099", "Marieke Bos", "Lotte", "TOL-OUDE-BON1", "verlopen", "2 cadeaubonnen",
                 reverse("bookings:desk_payment", args=[payment.pk])]:
        assert text in page, text
    assert "TOL-NIET-BETAALD" not in page
    found = read(desk.get(reverse("bookings:desk_vouchers"), {"q": "abcd"}))
    assert "TOL-ABCD-EFGH" in found and old.code not in found and "1 cadeaubon" in found
    assert "Geen cadeaubonnen gevonden." in read(desk.get(reverse("bookings:desk_vouchers"), {"q": "niemand"}))


def test_the_vouchers_page_asks_a_fixed_number_of_queries(desk, django_assert_max_num_queries):
    product = a_voucher_product()
    for number in range(12):
        voucher = Voucher.objects.create(code=f"TOL-{number:04d}", product=product, value_cents=2500, buyer=UserFactory(),
                                         issued_at=timezone.now(), expires_at=timezone.now() + timedelta(days=365))
        VoucherEntry.objects.create(voucher=voucher, delta_cents=2500, kind=VoucherEntry.Kind.ISSUE)
    with django_assert_max_num_queries(12):
        assert desk.get(reverse("bookings:desk_vouchers")).status_code == 200


# Discount codes -----------------------------------------------------------------------------------

def test_a_discount_code_is_kept_in_capitals_with_its_times_in_breda_time(desk):
    answer = desk.post(reverse("bookings:desk_discount_code_new"), CODE, follow=True)
    code = DiscountCode.objects.get()
    assert code.code == "ZOMER-2026" and code.percent == 15 and code.amount_cents is None
    assert set(code.products) == {"class_card", "drop_in"} and (code.max_uses, code.max_uses_per_person, code.is_active) == (50, 1, True)
    assert code.valid_from == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # Breda is two hours ahead in summer
    assert code.valid_from.astimezone(STUDIO_TZ).replace(tzinfo=None) == datetime(2026, 6, 1, 9, 0)
    assert code.valid_until.astimezone(STUDIO_TZ).replace(tzinfo=None) == datetime(2026, 8, 31, 23, 59)
    page = read(answer)
    assert "ZOMER-2026 is bewaard." in page and "15%" in page and "Lessenkaarten" in page and "vanaf 1 juni 2026, 09:00" in page
    form = read(desk.get(reverse("bookings:desk_discount_code", args=[code.pk])))
    assert 'value="2026-06-01T09:00"' in form and 'value="2026-08-31T23:59"' in form  # the picker shows what was typed


def test_a_fixed_amount_code_is_kept_without_a_percentage(desk):
    desk.post(reverse("bookings:desk_discount_code_new"), {**CODE, "kind": "amount", "percent": "15", "amount": "7,50",
                                                            "valid_from": "", "valid_until": "", "max_uses": ""})
    code = DiscountCode.objects.get()
    assert (code.kind, code.amount_cents, code.percent, code.valid_from, code.valid_until, code.max_uses) == ("amount", 750, None, None, None, None)
    assert "altijd geldig" in read(desk.get(reverse("bookings:desk_discount_codes")))


def test_a_discount_code_is_unique_whatever_the_case(desk):
    a_code()
    answer = desk.post(reverse("bookings:desk_discount_code_new"), {**CODE, "code": "welkom10"})
    assert answer.status_code == 400
    assert "De code WELKOM10 bestaat al (hoofdletters of kleine letters maakt niet uit). Kies een andere code." in read(answer)
    assert DiscountCode.objects.count() == 1


def test_a_code_saved_by_someone_else_at_the_same_moment_is_refused_with_a_word(desk, monkeypatch):
    a_code(code="ZOMER-2026")
    # both checks ran before the other code was saved
    monkeypatch.setattr(offer_forms.DiscountCodeForm, "clean_code", lambda form: "ZOMER-2026")
    monkeypatch.setattr(offer_forms.DiscountCodeForm, "validate_unique", lambda form: None)
    answer = desk.post(reverse("bookings:desk_discount_code_new"), CODE)
    assert answer.status_code == 400
    assert "Op hetzelfde moment is een andere code met deze letters bewaard. Er is niets bewaard: kies een andere code." in read(answer)
    assert DiscountCode.objects.count() == 1


@pytest.mark.parametrize("change, message", [
    ({"percent": "0"}, "Kies een percentage tussen 1 en 100."),
    ({"percent": "101"}, "Kies een percentage tussen 1 en 100."),
    ({"percent": ""}, "Vul het percentage korting in."),
    ({"kind": "amount", "amount": ""}, "Vul het bedrag korting in."),
    ({"kind": "amount", "amount": "0"}, "Vul een bedrag boven nul in."),
    ({"valid_until": "2026-05-31T09:00"}, "‘Geldig tot’ moet na ‘geldig vanaf’ liggen."),
    ({"valid_until": "2026-06-01T09:00"}, "‘Geldig tot’ moet na ‘geldig vanaf’ liggen."),
    ({"valid_from": "morgen"}, "Voer een geldige datum/tijd in."),
    ({"code": "zomer 2026"}, "Gebruik alleen letters, cijfers en streepjes, zonder spaties, bijvoorbeeld WELKOM10."),
    ({"code": "zómer"}, "Gebruik alleen letters, cijfers en streepjes, zonder spaties, bijvoorbeeld WELKOM10."),
    ({"code": "AB"}, "Een code heeft minstens 3 tekens."),
    ({"products": []}, "Kies minstens één soort aankoop waarvoor de code geldt."),
    ({"max_uses": "0"}, "Vul minstens 1 in, of laat het leeg voor geen grens."),
    ({"max_uses_per_person": "0"}, "Vul minstens 1 in."),
    ({"max_uses": "2", "max_uses_per_person": "3"}, "Per persoon kan niet vaker zijn dan in totaal."),
])
def test_a_bad_discount_code_says_why_and_nothing_is_saved(desk, change, message):
    new = desk.post(reverse("bookings:desk_discount_code_new"), {**CODE, **change})
    assert new.status_code == 400 and message in read(new), read(new)
    assert not DiscountCode.objects.exists()
    existing = a_code()
    changed = desk.post(reverse("bookings:desk_discount_code", args=[existing.pk]), {**CODE, **change, "description": "Anders"})
    assert changed.status_code == 400 and message in read(changed)
    existing.refresh_from_db()
    assert (existing.code, existing.description, existing.percent, existing.max_uses) == ("WELKOM10", "", 10, 100)


def test_a_used_code_keeps_its_letters_its_count_and_at_least_its_uses(desk):
    code = a_code()
    edit = reverse("bookings:desk_discount_code", args=[code.pk])
    DiscountCode.objects.filter(pk=code.pk).update(uses_count=3)  # three checkouts used it meanwhile
    renamed = desk.post(edit, {**CODE, "code": "WELKOM20"})
    assert "Deze code is al gebruikt, dus hij blijft zoals hij is. Maak liever een nieuwe code." in read(renamed)
    too_few = desk.post(edit, {**CODE, "code": "WELKOM10", "max_uses": "2"})
    assert "De code is al 3 keer gebruikt: kies minstens zoveel." in read(too_few)
    assert desk.post(edit, {**CODE, "code": "welkom10", "percent": "20", "max_uses": "3", "valid_from": "", "valid_until": ""}).status_code == 302
    code.refresh_from_db()
    assert (code.code, code.percent, code.max_uses, code.uses_count) == ("WELKOM10", 20, 3, 3)
    assert "<td>op</td>" in read(desk.get(reverse("bookings:desk_discount_codes")))


def test_a_codes_page_shows_its_use_count_and_the_payments_that_used_it(desk):
    code = a_code()
    sanne = UserFactory(first_name="Sanne", last_name="de Vries")
    paid = PaymentFactory(client=sanne, purpose="class_card", amount_cents=7200, discount_cents=800, status=Payment.Status.PAID,
                          receipt_number="2026-00042", paid_at=timezone.now())
    DiscountUse.objects.create(code=code, client=sanne, payment=paid, amount_cents=800)
    DiscountCode.objects.filter(pk=code.pk).update(uses_count=1)
    page = read(desk.get(reverse("bookings:desk_discount_code", args=[code.pk])))
    for text in ["Eén keer gebruikt", "Sanne de Vries", "2026-00042", "€ 8,00", reverse("bookings:desk_payment", args=[paid.pk])]:
        assert text in page, text
    listing = read(desk.get(reverse("bookings:desk_discount_codes")))
    assert "1 van 100" in listing and "te gebruiken" in listing


@pytest.mark.parametrize("fields, state", [
    ({"is_active": False}, "uitgezet"),
    ({"valid_until": datetime(2020, 1, 1, tzinfo=STUDIO_TZ)}, "afgelopen"),
    ({"valid_from": datetime(2099, 1, 1, tzinfo=STUDIO_TZ)}, "nog niet geldig"),
    ({"max_uses": 1, "uses_count": 1}, "op"),
])
def test_the_codes_list_says_why_a_code_cannot_be_used(desk, fields, state):
    a_code(**fields)
    assert f"<td>{state}</td>" in read(desk.get(reverse("bookings:desk_discount_codes")))


# Reports ------------------------------------------------------------------------------------------

def test_the_reports_name_memberships_and_vouchers_in_dutch(desk):
    paid = datetime(2026, 10, 14, 12, tzinfo=STUDIO_TZ)
    for purpose, cents in (("membership", 7900), ("voucher", 5000)):
        PaymentFactory(purpose=purpose, amount_cents=cents, status=Payment.Status.PAID, paid_at=paid, vat_rate_percent=21 if cents == 7900 else 0)
    page = read(desk.get(reverse("bookings:reports"), {"first": "2026-10-01", "last": "2026-10-31"}))
    per_product = page[page.index("Per product"):]
    assert "<th scope=\"row\">Abonnement</th><td class=\"books-number\">€ 79,00</td>" in per_product
    assert "<th scope=\"row\">Cadeaubon</th>" in per_product and "Overig" not in per_product


# The intro offer on a class card ------------------------------------------------------------------

def test_a_class_card_is_marked_as_the_intro_offer_at_the_desk(desk):
    desk.post(reverse("bookings:desk_card_type_new"), {
        "name_nl": "Kennismaking", "name_en": "Intro offer", "credits": "2", "validity_months": "1", "price": "25,00",
        "once_per_person": "on", "is_on_sale": "on", "position": "0", "vat_rate_percent": "21.0"})
    card_type = ClassCardType.objects.get(name_nl="Kennismaking")
    assert card_type.once_per_person and card_type.price_cents == 2500
    form = read(desk.get(reverse("bookings:desk_card_type", args=[card_type.pk])))
    assert "kennismakingsaanbod: één keer per persoon" in form.lower()


# The demo -----------------------------------------------------------------------------------------

def test_the_demo_products_are_made_once_and_keep_the_admins_changes(db):
    yoga = [StyleFactory(slug=slug) for slug in ("hatha", "balans", "yin")]
    StyleFactory(slug="tre")
    first = offers_demo.load()
    MembershipType.objects.filter(name_nl="Onbeperkt yoga").update(price_cents=8200)  # the admin changed it since
    again = offers_demo.load()
    assert first["discount_code"] == again["discount_code"]
    assert (MembershipType.objects.count(), VoucherProduct.objects.count(), DiscountCode.objects.count()) == (2, 2, 1)
    assert ClassCardType.objects.filter(once_per_person=True).count() == 1
    unlimited = MembershipType.objects.get(name_nl="Onbeperkt yoga")
    assert unlimited.is_unlimited and unlimited.price_cents == 8200 and set(unlimited.styles.all()) == set(yoga)
    intro = again["intro_offer"]
    assert (intro.credits, intro.validity_months, intro.price_cents, intro.once_per_person) == (2, 1, 2500, True)
    code = again["discount_code"]
    assert (code.code, code.percent, code.products, code.max_uses) == ("WELKOM10", 10, ["class_card"], 100)
    free = VoucherProduct.objects.get(amount_cents__isnull=True)
    assert (free.minimum_cents, free.maximum_cents, free.validity_months) == (1000, 25000, 12)


def test_the_whole_demo_runs_twice_without_duplicates(db):
    call_command("demo", stdout=io.StringIO())
    counts = (MembershipType.objects.count(), VoucherProduct.objects.count(), DiscountCode.objects.count(), ClassCardType.objects.count(),
              get_user_model().objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (MembershipType.objects.count(), VoucherProduct.objects.count(), DiscountCode.objects.count(), ClassCardType.objects.count(),
            get_user_model().objects.count()) == counts == (2, 2, 1, 3, counts[-1])
    assert set(MembershipType.objects.get(name_nl="Onbeperkt yoga").styles.values_list("slug", flat=True)) == {"hatha", "balans", "yin"}
    assert Style.objects.filter(slug="tre").exists()
