"""A small fixed-window rate limit on the shared cache, for forms anyone can post, and the client's
address it is counted by.

Behind a reverse proxy every request comes from the proxy's address, so the real client is read
from what the proxy adds, exactly as allauth reads it for its own limits (one configuration for
both): `ALLAUTH_TRUSTED_CLIENT_IP_HEADER` when the proxy sets one (X-Real-IP), else the entry of
X-Forwarded-For that `ALLAUTH_TRUSTED_PROXY_COUNT` proxies of our own put there. With no trusted
proxy the header is ignored, because anyone can send it.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip().strip("[]")))
    except ValueError:
        return None


def client_ip(request) -> str:
    header = getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    if header:
        found = _valid(request.headers.get(header))
        if found:
            return found
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("X-Forwarded-For", "")
    if proxies > 0 and forwarded:
        hops = forwarded.split(",")
        if len(hops) >= proxies:
            found = _valid(hops[-proxies])
            if found:
                return found
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(scope: str, key: str, *, limit: int, period_seconds: int) -> bool:
    """Count one attempt; return False when `limit` attempts in the window are used up."""
    cache_key = f"ratelimit:{scope}:{key}"
    cache.add(cache_key, 0, timeout=period_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds)
        count = 1
    return count <= limit
