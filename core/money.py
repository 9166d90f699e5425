"""Money as people read it. Amounts are kept in euro cents everywhere; this is the one place that
turns them into text: '€ 17,50' in Dutch, '€17.50' in English (the active language unless given)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

NBSP = "\u00a0"


def euros(cents, language: str | None = None) -> str:
    """1750 -> '€ 17,50' (Dutch) or '€17.50' (English); thousands grouped; '' for no amount."""
    if cents is None or cents == "":
        return ""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    language = language or translation.get_language() or "nl"
    if language.startswith("en"):
        return f"{sign}€{whole:,}.{rest:02d}"
    return f"{sign}€{NBSP}{whole:,}".replace(",", ".") + f",{rest:02d}"


def euros_plain(cents, *, decimal_mark: str = ".") -> str:
    """An amount for machines and spreadsheets: '17.50' (structured data), or '17,50' with
    `decimal_mark=","` (the bookkeeper's CSV); no currency sign and no grouping of thousands."""
    cents = int(cents or 0)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}{decimal_mark}{rest:02d}"


def vat_included(cents: int, rate) -> int:
    """The VAT contained in an amount that includes it, at `rate` percent: cents × rate / (100 + rate),
    rounded half up to a cent. The one VAT sum of receipts, the books and the price list."""
    rate = Decimal(rate)
    return int((Decimal(cents) * rate / (Decimal(100) + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
