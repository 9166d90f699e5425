"""Changing one date from the phone: its time, room, teacher, places or note. Who is booked and
waiting is told by the group classes once the change is saved (bookings.group.receivers); this page
says who that will be before she saves. Parse, call, answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from classes.models import Session
from classes.services import session_change, session_unchangeable_reason
from core.roles import change_teaching_required, teacher_required

from ..group import changes
from .session_forms import SessionChangeForm


@teacher_required
def session_edit(request, pk):
    session = get_object_or_404(Session.objects.for_listing(), pk=pk)
    change_teaching_required(request.user, session.teacher)
    closed = session_unchangeable_reason(session)
    booked, waiting = changes.who_to_tell(session)
    form = SessionChangeForm(request.POST or None, session=session, user=request.user)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            changed = session_change(session, actor=request.user, **form.changes())
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _saved_message(moved=changed.revision != session.revision, told=len(booked) + len(waiting),
                                                     more_places=changed.capacity > session.capacity and bool(waiting)))
            return redirect("bookings:roster", pk=session.pk)
    return render(request, "bookings/teaching/sessions/edit.html", {
        "session": session, "form": form, "closed": closed, "booked": booked, "waiting": waiting,
    })


def _saved_message(*, moved: bool, told: int, more_places: bool) -> str:
    parts = [_("The class is changed.")]
    if moved and told:
        parts.append(ngettext("%(count)d person gets an email with the new details.",
                              "%(count)d people get an email with the new details.", told) % {"count": told})
    if more_places:
        parts.append(_("The new places are offered to the waitlist."))
    return " ".join(parts)
