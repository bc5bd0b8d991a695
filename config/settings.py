"""Settings for Ambassadeursprogramma.

One module, every value read from the environment (django-environ). With no
environment set, the app runs on SQLite, an embedded Celery broker and the
console mail backend, so ``make run`` needs nothing but Python and npm.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The test suite has its own module, config/settings_test.py (pytest.ini): this one never asks whether it runs tests.

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production-0123456789abcdef")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_htmx",
    # {% partialdef %}: a repeated row or a lazily loaded table named inside its page's template.
    "template_partials",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Our apps, bottom of the import chain first.
    "core",
    "accounts",
    "programme",
    "programme.library",
    "ambassadors",
    "ambassadors.programmes",
    "training",
    "incidents",
    "evaluation",
    "api",
]
# The benchmark's fill and run commands exist only where bench/run.sh runs (it sets DJANGO_BENCH).
if env.bool("DJANGO_BENCH", default=False):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "core.logging.RequestIdMiddleware",
    # Request latency per view for /metrics (config/metrics.py), around everything below.
    "config.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.QueryStringGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.roles",
                "config.navigation.navigation",
            ],
            # {% partialdef %} and {% partial %} in every template (django-template-partials).
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a new PostgreSQL connection per request cost about as much as the page itself. A
# connection is checked before a request reuses it (CONN_HEALTH_CHECKS), so a restarted database costs no error.
# Off under runserver (a thread per request) and in tests.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 600))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")


def _redis_database(url: str, number: int) -> str:
    """The same Redis server, another database: the cache may be flushed without touching the broker's queues."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


if REDIS_URL:
    # While Redis is unreachable the cache falls back to per-process memory (core/cache.py): sign-in and
    # reporting keep working, with rate limits and locks per process, and /health/ says "degraded".
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": env("REDIS_CACHE_URL", default=_redis_database(REDIS_URL, 1)),
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT", default=1.0),
                "socket_timeout": env.float("REDIS_CACHE_TIMEOUT", default=1.0),
                "FALLBACK_RETRY_SECONDS": env.float("REDIS_CACHE_RETRY_SECONDS", default=10.0),
            },
        }
    }
else:
    # A database cache works across the web server and the Celery worker,
    # which rate limiting and TOTP replay protection need.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}

# Sessions in the cache, written through to the database: a request reads its session without a query, and a
# session outlives a flushed or unreachable cache. Every web server shares both, so a user signed in on one
# continues on another. While the database is away a changed session stays in the cache (core/sessions.py).
SESSION_ENGINE = "core.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Authenticates nobody: loads a signed-in session's user with the organisation (accounts/backends.py).
    "accounts.backends.UserWithOrganisationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, no open sign-up, MFA by TOTP with recovery codes.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
# Notices of a change to the account (password, e-mail address, second factor), in the house style (accounts/adapter.py).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Behind reverse proxies the client's address comes from X-Forwarded-For, read through exactly this many
# proxies of our own (core/client_address.py); 0 means REMOTE_ADDR is the client. Rate limits and the audit trail use it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# A whole office may share one proxy address: failures are counted per account ("key") and per account
# and address (accounts.adapter), and the per-address ceilings are far above an office's rush after a
# mailing (a thousand colleagues signing in within minutes), so one person mistyping, or an attacker
# guessing one account, slows that account and nobody else.
ACCOUNT_RATE_LIMITS = {
    "login": "3000/5m/ip",
    "login_failed": "10/15m/key",
    "login_failed_account_address": "5/5m/key",
    # Not a refusal: past this an address is "busy failing" (accounts/adapter.py).
    "login_failed_address": "100/5m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
}
# From an address busy failing, accounts that failed within this many seconds are refused (accounts/adapter.py).
LOGIN_BUSY_SECONDS = env.int("LOGIN_BUSY_SECONDS", default=15 * 60)
LOGIN_ACCOUNT_FAILURE_SECONDS = env.int("LOGIN_ACCOUNT_FAILURE_SECONDS", default=15 * 60)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ambassadeursprogramma] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ambassadeursprogramma"
# One 30-second step of clock skew either way (RFC 6238); a used code stays refused for the whole window.
MFA_TOTP_TOLERANCE = 1
MFA_RATE_LIMITS = {"mfa_authenticate": "10/m/user"}
# The code fields with the phone's number pad (accounts/forms.py).
MFA_FORMS = {
    "authenticate": "accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "accounts.forms.MFAReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}

