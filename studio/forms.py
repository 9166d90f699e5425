from django import forms
from django.utils.translation import gettext_lazy as _

from classes.forms import PhotoCheckedForm

from .models import Page, User


class SignupForm(forms.Form):
    """Extra fields on allauth's signup form: the name the teacher will call you."""

    first_name = forms.CharField(label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language"]
        labels = {"first_name": _("First name"), "last_name": _("Last name"), "phone": _("Phone (optional)"), "language": _("Language for emails and the site")}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_first_name(self):
        value = self.cleaned_data["first_name"].strip()
        if not value:
            raise forms.ValidationError(_("Please fill in your first name."))
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        allowed = set("+0123456789 -()")
        if value and (not set(value) <= allowed or sum(ch.isdigit() for ch in value) < 8):
            raise forms.ValidationError(_("Please enter a phone number with at least 8 digits, e.g. +31 6 12345678."))
        return value


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    message = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    # A field people never see; bots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def clean_message(self):
        value = self.cleaned_data["message"].strip()
        if len(value) < 5:
            raise forms.ValidationError(_("Please write a little more, so we know how to help."))
        return value


class PageForm(PhotoCheckedForm):
    """A page's photo is checked like every upload and needs its description (the about page's is the home page's too).
    The admin's form; the desk's (`DeskPageForm`) is the same without the page's key."""

    photo_field = "image"
    alt_field = "image_alt_nl"

    class Meta:
        model = Page
        fields = ["key", "title_nl", "body_nl", "title_en", "body_en", "image", "image_alt_nl", "image_alt_en"]
        help_texts = {"image": _("JPEG, PNG or WebP, at most 10 MB; smaller copies for phones are made by themselves. "
                                 "The photo of the about page is the home page's too.")}


class DeskPageForm(PageForm):
    """One of the studio's pages at the admin's desk: its texts in both languages and its photo."""

    class Meta(PageForm.Meta):
        fields = ["title_nl", "body_nl", "title_en", "body_en", "image", "image_alt_nl", "image_alt_en"]
        widgets = {"body_nl": forms.Textarea(attrs={"rows": 14}), "body_en": forms.Textarea(attrs={"rows": 14})}
