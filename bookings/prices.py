"""The public price list: everything the studio sells, read in one place for the prices page
(drop-in classes, class cards and the intro offer, memberships, programmes, one-to-one sessions, gift
vouchers), each with its own VAT rate, and what keeps the cached page in step with the products.

Names and texts come in the page's language (the models' `name`/`summary` pick it). Only what can be
bought now is listed: shown offerings, cards, memberships and vouchers on sale, active one-to-one
types; a section with nothing in it is left out by the page."""

from dataclasses import dataclass, field

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from classes import selectors as classes_selectors
from classes.models import Offering
from core.pagecache import content_changed

from .models import ClassCardType, MembershipType, VoucherProduct


@dataclass
class Programme:
    """A programme with its prices (classes.selectors.programme_prices, the offering page's rule): in a
    group (the lowest price of the groups open for booking, "from" when they differ) and one-to-one (one
    per kind of session that offers it)."""

    offering: Offering
    prices: list = field(default_factory=list)

    @property
    def group(self):
        return next((price for price in self.prices if price.appointment_type is None), None)

    @property
    def one_to_one(self) -> list:
        return [price for price in self.prices if price.appointment_type is not None]

    @property
    def has_a_way_to_buy(self) -> bool:
        return bool(self.prices)


def price_list(*, now=None) -> dict:
    """Every section of the prices page, each a list (empty when the studio sells none of it)."""
    now = now or timezone.now()
    offerings = list(Offering.objects.shown().select_related("style").order_by("position", "name_nl"))
    kinds = list(classes_selectors.active_appointment_types())
    programme_offerings = [offering for offering in offerings if offering.kind == Offering.Kind.PROGRAMME]
    prices = classes_selectors.programme_prices(programme_offerings, now=now, appointment_types=kinds)
    programmes = [Programme(offering, prices[offering.pk]) for offering in programme_offerings]
    card_types = list(ClassCardType.objects.filter(is_on_sale=True, is_studio_credit=False).prefetch_related("styles"))
    for card_type in card_types:
        card_type.price_per_class_cents = round(card_type.price_cents / card_type.credits)
    return {
        "drop_ins": [offering for offering in offerings if offering.kind == Offering.Kind.GROUP],
        "card_types": card_types,
        "membership_types": list(MembershipType.objects.filter(is_on_sale=True).prefetch_related("styles")
                                 .order_by("position", "price_cents", "pk")),
        "programmes": programmes,
        "appointment_types": [kind for kind in kinds if kind.is_bookable_alone],
        "voucher_products": list(VoucherProduct.objects.filter(is_on_sale=True)),
    }


# The prices page is cached with the public pages (core.pagecache), whose version follows the rows of
# classes; the products of bookings it shows bump it too.
PRODUCTS = (ClassCardType, MembershipType, VoucherProduct)


def _product_changed(sender, **kwargs):
    content_changed()


def connect() -> None:
    for model in PRODUCTS:
        post_save.connect(_product_changed, sender=model, dispatch_uid=f"prices-{model._meta.model_name}-saved")
        post_delete.connect(_product_changed, sender=model, dispatch_uid=f"prices-{model._meta.model_name}-deleted")
        if hasattr(model, "styles"):
            m2m_changed.connect(_product_changed, sender=model.styles.through, dispatch_uid=f"prices-{model._meta.model_name}-styles")
