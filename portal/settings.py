"""Frontline Voice settings.

Every value comes from the environment through the small typed helpers below,
which fail loudly on a malformed value. With no environment at all the portal
runs as a demo: SQLite, Celery tasks in-process, DEBUG on. ``DJANGO_ENV=production``
turns on the hardened settings and refuses to start without SECRET_KEY and
ALLOWED_HOSTS.
"""

import itertools
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_choice(name: str, default: str, choices: list[str]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, production or test")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
else:
    # A fixed key is only ever used for the local demo and tests.
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-" + "x" * 40)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

DEBUG = env_bool("DEBUG", not PRODUCTION)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal.apps.LoginAttemptsConfig",  # django-axes
    "portal",
    "feedback",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.UserLanguageMiddleware",
    "portal.middleware.RefuseUnreadableQueryMiddleware",
    "portal.middleware.ApiBodyTooLargeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The portal's templates first, so its registration/ pages and e-mails win over
        # the copies that django.contrib.admin and django.contrib.auth ship.
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file by default, DATABASE_URL (PostgreSQL) otherwise.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # template0 so the test database is UTF-8 whatever template1 holds;
        # trigram search on Arabic needs a UTF-8 database.
        DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20},
        }
    }
# Analytics read from a replica when ANALYTICS_DATABASE_URL names one (a streaming
# replica of the database above): every analytics read goes there (portal.routers),
# every write and every other read stays on the primary. In tests the alias mirrors
# the test database.
ANALYTICS_DATABASE_URL = env_str("ANALYTICS_DATABASE_URL")
if ANALYTICS_DATABASE_URL:
    DATABASES["analytics"] = dj_database_url.parse(
        ANALYTICS_DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["analytics"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.routers.AnalyticsRouter"]
# SQLite (the embedded default) builds covering indexes without their extra columns:
# the same index, only less of a shortcut. Nothing to warn about in a demo.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else []
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "portal.auth_backends.AddressLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: a cool-off, never a permanent lock-out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "portal.views.axes_username"
# Failed log-ins from one address, whatever the username, before it too cools off.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.views.locked_out"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Internationalisation
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
# Our additions to Django's locale formats (portal/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the app serves static files straight from the apps' folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: console by default, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Frontline Voice <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    # Where the file-based backend writes (with EMAIL_BACKEND=…filebased.EmailBackend).
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))

# The cache (analytics results, throttles): Redis at CACHE_URL, shared by every process;
# in production the broker's Redis when CACHE_URL is not given; otherwise (the demo,
# one process) in memory.
CACHE_URL = env_str("CACHE_URL") or (
    env_str("CELERY_BROKER_URL") if PRODUCTION and env_str("CELERY_BROKER_URL") else ""
)
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "fv",
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Analytics results are kept this long at most (a change to the data they read
# replaces them at once; see feedback.analytics.cache).
ANALYTICS_CACHE_SECONDS = env_int("ANALYTICS_CACHE_SECONDS", 24 * 3600)

# Celery: a real broker when CELERY_BROKER_URL is set, in-process otherwise.
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
# In-process, tasks still pass through a producer: the in-memory transport keeps
# kombu from reaching for an AMQP server on localhost.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The queue tasks go to unless routed elsewhere (workers consume it with --queues).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# How the time limits relate (checked below, so a bad combination fails at start-up):
#   EMAIL_TIMEOUT (SMTP only) < EMAIL_TASK_SOFT_TIME_LIMIT < EMAIL_TASK_TIME_LIMIT
#     < OUTBOX_LEASE_SECONDS
#     an e-mail task is killed before its lease expires, so a live worker's claim is
#     never taken over; a dead worker's claim is taken over after the lease.
#   CELERY_TASK_TIME_LIMIT (the longest any task may run) < CELERY_VISIBILITY_TIMEOUT < 1 h
#     Redis hands an unacknowledged message (acks late) to another worker after the
#     visibility timeout: longer than any task, so a running task is never doubled;
#     well under Redis's default hour, so a killed worker's messages come back soon.
#   CELERY_RETRY_BACKOFF_MAX < CELERY_VISIBILITY_TIMEOUT
#     a retry waiting in a worker (an ETA message, unacknowledged) is not redelivered.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 25 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 24 * 60)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 30 * 60)
CELERY_RETRY_BACKOFF_MAX = env_int("CELERY_RETRY_BACKOFF_MAX", 10 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # An unreachable broker answers fast, so a request that queues work does not hang:
    # neither while connecting, nor on a connection the broker stopped answering
    # (a partition, a hung server), where a publish would otherwise wait for ever.
    # The worker is unaffected: it reads its blocking BRPOP only once data arrives.
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
EMAIL_TASK_SOFT_TIME_LIMIT = env_int("EMAIL_TASK_SOFT_TIME_LIMIT", 120)
EMAIL_TASK_TIME_LIMIT = env_int("EMAIL_TASK_TIME_LIMIT", 150)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 7)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60)
OUTBOX_SWEEP_BATCH = env_int("OUTBOX_SWEEP_BATCH", 2000)


