"""Amounts in euros as people type them, in either language of the site: one field (core.money_fields)
for prices, refunds and the cash-up, kept as cents, with a clear word for what it cannot read."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.money_fields import EurosField, cents_as_text


@pytest.mark.parametrize("language, typed, cents", [
    ("nl", "17,50", 1750), ("nl", "17.50", 1750), ("nl", "€ 17", 1700), ("nl", "1.250,00", 125000), ("nl", "1.250", 125000),
    ("nl", "€\u00a0 12,5", 1250), ("en", "17.50", 1750), ("en", "12,50", 1250), ("en", "1,250.00", 125000), ("en", "1,250", 125000),
])
def test_an_amount_is_read_as_it_is_written_in_the_pages_language(language, typed, cents):
    with translation.override(language):
        assert EurosField().clean(typed) == cents


@pytest.mark.parametrize("language, typed, message", [
    ("nl", "vijf", "Vul een bedrag in euro in, bijvoorbeeld 12,50."),
    ("en", "five", "Type an amount in euros, for example 12.50."),
    ("nl", "1,005", "Vul hooguit twee cijfers na de komma in."),
    ("nl", "-5", "Een bedrag kan niet negatief zijn."),
    ("nl", "100000,01", "Dat bedrag is te groot."),
    ("nl", "9" * 19, "Dat bedrag is te groot."),
])
def test_what_cannot_be_an_amount_gets_a_clear_word(language, typed, message):
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            EurosField().clean(typed)
        assert [str(text) for text in refused.value.messages] == [message]


@pytest.mark.parametrize("minimum, typed, message", [
    (1, "0", "Vul een bedrag boven nul in."), (50, "0,25", "Vul een bedrag van minstens €\u00a00,50 in."),
])
def test_a_lower_limit_names_itself(minimum, typed, message):
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refused:
            EurosField(min_cents=minimum).clean(typed)
        assert [str(text) for text in refused.value.messages] == [message]
        assert EurosField(min_cents=minimum, required=False).clean("") is None


def test_cents_are_shown_for_changing_in_the_pages_language():
    with translation.override("nl"):
        assert cents_as_text(1750) == "17,50" and EurosField().prepare_value(5) == "0,05"
    with translation.override("en"):
        assert cents_as_text(1750) == "17.50"
