"""Whose own pages a bookings row shows on, so "my bookings" can be cached per person
(core.pagecache.cached_per_person) and never served stale.

Every save or delete of a bookings row bumps its owner's version; a row that belongs to
another row (a credit entry to its card, a refund to its payment, an event to its booking)
bumps the owner of that row. Rows every client's page shows (the booking rules) bump
everyone's; bookkeeping rows no client sees bump nobody. Bulk `update()`s send no signal:
they call `core.pagecache.person_changed` themselves.
"""

from django.apps import apps

from core import pagecache

# Rows that belong to another row: model name -> the fields that may point at the owning row.
THROUGH = {
    "creditentry": ("card",),
    "refund": ("payment",),
    "programmecreditentry": ("enrolment",),
    "appointmentevent": ("appointment",),
    "bookingevent": ("booking",),
    "sessionnote": ("appointment", "booking"),
}
# Rows no client's own page shows (bookkeeping, and the teachers' log of who read an intake).
NOBODY = {"stripeevent", "receiptcounter", "intakeaccess"}


def owner_of(instance):
    name = instance._meta.model_name
    if name in NOBODY:
        return None
    client_id = getattr(instance, "client_id", None)
    if client_id is not None:
        return client_id
    if name not in THROUGH:
        return pagecache.EVERYONE
    for field_name in THROUGH[name]:
        cached = instance._state.fields_cache.get(field_name)
        if cached is not None:
            return cached.client_id
        field = instance._meta.get_field(field_name)
        owner_id = getattr(instance, field.attname)
        if owner_id is not None:
            return field.related_model.objects.filter(pk=owner_id).values_list("client_id", flat=True).first()
    return None


# "My bookings" makes her calendar feed the first time it is shown: no copy of it can lack one.
MADE_BY_HER_PAGE = frozenset({"calendarfeed"})


def connect() -> None:
    pagecache.connect_person_signals(apps.get_app_config("bookings").label, owner_of, quiet_when_created=MADE_BY_HER_PAGE)
