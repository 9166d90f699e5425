"""The VAT rates a product can carry in the Netherlands, as one model field: 21 % (the general
rate), 9 % (the reduced rate) or exempt (0, vrijgesteld). Each product keeps its own rate; a payment
keeps the rate of its product on the day it was made."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

GENERAL = Decimal("21.0")
REDUCED = Decimal("9.0")
EXEMPT = Decimal("0.0")

VAT_RATES = [
    (GENERAL, _("21% (general rate)")),
    (REDUCED, _("9% (reduced rate)")),
    (EXEMPT, _("Exempt from VAT")),
]


def vat_rate_field(**options) -> models.DecimalField:
    """The VAT rate of a product: one of VAT_RATES, 21 % unless the studio chooses otherwise."""
    options.setdefault("default", GENERAL)
    return models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=1, choices=VAT_RATES, **options)


def vat_rate_label(rate) -> str:
    """'21%', '9%' or 'vrijgesteld' (exempt), in the active language."""
    rate = Decimal(rate)
    if rate == 0:
        return str(_("exempt"))
    return f"{rate.normalize():f}%"


def vat_rate_choice(rate) -> Decimal:
    """`rate` as one of VAT_RATES, for a product form's first value (the studio's default rate for
    new products); a rate that is none of them gives the general rate."""
    try:
        rate = Decimal(rate).quantize(Decimal("0.1"))
    except (TypeError, ArithmeticError, ValueError):
        return GENERAL
    return rate if rate in {choice for choice, _label in VAT_RATES} else GENERAL
