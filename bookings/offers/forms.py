"""The forms of gift vouchers: buying one, and the teacher taking an amount off at the studio."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import euros
from core.money_fields import EurosField

from ..models import VoucherProduct


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


class VoucherTakeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    everything = forms.BooleanField(label=_("Everything that is left"), required=False)
    amount = EurosField(label=_("Amount to take"), required=False)
    reason = forms.CharField(label=_("What for (optional)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("everything") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Fill in an amount, or choose everything that is left."))
        if data.get("everything"):
            data["amount"] = None
        return data
