"""The memberships' periodic job: pauses whose first day has come and cancellations whose last period
has begun are sent to Stripe (which knows neither a pause's start nor an end after a later period)."""

from celery import shared_task
from django.utils import timezone

from . import changes


def memberships_due(*, now) -> dict:
    return {"pauses_started": changes.pauses_start(now=now), "cancellations_sent": changes.cancellations_send(now=now)}


@shared_task(name="bookings.tasks.memberships_due")
def send_memberships_due():
    """Hourly: safe to run twice (each change is sent once, under the membership's lock)."""
    return memberships_due(now=timezone.now())
