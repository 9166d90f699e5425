"""Money as people type it into a form: one field for every amount in euros, kept as cents."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.money import euros

MAX_CENTS = 100_000_00  # € 100.000: anything above is a typing mistake
_GROUPED = {",": re.compile(r"\d{1,3}(,\d{3})+"), ".": re.compile(r"\d{1,3}(\.\d{3})+")}


def _english() -> bool:
    return (translation.get_language() or "nl").startswith("en")


def cents_as_text(cents: int | None) -> str:
    """1750 -> '17,50' (Dutch) or '17.50' (English), as a form shows an amount to change."""
    if cents is None:
        return ""
    whole, rest = divmod(int(cents), 100)
    return f"{whole}{'.' if _english() else ','}{rest:02d}"


class EurosField(forms.Field):
    """An amount in euros as people type it, kept as cents: '17,50', '17.50', '€ 17', '1.250,00', and
    '1,250.00' on an English page. With one kind of mark, a group of thousands ('1.250', or '1,250'
    in English) is read as such; otherwise the mark is the decimal one."""

    default_error_messages = {
        "invalid": _("Type an amount in euros, for example %(example)s."),
        "negative": _("An amount cannot be negative."),
        "decimals": _("Type at most two digits after the comma."),
        "above_zero": _("Type an amount above zero."),
        "too_small": _("Type an amount of at least %(minimum)s."),
        "too_large": _("That amount is too large."),
    }

    def __init__(self, *, min_cents: int = 0, max_cents: int = MAX_CENTS, **kwargs):
        self.min_cents, self.max_cents = min_cents, max_cents
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": 20}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return cents_as_text(value) if isinstance(value, int) else value

    def to_python(self, value):
        text = re.sub(r"[\s\u00a0€]", "", str(value or ""))
        if not text:
            return None
        if text.startswith("-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        whole, fraction = self._split(text)
        if len(fraction) > 2:
            raise ValidationError(self.error_messages["decimals"], code="decimals")
        cents = int(whole) * 100 + int(fraction.ljust(2, "0"))
        if cents > self.max_cents:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        if cents < self.min_cents:
            if self.min_cents == 1:
                raise ValidationError(self.error_messages["above_zero"], code="above_zero")
            raise ValidationError(self.error_messages["too_small"], code="too_small", params={"minimum": euros(self.min_cents)})
        return cents

    def _split(self, text: str) -> tuple[str, str]:
        """The whole euros and the digits after the decimal mark, as digit strings."""
        marks = [mark for mark in ",." if mark in text]
        if len(marks) == 2:  # the last mark is the decimal one, the other groups thousands
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            grouping = "." if decimal == "," else ","
            text = text.replace(grouping, "")
        elif marks:
            mark = marks[0]
            groups_thousands = mark == ("," if _english() else ".")
            if groups_thousands and _GROUPED[mark].fullmatch(text):
                text = text.replace(mark, "")
            decimal = mark
        else:
            decimal = ","
        whole, _mark, fraction = text.partition(decimal)
        if not whole.isdigit() or (fraction and not fraction.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"example": cents_as_text(1250)})
        if len(whole) > 9:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return whole, fraction
