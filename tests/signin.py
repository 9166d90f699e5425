"""Signing a user in without the login form: a real session in the session store, handed to a browser
or to a raw HTTP request as a cookie. Shared by the browser journeys and the concurrency tests."""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore


def session_key_for(user) -> str:
    """A real session for `user`, as the login view would leave it; returns its key."""
    store = SessionStore()
    store.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                  "_auth_user_hash": user.get_session_auth_hash()})
    store.create()
    return store.session_key


def sign_in(page, live_server, user):
    """Sign `user` in in the browser context of a Playwright page (any earlier cookies are dropped)."""
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key_for(user), "url": live_server.url}])
