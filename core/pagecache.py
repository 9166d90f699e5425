"""Whole-page caches: public pages shared by everyone, and a person's own pages.

Public pages (home, timetable, offering, session, blog) are the same for every
anonymous visitor, so they are rendered once and served from the shared cache.
The key carries a content version that goes up, after commit, whenever a
timetable, blog or page row changes (a booking changes a session's places, so
places left stay live), plus the language, the minute and the full path.

Signed-in visitors share the same pages, rendered once per role (the menu differs
for a teacher), with markers where a row may be hers; the few marks that are hers
(booked, on the waitlist) are merged into the cached page by the overlays other
apps register (`register_overlay`). What an overlay needs, and her role, are kept
for her under her own version (`person_memo`), read in the same round trip as the
content version.

A person's own pages (`cached_per_person`, e.g. "my bookings") are cached for her
alone: the key holds her id, her own version (bumped whenever one of her rows
changes, see `person_changed`), the version shared by everyone's own pages (bumped
when a rule or a bulk change touches them all), the content version, her CSRF
secret, the language and the path. A page is kept until the first moment its text
depends on the clock (the view gives it as `response.valid_until`: a class starting,
free cancelling ending, a card expiring), else to the end of the minute, and at
most ten minutes.

Pages with a pending message, and anything that sets a cookie other than the
CSRF cookie a person already has, are never cached.
"""

import hashlib
import logging
import secrets
import threading
from datetime import timedelta
from functools import wraps
from math import ceil

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from core import roles

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
EVERYONE_KEY = "pagecache:everyone"
PERSON_KEY_PREFIX = "pagecache:person-version:"
CACHED_APPS = {"classes", "blog"}
CACHED_MODELS = {"studio.page"}
TTL_SECONDS = 60
MEMO_TTL_SECONDS = 3600
PERSON_TTL_SECONDS = 600
# The memos read with every signed-in shared page (see `person_memo`).
MEMO_NAMES = ("teaches", "marks")


def _fresh_version() -> int:
    """Where a missing version starts: a random 62-bit number, never one used before, so a version
    the cache dropped cannot bring back a copy kept under an old number."""
    return secrets.randbits(62)


def content_version() -> int:
    _versions_read()
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


def _versions_read() -> None:
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


def _cacheable_request(request) -> bool:
    """May this request be answered from, or stored in, a page cache at all?"""
    if request.method not in ("GET", "HEAD"):
        return False
    return len(get_messages(request)) == 0  # counting does not mark them as read


def _cacheable_response(request, response, *, csrf_cookie_allowed=False) -> bool:
    """Only a plain 200 that sets no cookie (no CSRF token used, no session written); a person's own page
    may renew the CSRF cookie she already sent, as it is served to her alone."""
    if response.status_code != 200:
        return False
    cookies = set(response.cookies)
    if csrf_cookie_allowed:
        cookies.discard(settings.CSRF_COOKIE_NAME)
    elif request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if cookies:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _minute() -> str:
    # The minute is in every key: what depends on the clock (today, places closing, a post due to appear,
    # "you can cancel until") is never more than a minute old.
    return timezone.localtime().strftime("%Y%m%d%H%M")


def _path_hash(request) -> str:
    return hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]


def _rendered(response) -> HttpResponse:
    if getattr(response, "render", None) and not response.is_rendered:
        response.render()
    return response


_overlays = []


def register_overlay(overlay) -> None:
    """`overlay(request, html) -> html` adds what is the signed-in person's own to a shared page
    (it runs on every signed-in request, so it should cost one small query at most)."""
    if overlay not in _overlays:
        _overlays.append(overlay)


def _with_overlays(request, content: bytes) -> bytes:
    if not _overlays:
        return content
    html = content.decode()
    for overlay in _overlays:
        html = overlay(request, html)
    return html.encode()


def _memo_key(name, user_id) -> str:
    return f"pagecache:memo:{name}:{user_id}"


def _read_person_state(request) -> int:
    """One round trip for the content version, her own version and every memo kept for her
    (`person_memo`); returns the content version."""
    user_id = request.user.pk
    memo_keys = [_memo_key(name, user_id) for name in MEMO_NAMES]
    found = cache.get_many([VERSION_KEY, _person_key(user_id), *memo_keys])
    request._pagecache_person_version = found.get(_person_key(user_id), 0)
    request._pagecache_memos = {key: found[key] for key in memo_keys if key in found}
    return found.get(VERSION_KEY, 0)


