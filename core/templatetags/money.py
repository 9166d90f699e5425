from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.money import euros as format_euros

register = template.Library()


@register.filter
def euros(cents):
    """Cents as an amount in the page's language: 1750 -> '€ 17,50' (nl) or '€17.50' (en)."""
    return format_euros(cents)


@register.simple_tag
def vat_note(rate):
    """The one VAT note beside a price: 'incl. btw', or 'vrijgesteld van btw' for a product exempt from
    VAT (rate 0), as the product's own rate says."""
    return format_html('<span class="vat-note">{}</span>', _("incl. VAT") if rate else _("exempt from VAT"))


@register.simple_tag
def prices_note():
    """Once under a list of prices that carry no note of their own (the booking rows): they include
    VAT, and an exempt one says so beside it (`vat_note`)."""
    return format_html('<p class="vat-note prices-note">{}</p>', _("Prices incl. VAT, unless stated otherwise."))
