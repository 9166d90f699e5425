"""Resized WebP copies of uploaded photos, kept up to date by themselves, and no file left behind.

A model with a photo says which field holds it and which JSON field keeps its copies
(``keep(Teacher, field="photo", renditions="photo_renditions")`` in its app's ``ready()``).
From then on every save that brings a new photo (from the admin, the back office, the desk or the
demo) queues :func:`refresh` after commit: it makes the copies (:func:`core.images.make_renditions`:
480, 960 and 1440 px wide, never wider than the photo), records them, and removes the copies of
the photo it replaced. The replaced (or cleared) original itself is removed once the save commits;
deleting the row removes its original and its copies. A save from a form opened before another one
replaced the photo does not write the removed photo's name back: it keeps the row's newer photo.
Pages show them with the ``{% picture %}`` tag (core/templatetags/pictures.py).

Only a file Pillow cannot decode counts as unreadable (recorded with no copies, shown as it is,
not tried again until another photo comes); a file gone from a storage that answers is recorded the
same way, and the sweep does not queue it again while it stays gone. A storage error (MEDIA_ROOT
unreachable, a full disk) is no verdict on the photo: the task fails and Celery tries it again later,
with backoff.
``python manage.py refresh_renditions`` queues every photo whose copies are missing or stale
(photos uploaded before copies were made, or while the worker could not reach the files).
"""

import logging
import posixpath
from dataclasses import dataclass

from celery import shared_task
from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_save

from core import images
from core.pageversions import content_changed

logger = logging.getLogger(__name__)

RETRIES = 8  # with backoff (1, 2, 4 ... seconds, at most 10 minutes apart): about 20 minutes of trying


@dataclass(frozen=True)
class Kept:
    """A model whose photo field ``field`` has its copies in ``renditions``."""

    model: type
    field: str
    renditions: str


_KEPT: dict[tuple[str, str], Kept] = {}


def kept() -> list[Kept]:
    """Every photo field whose copies are kept (what :func:`keep` was called for)."""
    return list(_KEPT.values())


def _current(instance, field) -> str:
    file = getattr(instance, field)
    return file.name if file else ""


def _stale(instance, field, renditions) -> bool:
    made = getattr(instance, renditions) or {}
    return made.get("source", "") != _current(instance, field)


def _copy_names(made) -> list[str]:
    return [item["name"] for item in (made or {}).get("sizes", [])]


def _missing(storage, name) -> bool:
    """Is the file gone while the storage answers? Its folder can be listed but it is not in it. When the
    folder cannot be listed (MEDIA_ROOT unreachable, not mounted) that is no verdict on the photo."""
    try:
        storage.listdir(posixpath.dirname(name))
    except OSError:
        return False
    return not storage.exists(name)


def refresh_now(instance, *, field, renditions, force=False) -> dict:
    """Make the copies of the instance's photo if they are not those of its current photo (or if
    ``force``); remove old ones. Safe to call twice.

    A photo that cannot be decoded, or whose file is gone from a storage that answers, is recorded with no
    copies (it is then shown as it is), and not tried again until another photo is uploaded (or ``force``).
    A storage error propagates, recording nothing.
    """
    if not force and not _stale(instance, field, renditions):
        return getattr(instance, renditions)
    old = _copy_names(getattr(instance, renditions))
    current = _current(instance, field)
    storage = getattr(instance, field).storage
    made = {}
    if current:
        try:
            made = {"source": current, "sizes": images.make_renditions(current, storage=storage)}
        except images.UnreadableImage:
            logger.warning("Cannot decode %s: it is shown as it is, without smaller copies", current, exc_info=True)
            made = {"source": current, "sizes": []}
        except FileNotFoundError:
            if not _missing(storage, current):
                raise  # the storage itself is not there (MEDIA_ROOT not mounted): tried again later
            logger.warning("%s is not in storage: recorded without copies", current)
            made = {"source": current, "sizes": []}
    model = type(instance)
    # Only if the photo is still the one these copies are of: a newer upload queues its own refresh.
    if not model.objects.filter(pk=instance.pk, **{field: current}).update(**{renditions: made}):
        images.delete_files(_copy_names(made), storage=storage)
        return getattr(instance, renditions)
    kept_names = set(_copy_names(made))
    images.delete_files([name for name in old if name not in kept_names], storage=storage)
    setattr(instance, renditions, made)
    content_changed()
    return made


@shared_task(name="core.renditions.refresh", acks_late=True, autoretry_for=(OSError,), retry_backoff=True,
             retry_backoff_max=600, retry_jitter=True, max_retries=RETRIES)
def refresh(model_label: str, pk: int, field: str, renditions: str, force: bool = False) -> None:
    """The task: ids in, the copies made; a row deleted meanwhile is nothing to do. A storage error
    (OSError) makes Celery try again later."""
    instance = apps.get_model(model_label).objects.filter(pk=pk).first()
    if instance is not None:
        refresh_now(instance, field=field, renditions=renditions, force=force)


