"""The admin's forms for what the studio sells beyond classes and cards: membership types, gift
voucher products and discount codes. Amounts are typed in euros and kept in cents; times are typed
in Breda time. Editing saves only the form's own columns, so what a checkout changes meanwhile (a
code's count of uses, a membership type's Stripe price) is never written back stale."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classes.models import Style
from core.money_fields import EurosField
from core.vat import vat_rate_choice

from ..models import BookingPolicy, DiscountCode, MembershipType, VoucherProduct

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows, as the blog desk's scheduling does
CODE_SHAPE = re.compile(r"[A-Z0-9]+(-[A-Z0-9]+)*")


def _between(value, low, high, message):
    if value is not None and not low <= value <= high:
        raise forms.ValidationError(message)
    return value


def _datetime_field(label, help_text):
    return forms.DateTimeField(label=label, required=False, help_text=help_text, input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S"],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL))


def _styles_field():
    return forms.ModelMultipleChoiceField(queryset=Style.objects.order_by("position", "name_nl"), required=False,
                                          widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Styles"),
                                          help_text=gettext_lazy("Leave empty for every style."))


class _OwnColumnsForm(forms.ModelForm):
    """Saves a changed row with only the columns this form is about (plus `extra_columns`)."""

    extra_columns: tuple[str, ...] = ()

    def save(self, commit=True):
        instance = super().save(commit=False)
        if not commit:
            return instance
        if instance._state.adding:
            instance.save()
        else:
            columns = [field.name for field in instance._meta.concrete_fields if field.name in self._meta.fields]
            instance.save(update_fields=[*columns, *self.extra_columns])
        self._save_m2m()
        return instance


class MembershipTypeForm(_OwnColumnsForm):
    price = EurosField(min_cents=100, label=gettext_lazy("Price per month in euros, incl. VAT"))
    styles = _styles_field()
    extra_columns = ("price_cents",)

    class Meta:
        model = MembershipType
        fields = ["name_nl", "name_en", "summary_nl", "summary_en", "vat_rate_percent", "classes_per_period", "carry_over",
                  "minimum_months", "notice_months", "styles", "is_on_sale", "position"]
        widgets = {"classes_per_period": forms.NumberInput(attrs={"min": 1, "max": 31}),
                   "minimum_months": forms.NumberInput(attrs={"min": 0, "max": 24}),
                   "notice_months": forms.NumberInput(attrs={"min": 0, "max": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["price"].initial = self.instance.price_cents
        else:  # a new membership type starts with the studio's default rate, like every new product
            self.initial["vat_rate_percent"] = vat_rate_choice(BookingPolicy.current().vat_rate_percent)
        self.order_fields(["name_nl", "name_en", "summary_nl", "summary_en", "price"])

    def clean_classes_per_period(self):
        return _between(self.cleaned_data["classes_per_period"], 1, 31,
                        _("Choose between 1 and 31 classes a month, or leave it empty for unlimited classes."))

    def clean_minimum_months(self):
        return _between(self.cleaned_data["minimum_months"], 0, 24, _("Choose between 0 and 24 months."))

    def clean_notice_months(self):
        return _between(self.cleaned_data["notice_months"], 0, 12, _("Choose between 0 and 12 months."))

    def clean(self):
        data = super().clean()
        if data.get("carry_over") and not data.get("classes_per_period") and "classes_per_period" not in self.errors:
            self.add_error("carry_over", _("Carrying a class over only goes with a number of classes a month, not with unlimited classes."))
        return data

    def save(self, commit=True):
        self.instance.price_cents = self.cleaned_data["price"]
        return super().save(commit=commit)


class VoucherProductForm(_OwnColumnsForm):
    amount = EurosField(min_cents=100, required=False, label=gettext_lazy("Fixed amount in euros"),
                        help_text=gettext_lazy("Leave empty to let the buyer choose the amount."))
    minimum = EurosField(min_cents=100, required=False, label=gettext_lazy("Lowest amount to choose, in euros"))
    maximum = EurosField(min_cents=100, required=False, label=gettext_lazy("Highest amount to choose, in euros"))
    extra_columns = ("amount_cents", "minimum_cents", "maximum_cents")

    class Meta:
        model = VoucherProduct
        fields = ["name_nl", "name_en", "summary_nl", "summary_en", "validity_months", "is_on_sale", "position"]
        widgets = {"validity_months": forms.NumberInput(attrs={"min": 1, "max": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = self.instance.amount_cents
        self.fields["minimum"].initial = self.instance.minimum_cents
        self.fields["maximum"].initial = self.instance.maximum_cents
        self.order_fields(["name_nl", "name_en", "summary_nl", "summary_en", "amount", "minimum", "maximum"])

    def clean_validity_months(self):
        return _between(self.cleaned_data["validity_months"], 1, 60, _("Choose between 1 and 60 months."))

    def clean(self):
        data = super().clean()
        if {"amount", "minimum", "maximum"} & set(self.errors):
            return data
        if data.get("amount") is None:
            for name in ("minimum", "maximum"):
                if data.get(name) is None:
                    self.add_error(name, _("Without a fixed amount, type the lowest and the highest amount the buyer may choose."))
        low = data.get("minimum") or self.instance.minimum_cents
        high = data.get("maximum") or self.instance.maximum_cents
        if not self.errors and low > high:
            self.add_error("maximum", _("The highest amount is below the lowest amount."))
        data["minimum"], data["maximum"] = low, high
        return data

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance.amount_cents = data["amount"]
        self.instance.minimum_cents, self.instance.maximum_cents = data["minimum"], data["maximum"]
        return super().save(commit=commit)


class DiscountCodeForm(_OwnColumnsForm):
    """A code: stored in capitals, unique whatever the case it is typed in."""

    percent = forms.IntegerField(label=gettext_lazy("Percentage off"), required=False, widget=forms.NumberInput(attrs={"min": 1, "max": 100}))
    amount = EurosField(min_cents=1, required=False, label=gettext_lazy("Amount off, in euros"))
    products = forms.MultipleChoiceField(label=gettext_lazy("Valid for"), choices=DiscountCode.Product.choices, widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": gettext_lazy("Choose at least one product the code is for.")})
    valid_from = _datetime_field(gettext_lazy("Valid from"), gettext_lazy("Breda time. Empty: from now."))
    valid_until = _datetime_field(gettext_lazy("Valid until"), gettext_lazy("Breda time. Empty: no end."))
    extra_columns = ("percent", "amount_cents")

    class Meta:
        model = DiscountCode
        fields = ["code", "description", "kind", "products", "valid_from", "valid_until", "max_uses", "max_uses_per_person", "is_active"]
        widgets = {"kind": forms.RadioSelect, "code": forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
                   "max_uses": forms.NumberInput(attrs={"min": 1}), "max_uses_per_person": forms.NumberInput(attrs={"min": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].initial = self.instance.percent
        self.fields["amount"].initial = self.instance.amount_cents
        self.fields["code"].help_text = _("Letters, digits and dashes, for example WELKOM10. Case does not matter: it is kept in capitals.")
        self.order_fields(["code", "description", "kind", "percent", "amount"])

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_SHAPE.fullmatch(code):
            raise forms.ValidationError(_("Use only letters, digits and dashes, without spaces, for example WELKOM10."))
        if len(code) < 3:
            raise forms.ValidationError(_("A code needs at least 3 characters."))
        if DiscountCode.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The code %(code)s already exists (case does not matter). Choose another one.") % {"code": code})
        if self.instance.pk and self.instance.uses_count and code != self.instance.code:
            raise forms.ValidationError(_("This code has been used already, so it keeps its letters. Make a new code instead."))
        return code

    def clean_percent(self):
        return _between(self.cleaned_data["percent"], 1, 100, _("Choose a percentage between 1 and 100."))

    def clean_max_uses(self):
        most = self.cleaned_data["max_uses"]
        if most is not None and most < 1:
            raise forms.ValidationError(_("Type at least 1, or leave it empty for no limit."))
        if most is not None and most < self.instance.uses_count:
            raise forms.ValidationError(_("It has been used %(count)s times already: choose at least that many.") % {"count": self.instance.uses_count})
        return most

    def clean_max_uses_per_person(self):
        return _between(self.cleaned_data["max_uses_per_person"], 1, 1000, _("Type at least 1."))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DiscountCode.Kind.PERCENT:
            data["amount"] = None
            self.errors.pop("amount", None)  # a leftover in the field this kind does not use is ignored, not refused
            if data.get("percent") is None and "percent" not in self.errors:
                self.add_error("percent", _("Type the percentage off."))
        elif kind == DiscountCode.Kind.AMOUNT:
            data["percent"] = None
            self.errors.pop("percent", None)
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Type the amount off."))
        first, last = data.get("valid_from"), data.get("valid_until")
        if first and last and last <= first:
            self.add_error("valid_until", _("“Valid until” must be after “valid from”."))
        most, each = data.get("max_uses"), data.get("max_uses_per_person")
        if most is not None and each is not None and each > most:
            self.add_error("max_uses_per_person", _("Per person cannot be more than the uses in all."))
        return data

    def save(self, commit=True):
        self.instance.percent, self.instance.amount_cents = self.cleaned_data["percent"], self.cleaned_data["amount"]
        return super().save(commit=commit)