# Sign-in with the organisation's identity provider: the apps are the organisations' own
# (accounts.sso_adapter lists the one of the sign-in under way); matching is ours, by
# verified e-mail within the organisation's domains, never allauth's e-mail authentication.
SOCIALACCOUNT_ADAPTER = "accounts.sso_adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Required selects start on an empty "make a choice" option, never on a pre-selected answer (core/forms.py).
FORM_RENDERER = "core.forms.FormRenderer"

LANGUAGE_CODE = "nl"
# Each language by its own name, as a language switch shows it.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# locale_overrides/ puts allauth's Dutch in the programme's own "u" form; it is
# maintained by hand, so makemessages never touches it.
LOCALE_PATHS = [BASE_DIR / "locale_overrides", BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
# Numbers and dates follow the reader's language: "€ 22.670,50" and "1 dec. 2026" in Dutch.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads go through Django's storage API only (never a file path), so any backend works. The default is the local
# folder MEDIA_ROOT; with several web servers either share that folder (NFS) or set STORAGE_BACKEND=s3 for an
# S3-compatible object store (django-storages). Files are never handed out by URL: the views check access and
# stream storage.open() to the user, so the bucket stays private.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "location": env("AWS_LOCATION", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env.bool("AWS_S3_ENCRYPT", default=False)
            else {},
        },
    }
