from django import template

from core.money import euros as format_euros

register = template.Library()


@register.filter
def euros(cents):
    """Cents as an amount in the page's language: 1750 -> '€ 17,50' (nl) or '€17.50' (en)."""
    return format_euros(cents)
