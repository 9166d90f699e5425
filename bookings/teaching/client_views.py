"""The teacher's clients: finding one in a few letters, her page, and booking or crediting her from
there. Parse, call the purposes' services, answer."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from classes.models import Session
from core.dates import DateOutOfRange, parse_day
from core.roles import SCOPE_MINE, SCOPE_STUDIO, client_accounts, teacher_required, teaching_scope

from ..errors import BookingError
from ..group import cards as card_services
from ..group import roster
from ..intake.services import intake_on_file, may_read_intake
from ..models import ClassCard
from ..personal import availability, by_staff, programmes
from . import clients
from .client_forms import ClassBookingForm, CreditsForm, OneToOneForm, ProgrammeForm

TEMPLATES = "bookings/teaching/clients"


def her_teacher(user):
    try:
        return user.teacher_profile
    except ObjectDoesNotExist:
        return None


def _client(pk):
    """A client of the studio (staff accounts are nobody's client here)."""
    return get_object_or_404(client_accounts(), pk=pk)


def _walk_in_session(request):
    """The class a walk-in is being added to, when the search was opened from its roster."""
    value = request.GET.get("session", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404("no such class")
    return get_object_or_404(Session.objects.for_listing(), pk=int(value))


@teacher_required
def client_list(request):
    """Find a client by name, email or phone: her own clients or the whole studio. With htmx the
    results come as she types; without JavaScript the form is sent as usual. Opened from a roster
    (`?session=`), it finds clients to add to that class."""
    session = _walk_in_session(request)
    scope = SCOPE_STUDIO if session else teaching_scope(request)
    search = clients.client_search(request.GET.get("q", ""), scope=scope, teacher=her_teacher(request.user))
    context = {"search": search, "scope": scope, "session": session, "mine": SCOPE_MINE, "whole_studio": SCOPE_STUDIO,
               "has_classes": her_teacher(request.user) is not None}
    template = "_results.html" if request.htmx and not request.htmx.history_restore_request else "search.html"
    return render(request, f"{TEMPLATES}/{template}", context)


@teacher_required
def client_detail(request, pk):
    client = _client(pk)
    return render(request, f"{TEMPLATES}/client.html", {**clients.client_page(client, viewer=request.user),
                                                         "reads_intake": may_read_intake(request.user, client)})


@teacher_required
def book_class(request, pk):
    client = _client(pk)
    now = timezone.now()
    her_cards = list(ClassCard.objects.filter(client=client).usable(now).select_related("card_type").with_balance().order_by("expires_at"))
    usable = [card for card in her_cards if card.balance > 0]
    form = ClassBookingForm(request.POST or None, sessions=clients.coming_sessions(request.user, now=now),
                            initial={"pay_with": "card" if usable else "studio", "session": request.GET.get("session")})
    if request.method == "POST" and form.is_valid():
        try:
            booking = roster.add_by_hand(session=form.cleaned_data["session"], actor=request.user, pay_with=form.cleaned_data["pay_with"],
                                         client=client)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is booked for %(class)s.") % {"name": client, "class": booking.session.offering.name})
            return redirect("teaching:client", pk=client.pk)
    return render(request, f"{TEMPLATES}/book_class.html", {"client": client, "form": form, "cards": usable})


def _first_day(request, now):
    today = timezone.localdate(now)
    try:
        return parse_day(request.GET.get("from"), earliest=today - timedelta(days=31), latest=today + timedelta(days=731))
    except DateOutOfRange:
        return None


@teacher_required
def book_one_to_one(request, pk):
    """Choose the kind of session (hers; the admin: anyone's), then a free moment, then how she pays."""
    client = _client(pk)
    now = timezone.now()
    kinds = list(clients.bookable_types(request.user))
    wanted = request.POST.get("type") or request.GET.get("type") or (str(kinds[0].pk) if len(kinds) == 1 else "")
    kind = next((kind for kind in kinds if str(kind.pk) == wanted), None)
    form = OneToOneForm(request.POST or None)
    if kind is not None and request.method == "POST" and form.is_valid():
        try:
            appointment = by_staff.appointment_book_by_staff(client=client, appointment_type=kind, starts_at=form.cleaned_data["starts_at"],
                                                             pay_with=form.cleaned_data["pay_with"], actor=request.user, now=now)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is booked for %(kind)s on %(when)s.") % {
                "name": client, "kind": kind.name, "when": formats.date_format(timezone.localtime(appointment.starts_at), "l j F, H:i")})
            return redirect("teaching:client", pk=client.pk)
    context = {"client": client, "kinds": kinds, "kind": kind, "form": form,
               "several_teachers": len({option.teacher_id for option in kinds}) > 1}
    if kind is not None:
        context.update(week=availability.slot_week(kind, now=now, first_day=_first_day(request, now)),
                       credit=programmes.enrolment_for_type(client=client, appointment_type=kind),
                       intake_ok=intake_on_file(client=client))
    return render(request, f"{TEMPLATES}/book_one_to_one.html", context)


@teacher_required
def book_programme(request, pk):
    client = _client(pk)
    form = ProgrammeForm(request.POST or None, runs=clients.open_runs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = by_staff.group_enrol_by_staff(client=client, run=form.cleaned_data["run"], actor=request.user)
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s has a place in %(programme)s.") % {"name": client, "programme": enrolment.offering.name})
            return redirect("teaching:client", pk=client.pk)
    return render(request, f"{TEMPLATES}/book_programme.html", {"client": client, "form": form, "intake_ok": intake_on_file(client=client)})


@teacher_required
def credits(request, pk):
    """Give classes or take them off one of her cards, or give her a new free card; always with a reason."""
    client = _client(pk)
    now = timezone.now()
    her_cards = list(ClassCard.objects.filter(client=client).usable(now).select_related("card_type").with_balance().order_by("expires_at"))
    form = CreditsForm(request.POST or None, cards=her_cards, card_types=clients.card_types(),
                       initial={"target": f"card-{her_cards[0].pk}" if her_cards else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.card is not None:
                card_services.card_correct(card=form.card, delta=data["delta"], reason=data["reason"], actor=request.user)
                name = form.card.card_type.name
            else:
                card_services.card_give(client=client, card_type=form.card_type, credits=data["delta"], reason=data["reason"],
                                        actor=request.user, now=now)
                name = form.card_type.name
        except BookingError as error:
            form.add_error("delta", str(error))
        else:
            messages.success(request, _("The ledger of %(card)s has a new row: %(delta)+d.") % {"card": name, "delta": data["delta"]})
            return redirect(reverse("teaching:client", kwargs={"pk": client.pk}) + "#cards")
    return render(request, f"{TEMPLATES}/credits.html", {"client": client, "form": form})