def _check_time_limits() -> None:
    email_chain = [
        ("EMAIL_TASK_SOFT_TIME_LIMIT", EMAIL_TASK_SOFT_TIME_LIMIT),
        ("EMAIL_TASK_TIME_LIMIT", EMAIL_TASK_TIME_LIMIT),
        ("OUTBOX_LEASE_SECONDS", OUTBOX_LEASE_SECONDS),
    ]
    if EMAIL_HOST:
        # Only SMTP waits on a server; the other backends have no timeout to outlast
        # (and the reliability scripts run the file backend on leases of seconds).
        email_chain.insert(0, ("EMAIL_TIMEOUT", EMAIL_TIMEOUT))
    chains = [
        email_chain,
        (
            ("CELERY_TASK_SOFT_TIME_LIMIT", CELERY_TASK_SOFT_TIME_LIMIT),
            ("CELERY_TASK_TIME_LIMIT", CELERY_TASK_TIME_LIMIT),
            ("CELERY_VISIBILITY_TIMEOUT", CELERY_VISIBILITY_TIMEOUT),
            ("one hour", 3600),
        ),
        (
            ("CELERY_RETRY_BACKOFF_MAX", CELERY_RETRY_BACKOFF_MAX),
            ("CELERY_VISIBILITY_TIMEOUT", CELERY_VISIBILITY_TIMEOUT),
        ),
    ]
    for chain in chains:
        for (low_name, low), (high_name, high) in itertools.pairwise(chain):
            if not low < high:
                raise ImproperlyConfigured(
                    f"{low_name} ({low}) must be less than {high_name} ({high})"
                )


_check_time_limits()

CELERY_BEAT_SCHEDULE = {
    "remind-overdue-insights": {
        "task": "feedback.tasks.remind_overdue_insights_task",
        "schedule": timedelta(minutes=env_int("OVERDUE_REMINDER_INTERVAL_MINUTES", 60)),
    },
    "sweep-outbox": {
        "task": "portal.tasks.sweep_outbox_task",
        "schedule": timedelta(seconds=OUTBOX_SWEEP_SECONDS),
        # A sweep stuck behind a backlog is dropped, not run back to back with the
        # next ones: the next sweep does the same work.
        "options": {"expires": OUTBOX_SWEEP_SECONDS},
    },
    # Training reminders, escalations and recertification, once a day (TIME_ZONE).
    "training-reminders": {
        "task": "training.tasks.send_training_reminders_task",
        "schedule": crontab(hour=env_int("TRAINING_REMINDER_HOUR", 7), minute=0),
    },
}

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so anonymous API calls get 401 with a WWW-Authenticate header.
        "portal.api.authentication.DigestTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": env_str("TOKEN_THROTTLE_RATE", "10/min")},
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Frontline Voice API",
    "DESCRIPTION": "Employee insights, customer satisfaction and service-standard training.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set that several fields share (insight status, history from/to).
    "ENUM_NAME_OVERRIDES": {
        "InsightStatusEnum": "feedback.models.Status",
        "RoleEnum": "portal.models.Role",
        "QuestionKindEnum": "training.models.QuestionKind",
        "AssignmentStatusEnum": "training.models.AssignmentStatus",
        "VersionStatusEnum": [("draft", "draft"), ("published", "published")],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.document_errors",
    ],
}

# Product settings
FIRST_RESPONSE_TARGET_HOURS = env_int("FIRST_RESPONSE_TARGET_HOURS", 48)
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
# Keyed hashes of anonymous authors use their own key, so rotating SECRET_KEY
# for sessions does not orphan anonymous insights.
ANONYMITY_KEY = env_str("ANONYMITY_KEY", SECRET_KEY)
# Analytics: figures from fewer responses are suppressed ("not enough responses");
# weeks start on Monday unless the organisation counts from Sunday or Saturday.
ANALYTICS_MIN_RESPONSES = env_int("ANALYTICS_MIN_RESPONSES", 30)
if ANALYTICS_MIN_RESPONSES < 1:
    raise ImproperlyConfigured("ANALYTICS_MIN_RESPONSES must be at least 1")
ANALYTICS_WEEK_START = env_choice(
    "ANALYTICS_WEEK_START", "monday", ["monday", "sunday", "saturday"]
)
# Training: days people get to re-train after a major revision (from its effective
# date) and to recertify once a pass expires.
TRAINING_REVISION_DUE_DAYS = env_int("TRAINING_REVISION_DUE_DAYS", 30)
TRAINING_RECERTIFICATION_DUE_DAYS = env_int("TRAINING_RECERTIFICATION_DUE_DAYS", 30)

# Survey imports (feedback.survey): rows validated and staged per batch (the job's
# progress moves by batches), how often a job may be taken over after its worker
# died before it is given up, and the largest file accepted.
SURVEY_IMPORT_BATCH_ROWS = env_int("SURVEY_IMPORT_BATCH_ROWS", 10_000)
SURVEY_IMPORT_MAX_ATTEMPTS = env_int("SURVEY_IMPORT_MAX_ATTEMPTS", 3)
SURVEY_IMPORT_MAX_MB = env_int("SURVEY_IMPORT_MAX_MB", 500)

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # In-process tasks would log a line each ("Task ... succeeded") into the
        # demo's and tests' output; a worker logs them as usual.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}
