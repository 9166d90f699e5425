"""Sending a client to the intake form from any purpose's page (not a view: a step views take)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def to_intake(request, message: str, back: str):
    """A first session needs the intake: a calm word, then the form, then back to where they were."""
    messages.info(request, message)
    return redirect(reverse("intake:form") + "?" + urlencode({"next": back}))
