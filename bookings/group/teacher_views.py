"""The teacher's day from a phone: overview, roster, check-in, adding people, cancelling, messaging."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from classes.models import Session
from core.roles import teacher_required

from ..errors import BookingError
from ..models import Booking
from . import dashboard, roster


@teacher_required
def overview(request):
    return render(request, "bookings/teacher/overview.html", dashboard.sessions_overview())


@teacher_required
def session_roster(request, pk):
    session = get_object_or_404(Session.objects.for_listing(), pk=pk)
    return render(request, "bookings/teacher/roster.html", {"session": session, **dashboard.roster(session)})


def _roster_row(request, booking):
    """After an action: the updated row for htmx, or back to the roster without JavaScript."""
    if request.htmx:
        booking = dashboard_row(booking)
        return render(request, "bookings/teacher/roster_row.html", {"booking": booking, "session": booking.session})
    return redirect("bookings:roster", pk=booking.session_id)


def dashboard_row(booking):
    rows = dashboard.roster(booking.session)["present"]
    return next((row for row in rows if row.pk == booking.pk), booking)


@teacher_required
@require_POST
def attendance(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=pk)
    try:
        booking = roster.attendance_set(booking=booking, attendance=request.POST.get("attendance", ""), actor=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    return _roster_row(request, booking)


@teacher_required
@require_POST
def mark_paid(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=pk)
    try:
        roster.mark_paid_at_studio(booking=booking, method=request.POST.get("method", ""), actor=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    booking.refresh_from_db()
    return _roster_row(request, booking)


class AddByHandForm(forms.Form):
    client = forms.ModelChoiceField(label=gettext_lazy("Existing client"), queryset=get_user_model().objects.none(), required=False,
                                    empty_label=gettext_lazy("— a new walk-in —"))
    first_name = forms.CharField(label=gettext_lazy("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), required=False, max_length=150)
    email = forms.EmailField(label=gettext_lazy("Email address"), required=False)
    pay_with = forms.ChoiceField(label=gettext_lazy("Pays with"), choices=[
        (Booking.PaidWith.STUDIO, gettext_lazy("Pay at the studio")), (Booking.PaidWith.CARD, gettext_lazy("Class card"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")

    def clean(self):
        data = super().clean()
        if not data.get("client") and not (data.get("first_name") and data.get("email")):
            raise forms.ValidationError(_("Choose an existing client, or fill in the first name and email of a walk-in."))
        return data


@teacher_required
def add_by_hand(request, pk):
    session = get_object_or_404(Session.objects.for_listing(), pk=pk)
    form = AddByHandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = roster.add_by_hand(session=session, actor=request.user, pay_with=data["pay_with"], client=data["client"],
                                         first_name=data["first_name"], last_name=data["last_name"], email=data["email"])
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is on the list.") % {"name": booking.client})
            return redirect("bookings:roster", pk=session.pk)
    return render(request, "bookings/teacher/add_by_hand.html", {"session": session, "form": form})


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (clients read this)"), max_length=200)


@teacher_required
def cancel_session(request, pk):
    session = get_object_or_404(Session.objects.for_listing(), pk=pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster.session_cancel_by_teacher(session=session, reason=form.cleaned_data["reason"], actor=request.user)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The class is cancelled. Everyone booked gets an email; credits and payments go back."))
            return redirect("bookings:roster", pk=session.pk)
    booked = Booking.objects.filter(session=session, status="confirmed").count()
    return render(request, "bookings/teacher/cancel_session.html", {"session": session, "form": form, "booked": booked})


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=150)
    body = forms.CharField(label=gettext_lazy("Message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))


@teacher_required
def message_session(request, pk):
    session = get_object_or_404(Session.objects.for_listing(), pk=pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = roster.message_everyone(session=session, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                                            actor=request.user)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message is on its way to %(count)d people.") % {"count": count})
            return redirect("bookings:roster", pk=session.pk)
    return render(request, "bookings/teacher/message.html", {"session": session, "form": form})


@teacher_required
def client_story(request, pk):
    client = get_object_or_404(get_user_model(), pk=pk)
    return render(request, "bookings/teacher/client.html", dashboard.client_story(client))
