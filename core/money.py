"""Money as people read it. Amounts are kept in euro cents everywhere; this is the one place that
turns them into text: '€ 17,50' in Dutch, '€17.50' in English (the active language unless given)."""

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


def euros_plain(cents) -> str:
    """For files a bookkeeper reads (CSV): '17.50', no sign of the currency, a point as decimal mark."""
    cents = int(cents or 0)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}.{rest:02d}"
