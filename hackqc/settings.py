"""Settings for hackqc, read from the environment.

With no environment at all the site runs embedded: SQLite, Celery tasks executed eagerly in
the web process, a local-memory cache and e-mail printed to the console. Setting
DATABASE_URL, CELERY_BROKER_URL and REDIS_URL/CACHE_URL moves it to PostgreSQL and Redis
with real workers. Every variable is listed in README.md.
"""

import os
from datetime import timedelta
from ipaddress import ip_address, ip_network
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def privacy_email(site_url: str) -> str:
    """privacy@ the site's domain; privacy@localhost for an address or a local name."""
    host = (urlsplit(site_url).hostname or "").lower()
    try:
        ip_address(host)
    except ValueError:
        local = host in {"", "localhost"} or host.endswith(".localhost") or "." not in host
    else:
        local = True
    return "privacy@localhost" if local else f"privacy@{host}"


def env_url(name: str, schemes: set[str]) -> str | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not (parts.netloc or parts.path):
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must be a URL with scheme {allowed}, not {raw!r}.")
    return raw


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is false.")
    # A fixed development key: sessions survive restarts; never used outside DEBUG.
    SECRET_KEY = "django-insecure-development-only-" + "x" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_url("SITE_URL", {"http", "https"}) or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "hackqc",
    "hackqc.privacy",
    "hackqc.incidents",
    "teams",
    "submissions.catalogue",
    "submissions",
    "judging",
    "judging.results",
]

MIDDLEWARE = [
    # First: the clock is read as the request reaches Django (hackqc.proxy.request_arrival).
    "hackqc.proxy.RequestArrivalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hackqc.middleware.ContentSecurityPolicyMiddleware",
    # Early, so its process_exception runs last: other middleware may handle errors first.
    "hackqc.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hackqc.middleware.RequestLimitsMiddleware",
    "hackqc.middleware.ArchivedEditionMiddleware",
]

ROOT_URLCONF = "hackqc.urls"
WSGI_APPLICATION = "hackqc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hackqc.context_processors.site",
            ],
        },
    },
    # Plain-text mails: the same templates without HTML escaping, so a name like « L'Équipe »
    # is not mailed as « L&#x27;Équipe » (hackqc.mail renders with this engine).
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite file by default, DATABASE_URL (PostgreSQL) in production and CI.
# SQLite through Django's backend with triggers kept across table rebuilds (its docstring).
SQLITE_ENGINE = "hackqc.sqlite_backend"
_database_url = env_url("DATABASE_URL", {"postgres", "postgresql", "pgsql", "sqlite"})
if _database_url:
    try:
        # Health checks: a connection kept from before a database restart is tested (and
        # replaced) at the start of the next request instead of failing it with a 500.
        DATABASES = {
            "default": dj_database_url.parse(
                _database_url, conn_max_age=60, conn_health_checks=True
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": BASE_DIR / "db.sqlite3",
            # Waits instead of failing when the eager Celery tasks and requests overlap.
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The front proxy (hackqc.proxy): how many proxies append to X-Forwarded-For, and the
# addresses they connect from. Only requests from these addresses have their
# X-Forwarded-For (the client's address, for rate limits) and X-Request-Start (when the
# request reached the site, for the submission deadline) believed; 0 proxies: neither is.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
# A request-start this many seconds old at most counts (nginx gives up on a request after
# 60 s anyway): a proxy clock running late gains nobody more.
REQUEST_START_MAX_AGE = env_int("REQUEST_START_MAX_AGE", 60)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
for _proxy in TRUSTED_PROXIES:
    try:
        ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks, not {_proxy!r}."
        ) from None

# Cache: allauth's rate limits need a cache shared by every web process in production.
_cache_url = env_url("CACHE_URL", {"redis", "rediss"}) or env_url("REDIS_URL", {"redis", "rediss"})
# A Redis that is down or frozen costs one short timeout, then each process uses a local
# cache for CACHE_RETRY_AFTER seconds (hackqc.cache): logins and rate limits keep working.
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 1)
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "hackqc.cache.ResilientRedisCache",
            "LOCATION": _cache_url,
            "RETRY_AFTER": env_int("CACHE_RETRY_AFTER", 30),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "hackqc.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail only, verified before the first login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_email": "1/m/user",
}
ACCOUNT_SIGNUP_FORM_CLASS = "hackqc.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "hackqc.adapters.EvenTimeSignupForm"}
ACCOUNT_ADAPTER = "hackqc.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[HackQC] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme

