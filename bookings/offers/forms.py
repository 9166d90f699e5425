"""The forms of gift vouchers: buying one, and the teacher taking an amount off at the studio."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import euros
from core.money_fields import EurosField
from core.vat import vat_rate_label

from ..models import BookingPolicy, VoucherProduct
from ..payments import kinds, voucher_ledger

OTHER = "other"


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.amount_cents:
            return f"{obj.name} · {euros(obj.amount_cents)}"
        return f"{obj.name} · {euros(obj.minimum_cents)} – {euros(obj.maximum_cents)}"


class VoucherBuyForm(forms.Form):
    product = ProductChoice(label=_("Gift voucher"), queryset=VoucherProduct.objects.filter(is_on_sale=True).order_by("position", "pk"),
                                     widget=forms.RadioSelect, empty_label=None)
    amount = EurosField(label=_("Amount"), required=False, help_text=_("Only for a voucher with an amount of your choice."))
    recipient_name = forms.CharField(label=_("For (name)"), max_length=120, required=False)
    print_myself = forms.BooleanField(label=_("I'll print it myself and give it"), required=False)
    recipient_email = forms.EmailField(label=_("The recipient's email address"), required=False,
                                       help_text=_("We email the voucher to this address once it is paid."))
    message = forms.CharField(label=_("Your message"), max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        product = data.get("product")
        if product is not None and not product.amount_cents and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Choose the amount of the gift voucher."))
        if not data.get("print_myself") and not data.get("recipient_email") and "recipient_email" not in self.errors:
            self.add_error("recipient_email", _("Fill in the recipient's email address, or choose to print the voucher yourself."))
        if data.get("print_myself"):
            data["recipient_email"] = ""
        return data


class VoucherLookupForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


def studio_uses() -> tuple[list, dict]:
    """What a voucher can pay for at the studio, for the teacher's choice: grouped choices (a group per
    kind of product: drop-in classes, class cards, programmes, one-to-ones...) and, per choice, the
    product's name and VAT rate. Not another voucher or a membership, as online. "Something else"
    counts at the studio's default rate."""
    default_rate = BookingPolicy.current().vat_rate_percent
    groups, uses = [], {}
    for kind in kinds.kinds():
        if kind.purpose in voucher_ledger.NOT_FOR:
            continue
        options = []
        for line in kind.product_lines():
            if not line.shown:
                continue
            rate = default_rate if line.vat_rate is None else line.vat_rate
            value = f"{kind.purpose}:{line.name}"[:150]
            uses[value] = (line.name, rate)
            options.append((value, f"{line.name} · {vat_rate_label(rate)}"))
        if options:
            groups.append((str(kind.label), options))
    uses[OTHER] = ("", default_rate)
    something_else = _("Something else")
    groups.append((_("Other"), [(OTHER, f"{something_else} · {vat_rate_label(default_rate)}")]))
    return groups, uses


class VoucherTakeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    everything = forms.BooleanField(label=_("Everything that is left"), required=False)
    amount = EurosField(label=_("Amount to take"), required=False)
    what_for = forms.ChoiceField(label=_("What it pays for"), help_text=_("It counts in the books at this product's VAT rate."))
    reason = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups, self.uses = studio_uses()
        self.fields["what_for"].choices = [("", _("Choose…")), *groups]

    def clean(self):
        data = super().clean()
        if not data.get("everything") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Fill in an amount, or choose everything that is left."))
        if data.get("everything"):
            data["amount"] = None
        if data.get("what_for") in self.uses:
            name, data["vat_rate"] = self.uses[data["what_for"]]
            note = (data.get("reason") or "").strip()
            data["reason"] = " · ".join(part for part in (name, note) if part)
        return data
