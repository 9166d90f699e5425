"""The forms of the admin's desk for money: finding payments, a refund, the cash-up and a class
card type. Amounts are typed in euros ("12,50" in Dutch) and kept in cents."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classes.models import Style
from core.money import euros
from core.money_fields import EurosField
from core.vat import vat_rate_choice

from ..models import BookingPolicy, ClassCardType, Payment
from ..payments import kinds

TOKEN_LENGTH = 32


class PaymentSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("A receipt number, a name, an email address or a word of the description."))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    method = forms.ChoiceField(label=gettext_lazy("Paid with"), required=False)
    purpose = forms.ChoiceField(label=gettext_lazy("For"), required=False)
    first = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    last = forms.DateField(label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(Payment.Status.choices)
        self.fields["method"].choices = everything + list(Payment.Method.choices)
        self.fields["purpose"].choices = everything + [(kind.purpose, kind.label) for kind in kinds.kinds()]

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


class RefundForm(forms.Form):
    amount = EurosField(min_cents=1, label=gettext_lazy("Amount to refund, in euros"))
    reason = forms.CharField(label=gettext_lazy("Why (the client reads this in the email)"), max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, payment: Payment, **kwargs):
        self.payment = payment
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        token = data.get("token", "")
        if len(token) != TOKEN_LENGTH or not token.isalnum():
            raise forms.ValidationError(_("The form was damaged; please start again."))
        return data

    def clean_amount(self):
        cents = self.cleaned_data["amount"]
        if cents > self.payment.refundable_cents:
            raise forms.ValidationError(_("At most %(amount)s can still be refunded.") % {"amount": euros(self.payment.refundable_cents)})
        return cents


class CashCountForm(forms.Form):
    float_cents = EurosField(label=gettext_lazy("Change in the drawer at the start of the day"), initial=0)
    cash_counted_cents = EurosField(label=gettext_lazy("Cash counted in the drawer now"))
    pin_counted_cents = EurosField(label=gettext_lazy("Total on the PIN terminal's day receipt"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300,
                           help_text=gettext_lazy("For a difference: what you know about it."))


class ClassCardTypeForm(forms.ModelForm):
    price = EurosField(min_cents=50, label=gettext_lazy("Price in euros, incl. VAT"))
    styles = forms.ModelMultipleChoiceField(queryset=Style.objects.order_by("name_nl"), required=False, widget=forms.CheckboxSelectMultiple,
                                            label=gettext_lazy("Styles"), help_text=gettext_lazy("Leave empty for every style."))

    class Meta:
        model = ClassCardType
        fields = ["name_nl", "name_en", "credits", "validity_months", "styles", "once_per_person", "vat_rate_percent", "is_on_sale",
                  "position"]
        widgets = {"credits": forms.NumberInput(attrs={"min": 1, "max": 100}), "validity_months": forms.NumberInput(attrs={"min": 1, "max": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["price"].initial = self.instance.price_cents
        else:  # a new card starts with the studio's default rate
            self.initial["vat_rate_percent"] = vat_rate_choice(BookingPolicy.current().vat_rate_percent)
        self.fields["vat_rate_percent"].required = False  # left out: the product keeps its rate (a new one: the default)

    def clean_credits(self):
        credits = self.cleaned_data["credits"]
        if not 1 <= credits <= 100:
            raise forms.ValidationError(_("Choose between 1 and 100 classes."))
        return credits

    def clean_validity_months(self):
        months = self.cleaned_data["validity_months"]
        if not 1 <= months <= 60:
            raise forms.ValidationError(_("Choose between 1 and 60 months."))
        return months

    def save(self, commit=True):
        self.instance.price_cents = self.cleaned_data["price"]
        return super().save(commit=commit)
