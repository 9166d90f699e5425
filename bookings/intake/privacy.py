"""The intake form and who opened it, in a person's data; closing the account deletes both.
Registered with core.privacy by BookingsConfig.ready()."""

from django.utils.translation import gettext as _

from core import privacy
from core.privacy import Record, Section

from ..models import Intake, IntakeAccess


def _intake(user) -> list[Section]:
    intake = Intake.objects.filter(client=user).first()
    records = []
    if intake is not None:
        names = [f.name for f in Intake._meta.concrete_fields if f.name not in ("id", "client")]
        records.append(Record(privacy.fields(intake, names)))
    accesses = [Record(privacy.fields(access, ["viewed_at", "viewer_name"]))
                for access in IntakeAccess.objects.filter(client=user).order_by("viewed_at", "pk")]
    return [
        Section("intake", _("Intake form"), records, single=True),
        Section("intake_access_log", _("Who opened your intake form"), accesses),
    ]


def forget(user) -> None:
    """Health data, and the record of who read it."""
    Intake.objects.filter(client=user).delete()
    IntakeAccess.objects.filter(client=user).delete()


def register() -> None:
    privacy.register(key="intake", order=70, sections=_intake, forget=forget)
