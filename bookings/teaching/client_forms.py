"""Forms of the client pages in the back office: booking her into a class, a one-to-one or a programme
group, and giving or correcting class-card credits. They check the input; the services decide."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.dates import parse_moment

from ..models import Appointment, Booking

CARD_PREFIX, TYPE_PREFIX = "card-", "type-"


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'D j N')} {local:%H:%M}"


def session_label(session) -> str:
    left = session.capacity - session.places_taken
    places = ngettext("%(count)d place left", "%(count)d places left", left) % {"count": left} if left > 0 else _("full")
    return f"{timezone.localtime(session.starts_at):%H:%M} {session.offering.name} · {session.teacher.first_name} · {places}"


class ClassBookingForm(forms.Form):
    session = forms.TypedChoiceField(label=_("Class"), coerce=int)
    pay_with = forms.ChoiceField(label=_("She pays with"), widget=forms.RadioSelect, choices=[
        (Booking.PaidWith.CARD, _("A class from her class card")), (Booking.PaidWith.STUDIO, _("Paying at the studio"))])

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {session.pk: session for session in sessions}
        days = {}
        for session in sessions:
            days.setdefault(formats.date_format(session.local_date, "l j F"), []).append((session.pk, session_label(session)))
        self.fields["session"].choices = [("", _("Choose a class")), *days.items()]

    def clean_session(self):
        return self.sessions[self.cleaned_data["session"]]


class OneToOneForm(forms.Form):
    """The moment comes from the list of free moments (radio buttons the page draws itself); how she
    pays from the button pressed."""

    starts_at = forms.CharField(label=_("Moment"), error_messages={"required": _("Please choose a time from the list.")})
    pay_with = forms.ChoiceField(label=_("She pays with"), choices=[
        (Appointment.PaidWith.STUDIO, _("Paying at the studio")), (Appointment.PaidWith.PROGRAMME, _("A session of her programme"))])

    def clean_starts_at(self):
        moment = parse_moment(self.cleaned_data["starts_at"])
        if moment is None:
            raise forms.ValidationError(_("Please choose a time from the list."))
        return moment


class ProgrammeForm(forms.Form):
    run = forms.TypedChoiceField(label=_("Programme group"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.runs = {run.pk: run for run in runs}
        self.fields["run"].choices = [(run.pk, self.label(run)) for run in runs]

    @staticmethod
    def label(run) -> str:
        left = max(run.places_left or 0, 0)
        places = ngettext("%(count)d place left", "%(count)d places left", left) % {"count": left} if left else _("full")
        dates = ngettext("%(count)d date", "%(count)d dates", run.dates) % {"count": run.dates}
        return f"{run.offering.name} · {_when(run.first)} · {dates} · {run.teacher.first_name} · {places}"

    def clean_run(self):
        return self.runs[self.cleaned_data["run"]]


class CreditsForm(forms.Form):
    target = forms.ChoiceField(label=_("Card"))
    delta = forms.IntegerField(label=_("Classes"), min_value=-100, max_value=100,
                               help_text=_("A positive number gives classes (2 gives two), a negative one takes them off (-1)."))
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("Kept with the ledger row, with your name: for example 'class moved in October'."))

    def __init__(self, *args, cards, card_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.cards = {f"{CARD_PREFIX}{card.pk}": card for card in cards}
        self.card_types = {f"{TYPE_PREFIX}{card_type.pk}": card_type for card_type in card_types}
        her_cards = [(key, _("%(name)s: %(count)d left, valid until %(date)s") % {
            "name": card.card_type.name, "count": card.balance, "date": formats.date_format(timezone.localtime(card.expires_at), "j N Y")})
            for key, card in self.cards.items()]
        new_cards = [(key, _("A new free card: %(name)s (valid %(months)d months)") % {"name": card_type.name, "months": card_type.validity_months})
                     for key, card_type in self.card_types.items()]
        choices = []
        if her_cards:
            choices.append((_("Her cards"), her_cards))
        if new_cards:
            choices.append((_("A new card"), new_cards))
        self.fields["target"].choices = choices

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(_("Fill in how many classes to give (2) or to take off (-1); zero changes nothing."))
        return delta

    def clean(self):
        data = super().clean()
        target, delta = data.get("target"), data.get("delta")
        if target in self.card_types and delta is not None and delta < 1:
            self.add_error("delta", _("A new card starts with at least one class."))
        return data

    @property
    def card(self):
        return self.cards.get(self.cleaned_data["target"])

    @property
    def card_type(self):
        return self.card_types.get(self.cleaned_data["target"])