def needs_refresh(instance, *, field, renditions) -> bool:
    """Are the copies of this row's photo missing or stale: never made, made for another photo, recorded
    as unreadable (which older versions also did on a storage error), or a copy gone from storage; or
    copies left of a photo since cleared? A photo whose own file is gone has nothing to make copies of:
    recorded so once, it is not queued again (until its file is back). Looks at the storage, so meant for
    the occasional sweep."""
    made = getattr(instance, renditions) or {}
    current = _current(instance, field)
    if not current:
        return bool(made)
    sizes = made.get("sizes") or []
    if made.get("source") != current:
        return True
    storage = getattr(instance, field).storage
    if not sizes:
        return not _missing(storage, current)
    return not all(storage.exists(item["name"]) for item in sizes)


def refresh_missing() -> dict[str, int]:
    """Queue :func:`refresh` (forced) for every row whose copies :func:`needs_refresh`; per model label,
    how many were queued. Run once after upgrading (``manage.py refresh_renditions``)."""
    queued = {}
    for item in kept():
        label, count = item.model._meta.label, 0
        rows = item.model._default_manager.only("pk", item.field, item.renditions).order_by("pk")
        for instance in rows.iterator(chunk_size=500):
            if needs_refresh(instance, field=item.field, renditions=item.renditions):
                refresh.delay(label, instance.pk, item.field, item.renditions, force=True)
                count += 1
        queued[label] = count
    return queued


def _delete_unused_originals(model, field, names) -> None:
    """Remove photos no row of ``model`` holds any more (after the commit that let go of them)."""
    names = [name for name in names if name]
    if not names:
        return
    still_used = set(model._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    images.delete_files([name for name in names if name not in still_used], storage=model._meta.get_field(field).storage)


def _file_name(value) -> str:
    if not value:
        return ""
    return value if isinstance(value, str) else (getattr(value, "name", "") or "")


def keep(model, *, field: str, renditions: str) -> None:
    """Keep the copies of ``model.<field>`` in ``model.<renditions>`` from now on, and remove the files of
    a replaced, cleared or deleted photo (call it in ``ready()``)."""
    _KEPT[(model._meta.label, field)] = Kept(model, field, renditions)
    loaded_key, replaced_key = f"_renditions_loaded_{field}", f"_renditions_replaced_{field}"

    def loaded(sender, instance, **kwargs):
        # The photo as loaded (no query: a deferred field is simply not known, and asked for on save).
        if field in instance.__dict__:
            instance.__dict__[loaded_key] = _file_name(instance.__dict__[field])

    def keep_the_rows_photo(instance, written):
        # The photo this instance was loaded with is gone from storage: another save replaced it (and its
        # file was removed) after this instance was loaded, as when two forms are open at once. This save
        # does not touch the photo, so it keeps the row's photo and copies rather than writing back a name
        # with no file. A row that still names the missing file is left as it is: nothing is removed.
        row = model._default_manager.filter(pk=instance.pk).values(field, renditions).first()
        if row is None or _file_name(row[field]) == written:
            return
        logger.warning("%s is gone from storage and %s #%s has another photo now: that one is kept",
                       written, model._meta.label, instance.pk)
        setattr(instance, field, row[field])
        setattr(instance, renditions, row[renditions])
        instance.__dict__[loaded_key] = _file_name(row[field])

    def saving(sender, instance, raw=False, update_fields=None, **kwargs):
        instance.__dict__.pop(replaced_key, None)
        if raw or instance.pk is None or (update_fields is not None and field not in update_fields):
            return
        current = _current(instance, field)
        if instance.__dict__.get(loaded_key) == current:  # the photo it was loaded with: nothing replaced
            if current and not getattr(instance, field).storage.exists(current):
                keep_the_rows_photo(instance, current)
            return
        before = model._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
        if before:
            instance.__dict__[replaced_key] = before

    def saved(sender, instance, raw=False, **kwargs):
        replaced = instance.__dict__.pop(replaced_key, "")
        current = _current(instance, field)
        instance.__dict__[loaded_key] = current
        if raw:
            return
        if replaced and replaced != current:
            transaction.on_commit(lambda: _delete_unused_originals(model, field, [replaced]))
        if _stale(instance, field, renditions):
            refresh.delay_on_commit(model._meta.label, instance.pk, field, renditions)

    def deleted(sender, instance, **kwargs):
        copies, original = _copy_names(getattr(instance, renditions)), _current(instance, field)
        storage = model._meta.get_field(field).storage

        def remove():
            images.delete_files(copies, storage=storage)
            _delete_unused_originals(model, field, [original])

        if copies or original:
            transaction.on_commit(remove)

    uid = f"core.renditions:{model._meta.label}.{field}"
    post_init.connect(loaded, sender=model, weak=False, dispatch_uid=f"{uid}:loaded")
    pre_save.connect(saving, sender=model, weak=False, dispatch_uid=f"{uid}:saving")
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}:saved")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}:deleted")
