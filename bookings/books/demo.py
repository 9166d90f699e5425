"""The demo's products beyond drop-ins and class cards, as the admin's desk shows them: two membership
types, the intro offer, two gift vouchers and a welcome code. Idempotent: a second run finds what the
first made and changes nothing (not even what the admin changed since)."""

from classes.models import Style

from ..models import ClassCardType, DiscountCode, MembershipType, VoucherProduct

YOGA_STYLES = ["hatha", "balans", "yin"]

MEMBERSHIP_TYPES = [
    {"name_nl": "Onbeperkt yoga", "name_en": "Unlimited yoga", "price_cents": 7900, "classes_per_period": None, "carry_over": False,
     "summary_nl": "Zo vaak als je wilt naar elke yogales.", "summary_en": "Every yoga class, as often as you like.",
     "minimum_months": 0, "notice_months": 0, "position": 1},
    {"name_nl": "4 lessen per maand", "name_en": "4 classes a month", "price_cents": 4900, "classes_per_period": 4, "carry_over": True,
     "summary_nl": "Elke maand 4 yogalessen; één les die je niet gebruikt, schuift door naar de volgende maand.",
     "summary_en": "4 yoga classes every month; one class you do not use moves on to the next month.",
     "minimum_months": 0, "notice_months": 0, "position": 2},
]

INTRO_OFFER = {"name_nl": "Kennismaking: 2 lessen voor € 25", "name_en": "Intro offer: 2 classes for € 25", "credits": 2,
               "validity_months": 1, "price_cents": 2500, "once_per_person": True, "position": 0}

VOUCHER_PRODUCTS = [
    {"name_nl": "Cadeaubon", "name_en": "Gift voucher", "amount_cents": None, "minimum_cents": 1000, "maximum_cents": 25000,
     "summary_nl": "Een bedrag naar keuze, te gebruiken voor lessen, kaarten, het TRE®-traject en losse sessies.",
     "summary_en": "An amount of your choice, for classes, cards, the TRE® programme and one-to-one sessions.",
     "validity_months": 12, "position": 1},
    {"name_nl": "Cadeaubon 5-lessenkaart", "name_en": "Gift voucher: 5-class card", "amount_cents": 8000,
     "summary_nl": "De waarde van een 5-lessenkaart.", "summary_en": "The value of a 5-class card.", "validity_months": 12, "position": 2},
]

WELCOME_CODE = {"code": "WELKOM10", "description": "Welkom: 10% korting op je eerste lessenkaart", "kind": DiscountCode.Kind.PERCENT,
                "percent": 10, "products": [DiscountCode.Product.CLASS_CARD], "max_uses": 100, "max_uses_per_person": 1}


def load() -> dict:
    yoga = list(Style.objects.filter(slug__in=YOGA_STYLES))
    membership_types = []
    for fields in MEMBERSHIP_TYPES:
        membership_type, created = MembershipType.objects.get_or_create(name_nl=fields["name_nl"], defaults=fields)
        if created:
            membership_type.styles.set(yoga)
        membership_types.append(membership_type)
    intro, _created = ClassCardType.objects.get_or_create(name_nl=INTRO_OFFER["name_nl"], defaults=INTRO_OFFER)
    vouchers = [VoucherProduct.objects.get_or_create(name_nl=fields["name_nl"], defaults=fields)[0] for fields in VOUCHER_PRODUCTS]
    code, _created = DiscountCode.objects.get_or_create(code=WELCOME_CODE["code"], defaults=WELCOME_CODE)
    return {"membership_types": membership_types, "intro_offer": intro, "voucher_products": vouchers, "discount_code": code}
