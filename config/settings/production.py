"""Production: PostgreSQL, Redis, whitenoise, gunicorn.

Fails fast when half-configured: the base defaults (SQLite, an in-memory broker
that loses every task, a local cache per process, 127.0.0.1 frozen into every
certificate's QR code) are for a laptop, never for production.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

REQUIRED_VARIABLES = {
    "DJANGO_SECRET_KEY": "a long random secret",
    "DATABASE_URL": "e.g. postgres://user:pass@host:5432/hocso",
    "CELERY_BROKER_URL": "e.g. redis://host:6379/0",
    "REDIS_URL": "e.g. redis://host:6379/1 (rate limits and sessions shared by every process)",
    "SITE_URL": "the public address, e.g. https://hocso.example.vn (printed in QR codes)",
}

# Checked before the base settings read them: an empty DATABASE_URL would
# otherwise fail there with a KeyError that names nothing.
environ.Env.read_env(Path(__file__).resolve().parents[2] / ".env", overwrite=False)
for _name, _hint in REQUIRED_VARIABLES.items():
    if not environ.Env()(_name, default="").strip():
        raise ImproperlyConfigured(f"{_name} must be set in production ({_hint}).")

from .base import *  # noqa: E402, F403
from .base import MIDDLEWARE, STORAGES, env  # noqa: E402

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False

# Static files straight from gunicorn, compressed and cache-busted.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is hard to undo (browsers ship the list): opt in on purpose.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview frames our own pages, so SAMEORIGIN rather than DENY.
X_FRAME_OPTIONS = "SAMEORIGIN"
# W019: X_FRAME_OPTIONS is SAMEORIGIN on purpose (above); W021: preload is opt-in.
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W021"]
