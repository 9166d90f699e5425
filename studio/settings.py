"""Settings for the Tree of Life studio system.

One module, driven by the environment. With no environment at all it runs the
demo: SQLite, a Celery broker on the file system, console email, the local
Stripe stand-in. Production sets the variables listed in `.env.example`.
"""

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STUDIO_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
TESTING = env_bool("DJANGO_TESTING", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is false.")
    SECRET_KEY = "demo-only-insecure-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" + (",testserver" if DEBUG else ""))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address: links in emails (check --deploy), sitemaps. The demo's default would send a studio's
# clients to 127.0.0.1, so production (DEBUG off) must name it.
SITE_URL = env("SITE_URL")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured("Set SITE_URL (the studio's public address, e.g. https://studiotreeoflife.nl) when DJANGO_DEBUG is false.")
    SITE_URL = "http://127.0.0.1:8000"
SITE_URL = SITE_URL.rstrip("/")

INSTALLED_APPS = [
    "studio",
    "classes",
    "bookings",
    "blog",
    "core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_celery_beat",
]

MIDDLEWARE = [
    "core.guards.DropBrokenCookiesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "studio.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.guards.RefuseNulBytesMiddleware",
    "studio.middleware.RememberedLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "studio.middleware.StaffSecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = env("DJANGO_ROOT_URLCONF", "studio.urls")  # bench/ adds a trivial view for comparisons
WSGI_APPLICATION = "studio.wsgi.application"
AUTH_USER_MODEL = "studio.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "studio.context_processors.studio",
            ],
        },
    },
]

# Database: SQLite file for the demo, PostgreSQL in production and tests.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs the web server, a worker and beat on one file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare statements a connection runs often, so PostgreSQL
    # plans the pages' many-table joins once instead of on every request (bench/: planning was
    # most of the time of "my bookings"). Set DATABASE_SERVER_SIDE_BINDING=false behind a
    # transaction-pooling PgBouncer older than 1.21.
    if env_bool("DATABASE_SERVER_SIDE_BINDING", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured (production, tests), else files (the demo's
# processes share it, so login rate limits hold across them).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Short socket timeouts: a Redis that does not answer fails a request (and /healthz) at
    # once instead of holding a web worker for minutes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "studio.validators.UserAttributeSimilarityValidator"},
    {"NAME": "studio.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "studio.validators.CommonPasswordValidator"},
    {"NAME": "studio.validators.NumericPasswordValidator"},
]

# Language and time: Dutch first, English second; the studio's wall clock.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# locale/ is ours (`make messages` rewrites it from the code); locale_overrides/ holds better Dutch for
# msgids of Django and its apps (the admin's "De artikel ... is toegevoegd", the picker's hints). It comes
# last: every LOCALE_PATHS entry beats the apps' own catalogues anyway, and makemessages writes into the
# first entry, which must stay locale/.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
CURRENCY = "EUR"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: the console in the demo, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Studio Tree of Life <hallo@studiotreeoflife.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STUDIO_EMAIL = env("STUDIO_EMAIL", "hallo@studiotreeoflife.nl")

# The studio itself: shown in the footer, on the contact page and receipts.
STUDIO = {
    "name": "Studio Tree of Life",
    "street": env("STUDIO_STREET", "Ginnekenweg 100"),
    "postcode": env("STUDIO_POSTCODE", "4818 JK"),
    "city": "Breda",
    "country": "Nederland",
    "email": STUDIO_EMAIL,
    "phone": env("STUDIO_PHONE", "+31 6 12345678"),
    "kvk": env("STUDIO_KVK", "12345678"),
    "vat_number": env("STUDIO_VAT_NUMBER", "NL000000000B01"),
}

# Accounts (django-allauth): email is the login; codes by email.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "profile"
ACCOUNT_ADAPTER = "studio.accounts.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "studio.forms.SignupForm"
# allauth's forms with the studio's own labels (studio/account_forms.py).
ACCOUNT_FORMS = {name: f"studio.account_forms.{form}" for name, form in [
    ("login", "LoginForm"), ("signup", "SignupForm"), ("add_email", "AddEmailForm"), ("change_password", "ChangePasswordForm"),
    ("set_password", "SetPasswordForm"), ("reset_password", "ResetPasswordForm"), ("reset_password_from_key", "ResetPasswordKeyForm"),
    ("reauthenticate", "ReauthenticateForm"), ("request_login_code", "RequestLoginCodeForm")]}
ACCOUNT_UNIQUE_EMAIL = True
# A taken address gets a plain message on the signup page (the issue asks for it);
# the rate limits below keep address probing slow.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Studio Tree of Life] "
# A short email after a change to her password or email address, so a change she did not make does not go unseen.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Behind a reverse proxy (nginx in the README) every request arrives from the proxy: rate limits
# (allauth's and core.ratelimit's) then read the client from X-Forwarded-For, trusting as many
# entries from the right as there are proxies of our own, or from a header the proxy sets.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER")
# Staff log in with a second factor (allauth.mfa: an authenticator app, with recovery codes). Every
# teacher and admin must set one up before any other page opens (studio.middleware); clients are never
# asked. Always on in production; off in the demo and the tests unless STAFF_MFA_REQUIRED=true.
STAFF_MFA_REQUIRED = True if not (DEBUG or TESTING) else env_bool("STAFF_MFA_REQUIRED", False)
MFA_ADAPTER = "studio.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Studio Tree of Life"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so they are visible; the cache above backs them.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}

# Celery: Redis in production and tests; the file system in the demo.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # A broker that does not answer fails a connection attempt in seconds (queuing a task, /healthz).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "timetable-generate-sessions": {"task": "classes.tasks.generate_sessions", "schedule": crontab(hour=3, minute=15)},
    "bookings-release-expired-holds": {"task": "bookings.tasks.release_expired_holds", "schedule": 60.0},
    "bookings-session-reminders": {"task": "bookings.tasks.send_session_reminders", "schedule": 300.0},
    "bookings-queued-messages": {"task": "bookings.tasks.send_queued_messages", "schedule": 60.0},
    "bookings-class-cards-hourly": {"task": "bookings.tasks.expire_class_cards", "schedule": crontab(minute=5)},
    "bookings-memberships-hourly": {"task": "bookings.tasks.memberships_due", "schedule": crontab(minute=10)},
    "bookings-gift-vouchers-daily": {"task": "bookings.tasks.expire_gift_vouchers", "schedule": crontab(hour=0, minute=15)},
}

