"""A person's data, gathered from every app that holds some: the registry and the pieces it is made of.

Each app registers once (in its AppConfig.ready) what it holds about a person: the sections it adds
to the readable overview and the JSON download, the reasons an account cannot be closed yet, and
what closing the account removes or anonymises. `studio.privacy` loops over the registry; no app
has to be named there, and a new app that stores personal data only registers itself.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .money import euros


class PrivacyError(Exception):
    """The account cannot be closed (yet); the message says why, in plain words."""


@dataclass
class Item:
    """One value: its key in the JSON file, its label on the page, the value itself and how it reads."""

    key: str
    label: str
    value: object
    display: str


@dataclass
class Record:
    items: list[Item]
    children: list["Section"] = field(default_factory=list)

    def as_json(self) -> dict:
        data = {item.key: item.value for item in self.items}
        for child in self.children:
            data[child.key] = child.as_json()
        return data


@dataclass
class Section:
    key: str
    title: str
    records: list[Record]
    single: bool = False  # one record (the profile, the intake), shown and exported as an object
    note: str = ""

    def as_json(self):
        if self.single:
            return self.records[0].as_json() if self.records else None
        return [record.as_json() for record in self.records]


def json_value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def display(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    return str(value)


def item(key, label, value, shown=None) -> Item:
    return Item(key=key, label=str(capfirst(label)), value=json_value(value), display=display(value) if shown is None else shown)


def fields(obj, names, *, money=None) -> list[Item]:
    """Items for model fields, labelled with their verbose names; choices read as their labels.
    `money` maps a cents field to the label it gets on the page, where it reads in euros."""
    money = money or {}
    items = []
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, name)
        label, shown = model_field.verbose_name, None
        if model_field.choices and value not in (None, ""):
            shown = str(getattr(obj, f"get_{name}_display")())
        elif name in money:
            label, shown = money[name], euros(value)
        items.append(item(name, label, value, shown))
    return items


def actor(event, user) -> Item:
    """Who did it: in the file a stable code, on the page in words (the studio's staff stay unnamed)."""
    if event.actor_id is None:
        code, words = "system", _("the studio's system")
    elif event.actor_id == user.pk:
        code, words = "you", _("you")
    else:
        code, words = "studio", _("the studio")
    return item("by", _("who"), code, words)


# The registry -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """What one part of the studio holds about a person."""

    key: str
    order: int  # where its sections come on the page and in the file
    sections: Callable  # (user) -> list[Section]
    blockers: Callable | None = None  # (user, now) -> list[str]: why the account cannot be closed yet
    forget: Callable | None = None  # (user) -> None: remove or anonymise, inside the closing transaction


_holders: dict[str, Holder] = {}


def register(*, key: str, order: int, sections: Callable, blockers: Callable | None = None, forget: Callable | None = None) -> None:
    """Register (or, called again with the same key, replace) what one part holds about a person."""
    _holders[key] = Holder(key=key, order=order, sections=sections, blockers=blockers, forget=forget)


def holders() -> list[Holder]:
    return sorted(_holders.values(), key=lambda holder: (holder.order, holder.key))
