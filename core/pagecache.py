"""Whole-page caches: public pages shared by everyone, and a person's own pages (the versions
they are keyed by, and what bumps them, are in core.pageversions).

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
from datetime import timedelta
from functools import wraps
from math import ceil

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from core import roles
from core.pageversions import (  # noqa: F401 - the page cache's public names live on here too
    EVERYONE,
    EVERYONE_KEY,
    VERSION_KEY,
    connect_person_signals,
    connect_signals,
    content_changed,
    content_version,
    everyone_changed,
    person_changed,
    person_key,
    person_version,
    versions_read,
)

TTL_SECONDS = 60
MEMO_TTL_SECONDS = 3600
PERSON_TTL_SECONDS = 600
# The memos read with every signed-in shared page (see `person_memo`).
MEMO_NAMES = ("role", "marks")


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
    # The minute is in every shared page's key: what depends on the clock there (today, places closing,
    # a post due to appear) is never more than a minute old.
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
    found = cache.get_many([VERSION_KEY, person_key(user_id), *memo_keys])
    request._pagecache_person_version = found.get(person_key(user_id), 0)
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
    return _kept_or_computed(key, version, kept, compute)


def _kept_or_computed(key: str, version: int, kept, compute):
    """A memo kept under her version is still true; otherwise it is computed again and kept."""
    if kept is not None and kept[0] == version:
        return kept[1]
    value = compute()
    cache.set(key, (version, value), MEMO_TTL_SECONDS)
    return value


def person_role(request) -> str:
    """The signed-in person's role ("admin", "teacher" or "client") from the memo the shared pages
    keep, in one round trip; computed again once a change to her groups renewed her version. For
    checks made on every request (the staff's second factor) without a query to the database."""
    versions_read()  # a version read: a change made later by this thread must bump at once (core.pageversions)
    user_id = request.user.pk
    key = _memo_key("role", user_id)
    found = cache.get_many([person_key(user_id), key])
    return _kept_or_computed(key, found.get(person_key(user_id), 0), found.get(key), lambda: roles.role_of(request.user))


def _shared_key(request) -> str:
    versions_read()
    if request.user.is_authenticated:
        version = _read_person_state(request)
        audience = person_memo(request, "role", lambda: roles.role_of(request.user))
        request.pagecache_role = audience  # the page is drawn with the role that chose its copy
    else:
        audience, version = "anonymous", content_version()
    return f"pagecache:{version}:{get_language()}:{_minute()}:{audience}:{_path_hash(request)}"


def _with_her_marks(request, response):
    """A signed-in person's page gets her own marks (overlays), and is hers alone: no shared cache on
    the way may keep it (Cache-Control: private, as `cached_per_person` sends). Anyone else's is left as it is."""
    if request.user.is_authenticated:
        if response.status_code == 200 and not response.streaming:
            response.content = _with_overlays(request, response.content)
        patch_cache_control(response, private=True)
    return response


def cached_for_visitors(view):
    """Serve the view from the shared cache: one copy per role, the signed-in person's marks merged in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return _with_her_marks(request, _rendered(view(request, *args, **kwargs)))
        key = _shared_key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return _with_her_marks(request, response)
        response = _rendered(view(request, *args, **kwargs))
        if _cacheable_response(request, response):
            cache.set(key, (response.content, response["Content-Type"]), TTL_SECONDS)
            response["X-Page-Cache"] = "miss"
        return _with_her_marks(request, response)

    return wrapper


def _person_page_key(request) -> str | None:
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None  # her first page: rendering it gives her a CSRF cookie, which is not cached
    user_id = request.user.pk
    versions_read()
    versions = cache.get_many([VERSION_KEY, EVERYONE_KEY, person_key(user_id)])
    stamp = ".".join(str(versions.get(key, 0)) for key in (VERSION_KEY, EVERYONE_KEY, person_key(user_id)))
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
