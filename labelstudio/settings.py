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
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
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
EXPORT_SCHEDULE_RETRY_SECONDS = env_int("EXPORT_SCHEDULE_RETRY_SECONDS", 60)
TASK_LOCK_TTL_SECONDS = env_int("TASK_LOCK_TTL_SECONDS", 600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The cache carries live job progress between processes (labelstudio/core/jobs.py).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
