"""Bench-only: a request with the header `X-Bench-Fresh` skips the page cache, so `make bench`
can measure what rendering a public page costs on the same server that serves it cached.

Loaded only through bench/urls.py, the bench's ROOT_URLCONF (DJANGO_ROOT_URLCONF=bench.urls):
the site's own urlconf never imports it, so nobody can skip the cache in production.
"""

from core import pagecache

HEADER = "X-Bench-Fresh"
_cacheable_request = pagecache._cacheable_request


def _cacheable_unless_fresh(request) -> bool:
    return HEADER not in request.headers and _cacheable_request(request)


pagecache._cacheable_request = _cacheable_unless_fresh