# Internationalisation: French first.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# The project's catalogue, then Québec French over allauth's wording (see its header).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "hackqc" / "locale_overrides"]
# Dates as Canada writes them, in English too (hackqc/formats).
FORMAT_MODULE_PATH = ["hackqc.formats"]
USE_I18N = True
TIME_ZONE = "America/Montreal"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Every /media/ request is checked by the site (submissions.media); with this set (e.g.
# "/protected-media/"), the proxy sends the file: the response carries X-Accel-Redirect to
# that prefix, an `internal` nginx location aliased to MEDIA_ROOT (README). Empty: Django
# streams the file itself (the embedded mode).
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "").strip()
if MEDIA_ACCEL_REDIRECT and not MEDIA_ACCEL_REDIRECT.startswith("/"):
    raise ImproperlyConfigured(
        f"MEDIA_ACCEL_REDIRECT must be a path starting with /, not {MEDIA_ACCEL_REDIRECT!r}."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Request bodies: a 10 MB image and its form at most, refused before being read
# (hackqc.middleware.RequestLimitsMiddleware; the proxy's limit is in the README). The fields
# of a form other than its files: 2.5 MB (Django's default). Files over 2 MB go to disk.
REQUEST_BODY_MAX_SIZE = 11 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A silent SMTP server must not hold a worker (and the outbox row it locks) for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "HackQC <noreply@hackqc.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: eager in-process without a broker, real workers with CELERY_BROKER_URL.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", {"redis", "rediss", "memory"})
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task (a full catalogue sync, bounded per page) takes about a minute; every
# task is stopped after 4 min (killed at 5), so a task lost with its worker can be handed
# back by Redis after 6 (the visibility timeout below), not after 21.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 4 * 60)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# The visibility timeout must outlast the longest task, or Redis redelivers it mid-run.
# Socket timeouts: a frozen broker fails a request's hand-over in about two seconds (the
# outbox sweep resends later) instead of hanging it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 60,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Results announcements (thousands of mails) have a queue of their own, so invitations and
# confirmations never wait behind them; `make worker` consumes both.
CELERY_TASK_ROUTES = {
    "results.send_announcements": {"queue": "results"},
    # Announcements to many people: beside the results, never ahead of invitations.
    "hackqc.send_announcement": {"queue": "results"},
}
CELERY_BEAT_SCHEDULE = {
    "sync-datasets-nightly": {
        "task": "catalogue.sync_datasets",
        "schedule": crontab(hour=3, minute=15),
    },
    "submission-deadline-reminders": {
        "task": "submissions.send_deadline_reminders",
        "schedule": timedelta(minutes=10),
    },
    "worker-heartbeat": {
        "task": "hackqc.record_heartbeat",
        "schedule": timedelta(minutes=1),
    },
    "outbox-sweep": {
        "task": "hackqc.sweep_outbox",
        "schedule": timedelta(minutes=1),
    },
    "announcements-lapsed-sends": {
        "task": "hackqc.requeue_lapsed_announcements",
        "schedule": timedelta(minutes=5),
    },
    "publish-scheduled-results": {
        "task": "results.publish_due_results",
        "schedule": timedelta(minutes=1),
    },
    "privacy-expired-exports": {
        "task": "privacy.delete_expired_exports",
        "schedule": timedelta(hours=1),
    },
    "privacy-retention": {
        "task": "privacy.anonymise_old_editions",
        "schedule": crontab(hour=4, minute=30),
    },
}

