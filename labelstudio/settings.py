"""All settings. Production and tests differ only through environment variables (docs/configuration.md)."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DATA_DIR = Path(os.environ.get("LABELSTUDIO_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
# The embedded default (SQLite, no REDIS_URL, e.g. `manage.py start` on a laptop) answers any
# host name; a deployment (REDIS_URL or DATABASE_URL set) must name its hosts.
EMBEDDED_DEFAULT = not os.environ.get("REDIS_URL") and not os.environ.get("DATABASE_URL")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "*" if EMBEDDED_DEFAULT else "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "labelstudio.core",
    "projects",
    "tasks",
    "annotators",
    "ml_backends",
    "labelstudio.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "labelstudio.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "labelstudio.core.middleware.ContentSecurityPolicyMiddleware",
    "labelstudio.core.db_retry.RetryDroppedConnection",  # last: its retry re-runs only the view
]

ROOT_URLCONF = "labelstudio.urls"
WSGI_APPLICATION = "labelstudio.wsgi.application"

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
                "labelstudio.core.context_processors.people",
            ],
        },
    },
]

# Database: SQLite in the data dir by default (WAL, immediate transactions so writers queue
# instead of failing), PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'labelstudio.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # a kept connection is checked before a request reuses it: one the server dropped
        # (restart, pg_terminate_backend, idle timeout) is reopened instead of costing a 500
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(DATA_DIR / "test.sqlite3")
elif env_bool("DB_PREPARED_STATEMENTS"):
    # Opt-in (PostgreSQL, psycopg 3): server-side binding + prepared statements, so hot queries
    # are planned once per connection, not per request (next-task/submit: about half the database
    # CPU, docs/benchmarks.md). Not behind a transaction-mode pgbouncer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
# Hand-written hot statements (token auth, next task, submit) are prepared on PostgreSQL
# (labelstudio/core/rawsql.py); off only behind a transaction-mode pgbouncer older than 1.21.
DB_PREPARE_HOT_SQL = env_bool("DB_PREPARE_HOT_SQL", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log in with the username or the e-mail address (Label Studio's form and legacy client send it).
AUTHENTICATION_BACKENDS = ["labelstudio.core.backends.UsernameOrEmailBackend"]

# Attempt limits (annotators/people/throttle.py): failures per account / per address, and
# password-reset requests per e-mail / per address, within one window.
THROTTLE_WINDOW_SECONDS = env_int("THROTTLE_WINDOW_SECONDS", 900)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
PASSWORD_RESETS_PER_ACCOUNT = env_int("PASSWORD_RESETS_PER_ACCOUNT", 3)
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 10)
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# HTTPS (docs/start.md): behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1 (trusts
# X-Forwarded-Proto: https), HTTPS=1 for Secure cookies and the redirect, HSTS_SECONDS for HSTS.
HTTPS = env_bool("HTTPS", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (labelstudio/core/middleware.py): scripts only from this server; task
# media (images, audio, video) may come from anywhere a task's URL points.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https: http:; media-src 'self' data: blob: https: http:; "
    "connect-src 'self' https: http:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'",
)
CONTENT_SECURITY_POLICY_API_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://cdn.jsdelivr.net; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)

# E-mail (invitations, password reset): printed to the console unless EMAIL_HOST is set (SMTP).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "labelstudio@localhost")
INVITE_EMAIL_DAYS = env_int("INVITE_EMAIL_DAYS", 14)
# The public URL (e.g. https://label.example.com): links in e-mails and invitations use it.
LABELSTUDIO_HOST = os.environ.get("LABELSTUDIO_HOST", "").rstrip("/")

# Optional single sign-on through OpenID Connect (annotators/people/oidc.py, docs/permissions.md):
# on when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_DEFAULT_ROLE = os.environ.get("OIDC_DEFAULT_ROLE", "annotator")
OIDC_ORGANIZATION = env_int("OIDC_ORGANIZATION", 0)  # 0: the first organization
OIDC_REQUIRE_VERIFIED_EMAIL = env_bool("OIDC_REQUIRE_VERIFIED_EMAIL", True)
OIDC_ALLOWED_DOMAINS = [d.strip().lower() for d in os.environ.get("OIDC_ALLOWED_DOMAINS", "").split(",") if d.strip()]
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "Log in with single sign-on")
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("annotators.people.oidc.OrganizationOIDCBackend")
if env_bool("FAST_PASSWORD_HASHER"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/data/"

LOGIN_URL = "/user/login/"
LOGIN_REDIRECT_URL = "/projects/"
LOGOUT_REDIRECT_URL = "/user/login/"
LOGIN_REDIRECT_URL_FAILURE = "/user/login/?sso=failed"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "labelstudio.core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "labelstudio.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "labelstudio.core.exceptions.exception_handler",
    # bounded, strict JSON in (size, depth, finite numbers, no NUL); non-finite floats out as null
    "DEFAULT_PARSER_CLASSES": [
        "labelstudio.core.parsers.SafeJSONParser",
        "labelstudio.core.parsers.SafeFormParser",
        "labelstudio.core.parsers.SafeMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "labelstudio.core.renderers.SafeJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # slow outbound calls a user can start (ML backend health check, test predict): per user
    "DEFAULT_THROTTLE_RATES": {
        "ml_check": os.environ.get("ML_CHECK_RATE", "20/min"),
        "ml_interactive": os.environ.get("ML_INTERACTIVE_RATE", "120/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "labelstudio API",
    "DESCRIPTION": "Projects, tasks, completions (annotations), predictions, ML backends and jobs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Background jobs: Redis when REDIS_URL is set, else kombu's filesystem transport in the data dir.
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = DATA_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    for sub in ("out", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),  # kombu's default is ./control in the cwd
        "store_processed": False,
        "polling_interval": 0.1,  # seconds; kombu's default (1 s) delays every job's start
    }
# Jobs' liveness (labelstudio/core/jobs.py, reaper.py; docs/reliability.md). A running job's worker
# beats every JOB_HEARTBEAT_SECONDS; the reaper (on beat, every JOB_REAPER_SECONDS) requeues a job
# whose beat is older than JOB_STALE_SECONDS, or a queued job whose message Redis no longer holds
# (without Redis: that no worker took within JOB_QUEUED_STALE_SECONDS), at most
# JOB_MAX_REQUEUES times, then fails it with the reason.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", 5))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", 60))
JOB_QUEUED_STALE_SECONDS = float(os.environ.get("JOB_QUEUED_STALE_SECONDS", 1800))
JOB_REAPER_SECONDS = float(os.environ.get("JOB_REAPER_SECONDS", 30))
JOB_MAX_REQUEUES = env_int("JOB_MAX_REQUEUES", 3)
# Redis redelivers an unacknowledged message after this long; it must outlast the longest job
# (else a healthy long job would be delivered twice — harmless, the duplicate sees it alive, but
# wasteful). A dead worker's job does not wait for it: the reaper requeues it.
BROKER_VISIBILITY_TIMEOUT = env_int("BROKER_VISIBILITY_TIMEOUT", 24 * 3600)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
# a message that cannot be sent fails fast (the caller keeps it: job row or outbox) instead of
# holding a web request while the broker is down
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True  # a job whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "expire-export-files": {"task": "tasks.expire_exports", "schedule": 3600.0},
    "expire-task-locks": {"task": "annotators.expire_task_locks", "schedule": 600.0},
    "check-ml-backends": {"task": "ml_backends.check_backends", "schedule": 300.0},
    "reap-jobs": {"task": "core.reap_jobs", "schedule": JOB_REAPER_SECONDS},
}
CELERY_TIMEZONE = TIME_ZONE

# Outgoing HTTP (URL imports, ML backends, webhooks): private addresses are refused unless allowed.
# The embedded default allows loopback so a model server on the same laptop works.
ALLOW_PRIVATE_URLS = env_bool("LABELSTUDIO_ALLOW_PRIVATE_URLS", False)
ALLOW_LOOPBACK_URLS = env_bool("LABELSTUDIO_ALLOW_LOOPBACK_URLS", not REDIS_URL)

# Limits on what users send us.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 2 * 1024**3)
IMPORT_MAX_FILES = env_int("IMPORT_MAX_FILES", 1000)  # files per import, archive members included
IMPORT_MAX_ARCHIVE_BYTES = env_int("IMPORT_MAX_ARCHIVE_BYTES", 4 * 1024**3)  # uncompressed, per import
IMPORT_MAX_ARCHIVE_RATIO = env_int("IMPORT_MAX_ARCHIVE_RATIO", 100)  # uncompressed / compressed
IMPORT_MAX_JSON_DEPTH = env_int("IMPORT_MAX_JSON_DEPTH", 32)  # nesting of one task's JSON
# PostgreSQL: let an import skip per-row foreign-key triggers when the role may (docs/import.md)
IMPORT_PG_SKIP_FK_TRIGGERS = env_bool("IMPORT_PG_SKIP_FK_TRIGGERS", True)
IMPORT_INLINE_MAX_BYTES = env_int("IMPORT_INLINE_MAX_BYTES", 256 * 1024)  # smaller imports finish in the request
DATA_UPLOAD_MAX_NUMBER_FILES = IMPORT_MAX_FILES + 1  # the import view reports the limit itself
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024**2)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024**2
# JSON API bodies (not imports, which stream): refused with 413 above this size, 400 deeper than this
API_JSON_MAX_BYTES = env_int("API_JSON_MAX_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 64)
# regions (result items) one completion, draft or prediction may hold; a project may lower or raise it
MAX_REGIONS_PER_RESULT = env_int("MAX_REGIONS_PER_RESULT", 2000)
EXPORT_FILE_TTL_DAYS = env_int("EXPORT_FILE_TTL_DAYS", 14)
# Export schedules may write only under these directories (os.pathsep-separated); retries back off from this.
EXPORT_LOCAL_ROOTS = [p for p in os.environ.get("EXPORT_LOCAL_ROOTS", "").split(os.pathsep) if p] or [
    str(DATA_DIR / "export-targets")
]
# Label Studio's local-files storage: off unless enabled; directories under the document root only.
LOCAL_FILES_SERVING_ENABLED = env_bool("LOCAL_FILES_SERVING_ENABLED", False)
LOCAL_FILES_DOCUMENT_ROOT = Path(os.environ.get("LOCAL_FILES_DOCUMENT_ROOT", DATA_DIR / "local-files")).resolve()
EXPORT_SCHEDULE_RETRY_SECONDS = env_int("EXPORT_SCHEDULE_RETRY_SECONDS", 60)
TASK_LOCK_TTL_SECONDS = env_int("TASK_LOCK_TTL_SECONDS", 90)
# This server's public address (Label Studio's LABEL_STUDIO_HOST): media URLs on it are read from disk.
LABELSTUDIO_HOST = os.environ.get("LABELSTUDIO_HOST") or os.environ.get("LABEL_STUDIO_HOST", "")

# People (docs/permissions.md): the organization made on first start, and which organization
# roles may create projects (staff and users given Django's projects.add_project right always may).
DEFAULT_ORGANIZATION_TITLE = os.environ.get("DEFAULT_ORGANIZATION_TITLE", "My organization")
PROJECT_CREATOR_ROLES = [
    r for r in os.environ.get("PROJECT_CREATOR_ROLES", "owner,administrator,manager").split(",") if r
]
INVITE_MAX_DAYS = env_int("INVITE_MAX_DAYS", 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The cache carries live job progress between processes (labelstudio/core/jobs.py).
if REDIS_URL:
    CACHES = {
        "default": {
            # degrades to "nothing cached" while Redis is down (labelstudio/core/cache.py)
            "BACKEND": "labelstudio.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
