"""The teacher's day from a phone: overview, roster, check-in, adding people, cancelling, messaging."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from classes.models import Session
from core.roles import (
    SCOPE_MINE,
    change_teaching_required,
    client_accounts,
    may_change_teaching_of,
    teacher_required,
    teaching_scope,
)

from .. import attendance as attendance_window
from ..errors import BookingError
from ..models import Booking
from . import dashboard, roster


@teacher_required
def overview(request):
    """Her day: today's classes and one-to-ones, then the rest of the week; hers, or the studio's."""
    scope = teaching_scope(request)
    teacher = request.user.teacher_profile if scope == SCOPE_MINE else None
    return render(request, "bookings/teacher/overview.html", {**dashboard.sessions_overview(teacher=teacher), "scope": scope})


def _her_session(request, pk) -> Session:
    """A class she may change (hers; the admin: any): others are a 404."""
    session = get_object_or_404(Session.objects.for_listing(), pk=pk)
    change_teaching_required(request.user, session.teacher)
    return session


def _her_booking(request, pk) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("session__teacher"), pk=pk)
    change_teaching_required(request.user, booking.session.teacher)
    return booking


@teacher_required
def session_roster(request, pk):
    session = get_object_or_404(Session.objects.for_listing(), pk=pk)
    return render(request, "bookings/teacher/roster.html", {
        "session": session, "attendance_window": attendance_window.window(session.starts_at),
        "may_change": may_change_teaching_of(request.user, session.teacher), **dashboard.roster(session)})


def _roster_row(request, booking):
    """After an action: the updated row for htmx, or back to the roster without JavaScript."""
    if request.htmx:
        booking = dashboard_row(booking)
        session = booking.session
        return render(request, "bookings/teacher/roster_row.html", {
            "booking": booking, "session": session, "attendance_window": attendance_window.window(session.starts_at),
            "may_change": may_change_teaching_of(request.user, session.teacher)})
    return redirect("bookings:roster", pk=booking.session_id)


def dashboard_row(booking):
    rows = dashboard.roster(booking.session)["present"]
    return next((row for row in rows if row.pk == booking.pk), booking)


@teacher_required
@require_POST
def attendance(request, pk):
    booking = _her_booking(request, pk)
    try:
        booking = roster.attendance_set(booking=booking, attendance=request.POST.get("attendance", ""), actor=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    return _roster_row(request, booking)


@teacher_required
@require_POST
def mark_paid(request, pk):
    booking = _her_booking(request, pk)
    try:
        roster.mark_paid_at_studio(booking=booking, method=request.POST.get("method", ""), actor=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    booking.refresh_from_db()
    return _roster_row(request, booking)


class WalkInForm(forms.Form):
    """Someone new: an account is made and she gets an invitation to choose a password."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), required=False, max_length=150)
    email = forms.EmailField(label=gettext_lazy("Email address"),
                             help_text=gettext_lazy("She gets an email to choose a password. An address the studio knows is "
                                                    "that person's account; no second one is made."))
    language = forms.ChoiceField(label=gettext_lazy("Her language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE,
                                 required=False, help_text=gettext_lazy("The language of her emails."))
    pay_with = forms.ChoiceField(label=gettext_lazy("Pays with"), choices=[
        (Booking.PaidWith.STUDIO, gettext_lazy("Pay at the studio")), (Booking.PaidWith.CARD, gettext_lazy("Class card"))])


class ExistingClientForm(forms.Form):
    """Someone found with the client search (teaching:clients, opened from this page)."""

    client = forms.ModelChoiceField(queryset=client_accounts(), widget=forms.HiddenInput)
    pay_with = WalkInForm.base_fields["pay_with"]


@teacher_required
def add_by_hand(request, pk):
    """Add someone to a class from its roster: a client found with the search (`?client=`), or a new
    person by name and email."""
    session = _her_session(request, pk)
    chosen_pk = request.POST.get("client") or request.GET.get("client")
    chosen = get_object_or_404(client_accounts(), pk=chosen_pk) if chosen_pk and chosen_pk.isdigit() else None
    if chosen is not None:
        form = ExistingClientForm(request.POST or None, initial={"client": chosen.pk})
    else:
        form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = roster.add_by_hand(session=session, actor=request.user, pay_with=data["pay_with"], client=data.get("client"),
                                         first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
                                         email=data.get("email", ""), language=data.get("language", ""))
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            person = booking.client
            if chosen is None and not getattr(person, "is_new", True):
                messages.info(request, _("%(email)s already has an account, so %(name)s is on the list with that account; no new "
                                         "account or invitation was made.") % {"email": person.email, "name": person})
            elif chosen is None:
                messages.success(request, _("%(name)s is on the list and gets an email to choose a password.") % {"name": person})
            else:
                messages.success(request, _("%(name)s is on the list.") % {"name": person})
            return redirect("bookings:roster", pk=session.pk)
    return render(request, "bookings/teacher/add_by_hand.html", {"session": session, "form": form, "chosen": chosen})


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (clients read this)"), max_length=200)


@teacher_required
def cancel_session(request, pk):
    session = _her_session(request, pk)
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
    session = _her_session(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = roster.message_everyone(session=session, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                                            actor=request.user)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            now = timezone.now()
            goes_at = roster.note_goes_at(session, now=now)
            if goes_at > now:
                messages.success(request, _("Your message to %(count)d people goes out at %(time)s, when the studio's quiet hours end.") % {
                    "count": count, "time": formats.time_format(timezone.localtime(goes_at), "H:i")})
            else:
                messages.success(request, _("Your message is on its way to %(count)d people.") % {"count": count})
            return redirect("bookings:roster", pk=session.pk)
    return render(request, "bookings/teacher/message.html", {"session": session, "form": form})