# Security: strict in production, relaxed for the embedded development server.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

# Outbox (hackqc.outbox): a failed mail is retried after 1, 2, 4… minutes (at most 2 h
# apart) for a day; a queued mail no worker took within 5 minutes is queued again.
OUTBOX_RETRY_FOR = env_int("OUTBOX_RETRY_FOR", 24 * 3600)
OUTBOX_FIRST_RETRY = env_int("OUTBOX_FIRST_RETRY", 60)
OUTBOX_MAX_RETRY_DELAY = env_int("OUTBOX_MAX_RETRY_DELAY", 2 * 3600)
OUTBOX_STUCK_AFTER = env_int("OUTBOX_STUCK_AFTER", 5 * 60)
# Mass mails (results announcements) go on this queue, so one-to-one mails never wait
# behind thousands of them (the workers consume it: `-Q celery,results`); "" is Celery's
# default queue.
OUTBOX_BULK_QUEUE = os.environ.get("OUTBOX_BULK_QUEUE", "results")

# Teams: the version of the rules participants accept, and invitation limits.
TEAMS_RULES_VERSION = os.environ.get("TEAMS_RULES_VERSION", "2027-1")
TEAMS_INVITATIONS_PER_HOUR = env_int("TEAMS_INVITATIONS_PER_HOUR", 10)
TEAMS_INVITATION_DAYS = env_int("TEAMS_INVITATION_DAYS", 7)

# Privacy (Québec's Law 25), shown on the privacy policy (/fr/privacy-policy/): the person
# in charge of the protection of personal information (by default the organisation's
# highest authority), whose title and contact address must be published. With no address
# set, privacy@ the site's domain (privacy@localhost in the embedded mode, which
# `check --deploy` reports: hackqc.checks).
PRIVACY_ORGANISATION = os.environ.get("PRIVACY_ORGANISATION", "HackQC").strip() or "HackQC"
PRIVACY_OFFICER_NAME = os.environ.get("PRIVACY_OFFICER_NAME", "").strip()
# Empty: the policy says "Person in charge of the protection of personal information".
PRIVACY_OFFICER_TITLE = os.environ.get("PRIVACY_OFFICER_TITLE", "").strip()
PRIVACY_OFFICER_ADDRESS = os.environ.get("PRIVACY_OFFICER_ADDRESS", "").strip()
PRIVACY_OFFICER_EMAIL = os.environ.get("PRIVACY_OFFICER_EMAIL", "").strip() or privacy_email(
    SITE_URL
)
# Personal data of an edition is anonymised this many years after the edition ends
# (projects, team names, scores and results stay).
PRIVACY_RETENTION_YEARS = env_int("PRIVACY_RETENTION_YEARS", 3)
if PRIVACY_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("PRIVACY_RETENTION_YEARS must be 1 or more.")
try:
    validate_email(PRIVACY_OFFICER_EMAIL)
except ValidationError:
    raise ImproperlyConfigured(
        f"PRIVACY_OFFICER_EMAIL must be an e-mail address, not {PRIVACY_OFFICER_EMAIL!r}."
    ) from None
# How long the mailed link to a person's copy of their data works (hackqc.privacy).
PRIVACY_EXPORT_LINK_HOURS = env_int("PRIVACY_EXPORT_LINK_HOURS", 72)

# Jury: how long an invitation link to the jury stays valid.
JURY_INVITATION_DAYS = env_int("JURY_INVITATION_DAYS", 30)

# The dataset portal synced by default (Données Québec); more are added as Portal rows.
CKAN_DEFAULT_PORTAL_URL = os.environ.get(
    "CKAN_PORTAL_URL", "https://www.donneesquebec.ca/recherche/api/3/action/"
)
# Tests only: the sync may read a portal on the loopback interface (the tests' replay CKAN).
# Never read from the environment, and `check --deploy` fails with it (hackqc.E001).
CATALOGUE_ALLOW_LOOPBACK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
