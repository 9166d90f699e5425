"""Encryption at rest for health data (the intake form).

Values are encrypted with Fernet (AES-128-CBC with an HMAC-SHA256, from `cryptography`) before they
reach the database and decrypted when they are read, so a database dump or backup holds tokens, not
text. The keys come from `settings.INTAKE_ENCRYPTION_KEY`: one or more Fernet keys separated by
commas. The first key encrypts; every key decrypts (MultiFernet), so a key is rotated by putting a
new one in front, re-encrypting (`bookings.intake.services.intake_reencrypt_all()`), then dropping the old.

Make a key with:
    python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.lookups import IsNull
from django.views.decorators.debug import sensitive_variables

# DEMO ONLY: a fixed key anyone can derive from this source code. It lets the demo and the tests run
# without configuration; production refuses to start without INTAKE_ENCRYPTION_KEY (see settings).
DEMO_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"studio-tree-of-life demo-only intake key").digest()).decode()


def configured_keys() -> str:
    return getattr(settings, "INTAKE_ENCRYPTION_KEY", None) or DEMO_KEY


@lru_cache(maxsize=4)
def _fernet_for(keys: str) -> MultiFernet:
    parts = [part.strip() for part in keys.split(",") if part.strip()]
    if not parts:
        raise ImproperlyConfigured("INTAKE_ENCRYPTION_KEY holds no key.")
    try:
        return MultiFernet([Fernet(part.encode()) for part in parts])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "INTAKE_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes each), separated by commas."
        ) from error


def fernet() -> MultiFernet:
    """The current keys (read each time, so a test's override_settings takes effect)."""
    return _fernet_for(configured_keys())


@sensitive_variables()
def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


@sensitive_variables()
def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        # Never fall back to showing the stored value: it is either a token or something unexpected.
        raise DecryptionError("An encrypted value could not be read with the configured INTAKE_ENCRYPTION_KEY.") from error


def rotate(token: str) -> str:
    """The same value, encrypted again with the first (newest) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class DecryptionError(Exception):
    """A stored value does not decrypt with any configured key (wrong or missing key)."""


class EncryptedTextField(models.TextField):
    """Text that is stored encrypted. Empty answers are encrypted too, so the database does not even
    show which questions were answered. It cannot be searched or compared in SQL: only `isnull`."""

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return decrypt(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None:
            return None
        return encrypt(value)

    def get_lookup(self, lookup_name):
        # Every token differs even for equal texts, so "equals" or "contains" would silently be wrong.
        if lookup_name == "isnull":
            return IsNull
        return None