# The timetable: sessions exist this many weeks ahead (at least 8).
TIMETABLE_HORIZON_WEEKS = int(env("TIMETABLE_HORIZON_WEEKS", "10"))

# Stripe: test keys and the local stand-in by default.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "sk_test_demo")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", "pk_test_demo")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "whsec_demo")
STRIPE_API_BASE = env("STRIPE_API_BASE", "http://127.0.0.1:12111" if DEBUG else None)
if STRIPE_API_BASE and not DEBUG and not TESTING:
    if urlsplit(STRIPE_API_BASE).hostname in {"localhost", "127.0.0.1", "::1", "0.0.0.0"}:  # noqa: S104 - a check, not a bind
        raise ImproperlyConfigured("STRIPE_API_BASE points at a local stand-in; production must talk to Stripe.")

# Intake forms hold health data, encrypted at rest (bookings/crypto.py) with Fernet keys: one key, or
# several separated by commas to rotate (the first encrypts, all decrypt). Make one with
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
INTAKE_ENCRYPTION_KEY = env("INTAKE_ENCRYPTION_KEY")
if not INTAKE_ENCRYPTION_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("Set INTAKE_ENCRYPTION_KEY when DJANGO_DEBUG is false: intake forms are encrypted with it.")
    # DEMO ONLY: a fixed key anyone can derive from this file (the same as bookings.crypto.DEMO_KEY). Never for real clients.
    INTAKE_ENCRYPTION_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"studio-tree-of-life demo-only intake key").digest()).decode()

# Security. Production (DEBUG off) gets HTTPS-only cookies, HSTS and a strict CSP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the shared cache (Redis in production) and kept in the database too.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG and not TESTING
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else int(env("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_checkout_origins = ["https://checkout.stripe.com"]
if STRIPE_API_BASE:
    _checkout_origins.append("{0.scheme}://{0.netloc}".format(urlsplit(STRIPE_API_BASE)))
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    f"base-uri 'self'; form-action 'self' {' '.join(_checkout_origins)}; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "stripe": {"level": "WARNING"}},
}