def person_memo(request, name: str, compute):
    """Something small about the signed-in person that only her own rows decide (her marks, her
    role), kept under her own version, so it is computed again only after one of them changed."""
    key = _memo_key(name, request.user.pk)
    version = person_version(request)
    kept = getattr(request, "_pagecache_memos", {}).get(key)
    if kept is None and not hasattr(request, "_pagecache_memos"):
        kept = cache.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = compute()
    cache.set(key, (version, value), MEMO_TTL_SECONDS)
    return value


def _shared_key(request) -> str:
    _versions_read()
    if request.user.is_authenticated:
        version = _read_person_state(request)
        teaches = person_memo(request, "teaches", lambda: roles.is_teacher(request.user))
        request.pagecache_teaches = teaches  # the page is drawn with the role that chose its copy
        audience = "teacher" if teaches else "member"
    else:
        audience, version = "anonymous", content_version()
    return f"pagecache:{version}:{get_language()}:{_minute()}:{audience}:{_path_hash(request)}"


def cached_for_visitors(view):
    """Serve the view from the shared cache: one copy per role, the signed-in person's marks merged in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        signed_in = request.user.is_authenticated
        if not _cacheable_request(request):
            response = _rendered(view(request, *args, **kwargs))
            if signed_in and response.status_code == 200 and not response.streaming:
                response.content = _with_overlays(request, response.content)
            return response
        key = _shared_key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(_with_overlays(request, content) if signed_in else content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = _rendered(view(request, *args, **kwargs))
        if _cacheable_response(request, response):
            cache.set(key, (response.content, response["Content-Type"]), TTL_SECONDS)
            response["X-Page-Cache"] = "miss"
        if signed_in and response.status_code == 200 and not response.streaming:
            response.content = _with_overlays(request, response.content)
        return response

    return wrapper


def _person_key(user_id) -> str:
    return f"{PERSON_KEY_PREFIX}{user_id}"


EVERYONE = "everyone"


def person_version(request) -> int:
    """The signed-in person's own version: it changes whenever one of her rows does, so anything
    kept under it (her marks, her pages) is never stale."""
    version = getattr(request, "_pagecache_person_version", None)
    if version is None:
        _versions_read()
        version = request._pagecache_person_version = cache.get(_person_key(request.user.pk), 0)
    return version


def person_changed(user_id) -> None:
    """Call when something one of her own pages shows has changed. Bumps now and after commit, like
    `content_changed`. Rows of apps connected with `connect_person_signals` bump by themselves;
    a bulk `update()` must call this (or `everyone_changed`)."""
    _bump_now_and_after_commit(_person_key(user_id))


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


def _person_page_key(request) -> str | None:
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None  # her first page: rendering it gives her a CSRF cookie, which is not cached
    user_id = request.user.pk
    _versions_read()
    versions = cache.get_many([VERSION_KEY, EVERYONE_KEY, _person_key(user_id)])
    stamp = ".".join(str(versions.get(key, 0)) for key in (VERSION_KEY, EVERYONE_KEY, _person_key(user_id)))
    secret_hash = hashlib.sha256(secret.encode()).hexdigest()[:16]
    return f"pagecache:person:{user_id}:{stamp}:{secret_hash}:{get_language()}:{_path_hash(request)}"


def _valid_until(response, now):
    """Until when a person's page reads the same if none of her rows changes: the moment the view
    gave (`response.valid_until`, the first moment its text depends on), else the end of this minute,
    and never more than PERSON_TTL_SECONDS ahead."""
    latest = now + timedelta(seconds=PERSON_TTL_SECONDS)
    declared = getattr(response, "valid_until", None)
    if declared is None:
        return min(timezone.localtime(now).replace(second=0, microsecond=0) + timedelta(minutes=1), latest)
    return min(declared, latest)


def cached_per_person(view):
    """Serve a signed-in person's own page from a cache kept for her alone (see module docstring).
    Use it inside `login_required`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _person_page_key(request) if request.user.is_authenticated and _cacheable_request(request) else None
        if key is None:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        now = timezone.now()
        cached = cache.get(key)
        if cached is not None and now < cached[2]:
            content, content_type, _until = cached
            get_token(request)  # renews her CSRF cookie as rendering the page would
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            patch_cache_control(response, private=True, no_cache=True)
            return response
        response = _rendered(view(request, *args, **kwargs))
        until = _valid_until(response, now)
        if until > now and _cacheable_response(request, response, csrf_cookie_allowed=True):
            cache.set(key, (response.content, response["Content-Type"], until), max(1, ceil((until - now).total_seconds())))
            response["X-Page-Cache"] = "miss"
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper
