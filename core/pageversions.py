"""The versions the page caches are keyed by, and what bumps them (see core.pagecache).

- The content version: every change to a row of the timetable, the blog or the studio's pages.
- A person's own version: every change to a row that one of her own pages shows (apps say which,
  with `connect_person_signals`), her account or her groups.
- Everyone's version: a change that every person's own pages show (a booking rule).

A bump happens at once, so this process never serves an old page again, and after commit, so a
page rendered by another request between the two is not kept either. A version the cache lost
restarts at a random number, never an old one. A cache that is down never fails the change.
"""

import logging
import secrets
import threading

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger("core.pagecache")

VERSION_KEY = "pagecache:version"
EVERYONE_KEY = "pagecache:everyone"
PERSON_KEY_PREFIX = "pagecache:person-version:"
CACHED_APPS = {"classes", "blog"}
CACHED_MODELS = {"studio.page"}


def _fresh_version() -> int:
    """Where a missing version starts: a random 62-bit number, never one used before, so a version
    the cache dropped cannot bring back a copy kept under an old number."""
    return secrets.randbits(62)


def content_version() -> int:
    versions_read()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def _bump(key) -> None:
    """A change must never fail because the cache does: the error is logged, and while the cache
    is down nothing is served from it."""
    try:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, _fresh_version(), timeout=None)
    except Exception:  # noqa: BLE001 - any cache error (Redis down, timeout)
        logger.exception("Page cache: could not bump %s", key)


class _BumpAfterCommit:
    """The after-commit half of a bump; equal to another for the same key, so a transaction that
    changes several of a person's rows (a booking, its credit, its history) bumps her pages once."""

    def __init__(self, key):
        self.key = key
        self.__qualname__ = f"{type(self).__qualname__}({key})"  # Django names robust callbacks by it

    def __call__(self):
        _bump(self.key)
        _bumped_unread().discard(self.key)

    def __eq__(self, other):
        return isinstance(other, _BumpAfterCommit) and other.key == self.key

    def __hash__(self):
        return hash(self.key)


# Keys bumped in this thread since it last read a version: bumping one again before anything
# could have been cached under its new value changes nothing, so a transaction that changes a
# booking, its credit and its history bumps her version once, not three times.
_unread = threading.local()


def _bumped_unread() -> set:
    if not hasattr(_unread, "keys"):
        _unread.keys = set()
    return _unread.keys


def versions_read() -> None:
    _bumped_unread().clear()


def _bump_now_and_after_commit(key) -> None:
    """Bump now, so this process never serves the old page again, and after commit, so a page
    rendered by another request between the two is not kept either. Inside a transaction the
    after-commit bump is queued once per key, and the bump now is skipped while this thread has
    read no version since its last one."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(key)  # the change is committed already
        return
    unread = _bumped_unread()
    if key not in unread:
        _bump(key)
        unread.add(key)
    after = _BumpAfterCommit(key)
    if not any(callback == after for _savepoints, callback, _robust in connection.run_on_commit):
        transaction.on_commit(after, robust=True)  # never keeps the callbacks after it (emails, tasks) from running


def content_changed() -> None:
    """Call after a bulk `update()` of anything a public page shows (signals do not fire for those)."""
    _bump_now_and_after_commit(VERSION_KEY)


def _content_changed(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in CACHED_APPS or meta.label_lower in CACHED_MODELS:
        content_changed()


def _account_changed(sender, instance, **kwargs):
    """Her account changed: what is kept for her is renewed."""
    person_changed(instance.pk)


def _roles_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    """Someone's groups changed (from the account's side or the group's): their role is renewed."""
    if not reverse:
        if action.startswith("post_"):
            person_changed(instance.pk)
    elif action == "pre_clear":
        for user_id in instance.user_set.values_list("pk", flat=True):
            person_changed(user_id)
    elif action in ("post_add", "post_remove"):
        for user_id in pk_set or ():
            person_changed(user_id)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"pagecache-{signal}")
    user_model = get_user_model()
    post_save.connect(_account_changed, sender=user_model, dispatch_uid="pagecache-account")
    m2m_changed.connect(_roles_changed, sender=user_model.groups.through, dispatch_uid="pagecache-account-groups")


def person_key(user_id) -> str:
    return f"{PERSON_KEY_PREFIX}{user_id}"


EVERYONE = "everyone"


def person_version(request) -> int:
    """The signed-in person's own version: it changes whenever one of her rows does, so anything
    kept under it (her marks, her pages) is never stale."""
    version = getattr(request, "_pagecache_person_version", None)
    if version is None:
        versions_read()
        version = request._pagecache_person_version = cache.get(person_key(request.user.pk), 0)
    return version


def person_changed(user_id) -> None:
    """Call when something one of her own pages shows has changed. Bumps now and after commit, like
    `content_changed`. Rows of apps connected with `connect_person_signals` bump by themselves;
    a bulk `update()` must call this (or `everyone_changed`)."""
    _bump_now_and_after_commit(person_key(user_id))


def everyone_changed() -> None:
    """Call when a change touches every person's own pages (a booking rule, a bulk change)."""
    _bump_now_and_after_commit(EVERYONE_KEY)


def connect_person_signals(app_label: str, owner_of, *, quiet_when_created=frozenset()) -> None:
    """Rows of `app_label` bump their owner's pages when saved or deleted. `owner_of(instance)` gives
    the owner's user id, `EVERYONE` for a row every person's pages show, or None for a row no
    person's page shows. Models named in `quiet_when_created` bump nobody when a row is created
    (a row that her page makes for itself while rendering, which no earlier copy could lack)."""

    def changed(sender, instance, created=False, **kwargs):
        meta = sender._meta
        if meta.app_label != app_label or (created and meta.model_name in quiet_when_created):
            return
        owner = owner_of(instance)
        if owner == EVERYONE:
            everyone_changed()
        elif owner is not None:
            person_changed(owner)

    for signal in (post_save, post_delete):
        signal.connect(changed, weak=False, dispatch_uid=f"pagecache-person-{app_label}-{signal}")