elif STORAGE_BACKEND == "local":
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("STORAGE_BACKEND is local or s3.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads live outside anything served directly; a view checks access and
# serves them as attachments.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
MEDIA_URL = "/uploads-not-served/"
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# An Office document (a zip) that unpacks to more than this is refused as a zip bomb (core/uploads.py).
UPLOAD_MAX_UNPACKED_BYTES = env.int("UPLOAD_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024)
UPLOAD_MAX_ARCHIVE_ENTRIES = env.int("UPLOAD_MAX_ARCHIVE_ENTRIES", default=10_000)
# ClamAV: when set, every upload is scanned before it is stored, and refused if clamd cannot be reached.
CLAMD_SOCKET = env("CLAMD_SOCKET", default="")
CLAMD_HOST = env("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)
# The audit trail's chain is an HMAC-SHA256 whose key is not in the database (core/audit.py): AUDIT_HMAC_KEY, or
# one derived from SECRET_KEY; the keys of AUDIT_HMAC_KEY_FALLBACKS and SECRET_KEY_FALLBACKS still verify after a
# rotation. Beat appends the chain's head every AUDIT_CHECKPOINT_SECONDS to the append-only AUDIT_CHECKPOINT_PATH.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY", default="")
AUDIT_HMAC_KEY_FALLBACKS = env.list("AUDIT_HMAC_KEY_FALLBACKS", default=[])
AUDIT_CHECKPOINT_PATH = Path(env("AUDIT_CHECKPOINT_PATH", default=str(VAR_DIR / "audit-checkpoints.log")))
AUDIT_CHECKPOINT_SECONDS = env.float("AUDIT_CHECKPOINT_SECONDS", default=300)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Never wait for ever on a mail server: a copy is sent only once it answered (programme/delivery.py, core/mail.py).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Ambassadeursprogramma <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport,
# which needs no server and is shared by the web process and the worker.
CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        # A task of a worker that died unacknowledged goes to another worker after this long.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # kombu's exchange tables; its default is a "control" folder in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A department's counts (activities, feedback, data-leak reports per quarter) are counted for all departments at
# once by beat every DASHBOARD_ROLLUP_SECONDS; the manager dashboard and the register read them with their age, and
# count live when the last count is older than DASHBOARD_ROLLUP_MAX_AGE_SECONDS (0: always live).
DASHBOARD_ROLLUP_SECONDS = env.float("DASHBOARD_ROLLUP_SECONDS", default=300)
DASHBOARD_ROLLUP_MAX_AGE_SECONDS = env.int("DASHBOARD_ROLLUP_MAX_AGE_SECONDS", default=60 * 60)
# The schedule lives in the database (django-celery-beat, visible to superusers
# in the admin); these entries are written there when beat starts.
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "core.tasks.sweep_outbox", "schedule": 60.0},
    "purge-submission-tokens": {"task": "core.tasks.purge_submission_tokens", "schedule": crontab(hour=3, minute=30)},
    "start-quarterly-mailings": {"task": "programme.tasks.start_due_mailings", "schedule": crontab(hour=7, minute=0)},
    "resume-stalled-mailings": {
        "task": "programme.tasks.resume_stalled_mailings",
        "schedule": env.float("MAILING_RESUME_SECONDS", default=60),
    },
    "dataleak-deadline-reminders": {
        "task": "incidents.tasks.send_deadline_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "dataleak-retention": {"task": "incidents.tasks.purge_dataleak_details", "schedule": crontab(hour=2, minute=30)},
    "training-session-reminders": {"task": "training.tasks.enqueue_session_reminders", "schedule": crontab(minute=5)},
    "ambassador-term-end-reminders": {
        "task": "ambassadors.tasks.send_term_end_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "ambassador-idle-reminders": {
        "task": "ambassadors.tasks.send_idle_reminders",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
    },
    "feedback-unanswered-reminders": {
        "task": "ambassadors.tasks.send_unanswered_feedback_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "department-programme-reminders": {
        "task": "ambassadors.programmes.tasks.send_programme_reminders",
        "schedule": crontab(hour=8, minute=45, day_of_week="mon-fri"),
    },
    "dashboard-rollups": {
        "task": "evaluation.tasks.refresh_rollups",
        "schedule": DASHBOARD_ROLLUP_SECONDS,
    },
    "audit-checkpoint": {"task": "core.tasks.audit_checkpoint", "schedule": AUDIT_CHECKPOINT_SECONDS},
    "budget-overrun-alerts": {
        "task": "programme.tasks.send_budget_overrun_alerts",
        "schedule": crontab(hour=6, minute=45),
    },
}
# Reminders, each with its own setting.
REMINDER_AMBASSADOR_IDLE_DAYS = env.int("REMINDER_AMBASSADOR_IDLE_DAYS", default=28)
REMINDER_FEEDBACK_UNANSWERED_DAYS = env.int("REMINDER_FEEDBACK_UNANSWERED_DAYS", default=14)
# A live mailing run refreshes its claim every quarter of this; a claim older than this belongs to a run that
# died and is taken up again (programme/delivery.py). Safe however short: a copy is only marked sent while its
# row is still in the marking run's claim.
MAILING_STALE_CLAIM_SECONDS = env.float("MAILING_STALE_CLAIM_SECONDS", default=120)
# How many delivery runs a quarterly mailing starts (and a resumed one restarts): set it to the number of Celery
# workers that should share a mailing; each run claims its own chunks, so no copy goes out twice.
MAILING_DELIVERY_RUNS = env.int("MAILING_DELIVERY_RUNS", default=2)
# A repeated form token or API Idempotency-Key counts as the same submission for this many days.
SUBMISSION_TOKEN_DAYS = env.int("SUBMISSION_TOKEN_DAYS", default=30)
# How often beat looks for mailings whose runs died and resumes them.
MAILING_RESUME_SECONDS = env.float("MAILING_RESUME_SECONDS", default=60)
# Organisation-wide dashboard aggregates (managers' averages, heat map) are recomputed after this long (0: every view).
DASHBOARD_AVERAGES_SECONDS = env.int("DASHBOARD_AVERAGES_SECONDS", default=15 * 60)

# Security headers. A strict Content-Security-Policy: every asset from 'self'.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page uses the camera, microphone, location, payment or the like: the browser refuses them to any script.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# The REST API (api app): tokens per organisation, JSON only, problem details for errors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"api_token": env("API_RATE_LIMIT", default="120/min")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Refused tokens from one address per minute before the address itself is refused for a minute.
API_AUTH_FAILURES_PER_MINUTE = env.int("API_AUTH_FAILURES_PER_MINUTE", default=30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Ambassadeursprogramma API",
    "DESCRIPTION": (
        "Read the programme's topics, KPIs and data-leak register, hand over suspected data leaks and import "
        "employees. Every call carries a token of one organisation (Authorization: Bearer <token>) with the scopes "
        "it needs. Errors are problem details (RFC 9457) in Dutch or English, by Accept-Language."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "APPEND_COMPONENTS": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer", "description": "An API token (amb_...)."}}
    },
    "SECURITY": [{"token": []}],
    "AUTHENTICATION_WHITELIST": [],
    # Several choice sets are called "status": each gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "KpiStatusEnum": "programme.kpi_status.Status",
        "DataLeakStateEnum": "incidents.state.LeakState",
        "DataLeakAPStatusEnum": "incidents.state.APStatus",
    },
}

# Data leaks: how long after closure the reporter's details and free texts
# are kept before the retention job erases them (the register's facts remain).
DATALEAK_RETENTION_DAYS = env.int("DATALEAK_RETENTION_DAYS", default=5 * 365)

# LOG_FORMAT=json: one JSON object per line for the log platform; either way every line carries the request id
# (core/logging.py; "-" outside a request).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step, fontTools every font it reads: only their warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Prometheus metrics at /metrics (config/metrics.py), only for the configured scraper: its bearer token and/or
# its addresses (networks allowed); each one set must hold, and with neither /metrics answers 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# A scraper inside the cluster asks over plain HTTP: no redirect to HTTPS for /metrics.
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]

MESSAGE_TAGS = {40: "danger"}
