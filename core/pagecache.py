"""Whole-page cache for visitors who are not signed in.

Public pages (home, timetable, offering, session, blog) are the same for every
anonymous visitor, so they are rendered once and served from the shared cache.
The key carries a content version that goes up, after commit, whenever a
timetable, blog or page row changes (a booking changes a session's places, so
places left stay live), plus the language, today's date and the full path.
Signed-in visitors, pages with a pending message and anything that sets a
cookie are never cached.
"""

import hashlib
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "pagecache:version"
CACHED_APPS = {"classes", "blog"}
CACHED_MODELS = {"studio.page"}
TTL_SECONDS = 60


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def content_changed() -> None:
    """Call after a bulk `update()` of anything a public page shows (signals do not fire for those).
    Bumps now, so this process never serves the old page again, and after commit, so a page
    rendered by another request between the two is not kept either."""
    bump_content_version()
    transaction.on_commit(bump_content_version)


def _content_changed(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in CACHED_APPS or meta.label_lower in CACHED_MODELS:
        content_changed()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"pagecache-{signal}")


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0  # counting does not mark them as read


def _cacheable_response(request, response) -> bool:
    """Only a plain 200 that sets no cookie (no CSRF token used, no session written)."""
    if response.status_code != 200 or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def cached_for_visitors(view):
    """Serve the view from the cache for anonymous visitors (see module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        # The minute is in the key: what depends on the clock (today, places closing, a post due to appear)
        # is never more than a minute old.
        minute = timezone.localtime().strftime("%Y%m%d%H%M")
        key = f"pagecache:{content_version()}:{get_language()}:{minute}:{path_hash}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if getattr(response, "render", None) and not response.is_rendered:
            response.render()
        if _cacheable_response(request, response):
            cache.set(key, (response.content, response["Content-Type"]), TTL_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
