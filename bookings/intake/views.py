"""The intake pages: the client's form, what we keep and why, withdrawing consent, deleting; the
teacher's (logged) reading of one client's intake; and the client's touch preference per booking."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxLengthValidator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.roles import teacher_required

from ..errors import BookingError
from ..models import Booking, Intake
from . import services as intake_services

ANSWER_MAX_LENGTH = 3000
SHORT_FIELDS = {"emergency_contact_name": 200, "emergency_contact_phone": 40}


class IntakeForm(forms.ModelForm):
    consent = forms.BooleanField(
        required=True, initial=False,
        label=gettext_lazy("I agree that Studio Tree of Life keeps these details so the teacher can guide me safely. "
                           "Only I and the studio's teachers can read them, and I can change, download or delete them "
                           "at any time."),
        help_text=gettext_lazy("This box is never ticked for you. Once you agree, we remember it until you withdraw your consent."),
        error_messages={"required": gettext_lazy("Please tick this box if you agree. Without your consent we do not keep "
                                                 "your answers, so nothing has been saved.")},
    )

    class Meta:
        model = Intake
        fields = list(Intake.ANSWER_FIELDS)

    def __init__(self, *args, consent_kept=False, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the labels are questions
        super().__init__(*args, **kwargs)
        if consent_kept:  # given once, remembered until she withdraws it: no box to tick again
            del self.fields["consent"]
        for name in Intake.ANSWER_FIELDS:
            field = self.fields[name]
            field.required = False
            if name == "pregnancy":
                continue
            limit = SHORT_FIELDS.get(name, ANSWER_MAX_LENGTH)
            field.validators.append(MaxLengthValidator(limit))
            if name in SHORT_FIELDS:
                field.widget = forms.TextInput(attrs={"autocomplete": "tel" if name.endswith("phone") else "off"})
            else:
                field.widget = forms.Textarea(attrs={"rows": 3})
            field.widget.attrs["maxlength"] = limit
        if "consent" in self.fields:
            self.fields["consent"].initial = False  # never pre-ticked

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in Intake.ANSWER_FIELDS}


@sensitive_post_parameters()  # health data never appears in error reports
@login_required
@never_cache
def intake_form(request):
    intake = intake_services.intake_of(client=request.user)
    form = IntakeForm(request.POST or None, instance=intake, initial={"consent": False},
                      consent_kept=intake is not None and intake.has_consent)
    if request.method == "POST" and form.is_valid():
        try:
            intake_services.intake_save(client=request.user, answers=form.answers(), consent=form.cleaned_data.get("consent", False))
        except intake_services.IntakeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your answers are saved. Only you and the studio's teachers can read them."))
            next_url = request.GET.get("next", "")
            if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                return redirect(next_url)  # back to the booking that asked for the intake
            return redirect("intake:form")
    return render(request, "bookings/intake/form.html", {
        "form": form,
        "intake": intake,
        "access_log": intake_services.intake_access_log(client=request.user, limit=20),
    })


def about(request):
    """What the intake holds, why we ask, who reads it and what you can do: readable before signing up."""
    return render(request, "bookings/intake/about.html")


@login_required
@never_cache
def withdraw(request):
    intake = intake_services.intake_of(client=request.user)
    if intake is None or not intake.has_consent:
        messages.info(request, _("There is no consent to withdraw: the studio keeps no intake answers of yours."))
        return redirect("intake:form")
    if request.method == "POST":
        intake_services.intake_withdraw_consent(client=request.user)
        messages.success(request, _("Your consent is withdrawn and your answers have been erased."))
        return redirect("intake:form")
    return render(request, "bookings/intake/withdraw.html", {"intake": intake})


@login_required
@never_cache
def delete(request):
    intake = intake_services.intake_of(client=request.user)
    if intake is None:
        messages.info(request, _("There is no intake to delete."))
        return redirect("intake:form")
    if request.method == "POST":
        intake_services.intake_delete(client=request.user)
        messages.success(request, _("Your intake has been deleted."))
        return redirect("intake:form")
    return render(request, "bookings/intake/delete.html", {"intake": intake})


@teacher_required
@never_cache
def teacher_intake(request, pk):
    client = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    intake = intake_services.intake_for_teacher(client=client, teacher_user=request.user)
    return render(request, "bookings/intake/teacher.html", {
        "client": client,
        "intake": intake,
        "answers": intake_services.intake_answers(intake) if intake and intake.has_consent else [],
    })


class TouchForm(forms.Form):
    touch = forms.ChoiceField(
        label=gettext_lazy("Touch in this class"), required=False, widget=forms.RadioSelect,
        choices=[
            ("yes", gettext_lazy("Yes, gentle hands-on support is welcome")),
            ("no", gettext_lazy("No touch today, please")),
            ("", gettext_lazy("I leave it open (you can also tell the teacher on the day)")),
        ],
    )


@login_required
@never_cache
def touch(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("session__offering", "session__teacher__user", "session__room"),
                                pk=pk, client=request.user)
    current = {True: "yes", False: "no", None: ""}[booking.touch_ok]
    form = TouchForm(request.POST or None, initial={"touch": current})
    if request.method == "POST" and form.is_valid():
        try:
            intake_services.booking_set_touch(booking=booking, client=request.user,
                                              touch_ok=intake_services.TOUCH_CHOICES[form.cleaned_data["touch"]])
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Only the teacher sees your choice; you can change it until the class begins."))
            return redirect("bookings:my_bookings")
    editable = (booking.status == Booking.Status.CONFIRMED and not booking.session.is_cancelled
                and booking.session.starts_at > timezone.now())
    return render(request, "bookings/intake/touch.html", {"booking": booking, "form": form, "editable": editable})
