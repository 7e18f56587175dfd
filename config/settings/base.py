"""Settings shared by every environment.

Behaviour is switched by environment variables read through one
``environ.Env`` object; the per-environment modules only change defaults.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed:
# rate limits and the audit log take the client's address through them only
# (cadres.network.client_ip). None by default: the socket's address.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from _error

INSTALLED_APPS = [
    # Our apps come first so their templates (allauth's pages, Wagtail login)
    # and translations win over the packages' own.
    "cadres",
    "courses",
    "assessments",
    "trainings",
    "certificates",
    "reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "cadres.accounts.apps.UsersAppConfig",  # wagtail.users with a role-aware user editor
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "config.health.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cadres.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "courses.middleware.TreeCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Content-Security-Policy (config.security_headers): scripts and styles from
# our origin only; media may come from the object store (https:); lesson video
# embeds are frames from their providers (https:).
_CSP_COMMON = (
    "default-src 'self'; img-src 'self' data: blob: https:; media-src 'self' https:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self' https:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
SECURITY_CSP = env("SECURITY_CSP", default=f"{_CSP_COMMON}; script-src 'self'; style-src 'self'")
# The Wagtail admin (editor, choosers, previews) needs inline scripts and styles.
SECURITY_ADMIN_PATH_PREFIX = "/quan-tri/"
SECURITY_CSP_ADMIN = env(
    "SECURITY_CSP_ADMIN",
    default=f"{_CSP_COMMON}; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'",
)
SECURITY_PERMISSIONS_POLICY = env(
    "SECURITY_PERMISSIONS_POLICY",
    default="accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# The embedded default is SQLite in WAL mode; production sets DATABASE_URL.
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    # Persistent connections with health checks: on this kind of machine they
    # triple Wagtail's throughput on PostgreSQL.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A read replica (optional): report and dashboard reads go there
# (config/routers.py); writes and read-after-write stay on the primary.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **env.db("DATABASE_REPLICA_URL"),
        # The test run reads the primary through this alias (no second database).
        "TEST": {"MIRROR": "default"},
    }
# Whether report reads use it (the test settings keep the alias but turn this off).
REPORTS_READ_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "cadres.User"

# Sessions read from the cache first: every learner page needs one. The
# database holds every session, so a cache outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Cache ----------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Serves as "no cache" while Redis is unreachable (config/cache.py).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hocso",
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=5.0),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hocso",
        }
    }

# --- Authentication (django-allauth) ---------------------------------------
AUTHENTICATION_BACKENDS = [
    "cadres.accounts.backends.PhoneBackend",
    "cadres.accounts.backends.UsernameBackend",
    "cadres.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PASSWORD_MIN_LENGTH = 10
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "cadres.accounts.adapters.AccountAdapter"
# Cadres are put on the roster by HR, never by themselves.
ACCOUNT_ALLOW_SIGNUPS = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Học số"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [SITE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Off: with the Vietnamese format it printed every integer a template outputs
# as "1.234" -- ids, seconds and form values meant for code included (a timed
# quiz read 1.199 s as 1 s). Figures for people are grouped on purpose with the
# ``figure`` and ``percent`` filters (cadres/templatetags/figures.py).
USE_THOUSAND_SEPARATOR = False

# --- Static and media -------------------------------------------------------
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Optional S3-compatible object storage for media (certificates, documents).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False

# Personal files (certificates, their ZIP exports, uploaded rosters): never under
# MEDIA_ROOT, never at a public URL; see cadres/private_files.py and the README.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
# "django" streams the file; "nginx" answers with X-Accel-Redirect to this prefix,
# which the web server maps to PRIVATE_MEDIA_ROOT in an `internal` location.
PRIVATE_MEDIA_SERVE = env("PRIVATE_MEDIA_SERVE", default="django")
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", default="/_private/")
PRIVATE_MEDIA_URL_SECONDS = env.int("PRIVATE_MEDIA_URL_SECONDS", default=60)
STORAGES["private"] = {"BACKEND": "cadres.private_files.PrivateFileSystemStorage"}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_PRIVATE_STORAGE_BUCKET_NAME", default=AWS_STORAGE_BUCKET_NAME),
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": PRIVATE_MEDIA_URL_SECONDS,
            "file_overwrite": False,
        },
    }

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every
# task unless this is set, then only every this many tasks: a new PostgreSQL
# backend per task costs more than a short task itself. Stale or broken
# connections are dropped around each task by config.celery_app instead,
# honouring CONN_MAX_AGE and CONN_HEALTH_CHECKS as a web request does.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that loses the broker reconnects for ever (a supervisor restarts it
# if it dies anyway; deploy/systemd). Tasks running when the connection dropped
# are cancelled: with acks_late their messages come back, and every task is
# idempotent.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A publish from a web request gives up fast when the broker is down: the
# request that completed a course must not wait for it, and the certificate
# sweep enqueues whatever was not (certificates.receivers logs each one).
# One immediate retry: a connection the pool kept from before a broker restart
# fails once, then a fresh one succeeds; a broker that is down fails twice fast.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=0.2)
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.05,
    "interval_max": 0.05,
}
# Periodic jobs; each app adds its own entries in its section at the end.
CELERY_BEAT_SCHEDULE: dict = {}

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Học số"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "txt", "csv", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's own login form is not throttled: staff sign in through allauth.
WAGTAILADMIN_LOGIN_URL = "/tai-khoan/login/"
WAGTAIL_FRONTEND_LOGIN_URL = WAGTAILADMIN_LOGIN_URL
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# Links are shared on Zalo: a slug with diacritics becomes "%E1%BB%AD…".
# New slugs are ASCII (courses.forms.AsciiSlugPageForm folds "đ" to "d" too);
# the model field still accepts the Unicode slugs existing pages carry.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Học số <khong-tra-loi@hocso.local>")
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}


# A worker in the test suite listens on a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")

# --- cadres (accounts, roster import) ------------------------------------------
# allauth ships no Vietnamese; our catalogue for its msgids sits after the
# project's own (which makemessages writes), so regenerating never touches it.
LOCALE_PATHS += [SITE_DIR / "locale" / "allauth"]
# Likewise Wagtail's admin: its own Vietnamese covers a sixth of the admin.
# Locale paths come before the apps' catalogues, so these entries win.
LOCALE_PATHS += [SITE_DIR / "locale" / "wagtail"]
TEMPLATES[0]["OPTIONS"]["context_processors"] += ["cadres.context_processors.notifications"]
MIDDLEWARE += [
    "cadres.accounts.middleware.WagtailLoginThroughAllauthMiddleware",
    "cadres.accounts.middleware.MFARequiredMiddleware",
    "cadres.accounts.middleware.SignInNeedsCacheMiddleware",
]
ACCOUNT_FORMS = {"login": "cadres.accounts.forms.LoginForm"}
# Activation codes tried per hour (/tai-khoan/kich-hoat/): per username, per address.
CADRES_ACTIVATION_ATTEMPTS_PER_USERNAME = env.int(
    "CADRES_ACTIVATION_ATTEMPTS_PER_USERNAME", default=5
)
CADRES_ACTIVATION_ATTEMPTS_PER_IP = env.int("CADRES_ACTIVATION_ATTEMPTS_PER_IP", default=20)
# A unit's printable list of activation codes is deleted at its first download,
# or this many hours after it was ready; a list whose job has not moved for
# this many minutes is given up (the officer issues again).
CADRES_ACTIVATION_LIST_HOURS = env.int("CADRES_ACTIVATION_LIST_HOURS", default=24)
CADRES_ACTIVATION_STALLED_MINUTES = env.int("CADRES_ACTIVATION_STALLED_MINUTES", default=30)
CELERY_BEAT_SCHEDULE["cadres-activation-sweep"] = {
    "task": "cadres.tasks.activation_batches_sweep_task",
    "schedule": 600.0,
}
# Wagtail's password reset would be a second, unthrottled way in.
WAGTAIL_PASSWORD_RESET_ENABLED = False


# --- courses -----------------------------------------------------------------------


# --- assessments -----------------------------------------------------------------
# A last submit that left the phone just before the deadline still counts.
ASSESSMENTS_GRACE_SECONDS = env.int("ASSESSMENTS_GRACE_SECONDS", default=30)
CELERY_BEAT_SCHEDULE["assessments-close-overdue"] = {
    "task": "assessments.tasks.attempts_close_overdue_task",
    "schedule": 60.0,
}


# --- trainings -----------------------------------------------------------------------
# The check-in QR code changes every this many seconds.
TRAININGS_QR_WINDOW_SECONDS = env.int("TRAININGS_QR_WINDOW_SECONDS", default=20)
CELERY_BEAT_SCHEDULE["trainings-reminders"] = {
    "task": "trainings.tasks.session_reminders_send_task",
    "schedule": 300.0,
}


# --- certificates ----------------------------------------------------------------
# The class that draws certificates; tests point it at a slower subclass to
# widen the window in which they kill a worker mid-render.
CERTIFICATES_RENDERER = env(
    "CERTIFICATES_RENDERER", default="certificates.rendering.CertificateRenderer"
)
# Pending certificates older than this are re-enqueued by the sweep; completions
# this old with no certificate get one requested.
CERTIFICATES_SWEEP_GRACE_SECONDS = env.int("CERTIFICATES_SWEEP_GRACE_SECONDS", default=30)
CERTIFICATES_SWEEP_INTERVAL_SECONDS = env.int("CERTIFICATES_SWEEP_INTERVAL_SECONDS", default=30)
CELERY_BEAT_SCHEDULE["certificates-sweep"] = {
    "task": "certificates.tasks.certificates_sweep_task",
    "schedule": float(CERTIFICATES_SWEEP_INTERVAL_SECONDS),
}
# A worker that connects to the broker (starting, or after losing it) sweeps at
# once with no grace: a broker restarted without its data lost every queued
# message, and duplicates of the ones it kept are harmless (idempotent issue).
WORKER_ON_CONNECT_TASKS = [
    ("certificates.tasks.certificates_sweep_task", {"grace_seconds": 0}),
]
# Public verification: look-ups per client address per minute (cache-counted).
CERTIFICATES_VERIFY_RATE_PER_MINUTE = env.int("CERTIFICATES_VERIFY_RATE_PER_MINUTE", default=30)
# With acks_late, a message a killed worker held comes back after this many
# seconds (Redis transport), looked for every unacked_restore_interval seconds.
# A task still running then is delivered a second time: every task here is
# idempotent, so the second run finds the work done (certificates.services).
# Socket timeouts and health checks make a dead broker connection fail fast
# instead of hanging, so the worker reconnects.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=45),
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=0.2),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=10.0),
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 10,
    # Opening a connection to publish (kombu's default_channel) tries once
    # instead of retrying for ever at 2 s intervals (the publish retry policy
    # above gives it a second go); a worker's own reconnection loop is not
    # bound by this (broker_connection_retry).
    "max_retries": 0,
}


# --- reports -----------------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402

# Weekly reminders to cadres with an incomplete required course, and each HR
# officer's digest of their subtree's gaps: Monday 07:00, idempotent per ISO week.
CELERY_BEAT_SCHEDULE["reports-weekly-reminders"] = {
    "task": "reports.tasks.weekly_reminders_send_task",
    "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
}
# Report exports (XLSX, CSV) are deleted, files and all, a day after they were asked for.
CELERY_BEAT_SCHEDULE["reports-exports-purge"] = {
    "task": "reports.tasks.report_exports_purge_task",
    "schedule": 3600.0,
}
# So are the ZIPs of a unit's certificates.
CELERY_BEAT_SCHEDULE["certificates-exports-purge"] = {
    "task": "certificates.tasks.certificate_exports_purge_task",
    "schedule": 3600.0,
}
