"""Settings for the test suite: fast hashing, eager Celery unless a broker is given."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Eager by default even when a broker is configured; the worker tests switch
# eager off for themselves and send real messages through Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Parallel test processes (pytest-xdist) share one Redis: give each its own
# key space, so one process clearing the cache cannot reset another's counters.
if "default" in CACHES and "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] += "-" + env("PYTEST_XDIST_WORKER", default="main")  # noqa: F405
# The replica alias always exists in tests, as a mirror of the test database
# (Django's test mirror: a second connection to the same database). Reads use
# it only where a test turns REPORTS_READ_REPLICA on (tests/reports/test_replica.py).
DATABASES.setdefault("replica", {**DATABASES["default"]})  # noqa: F405
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
REPORTS_READ_REPLICA = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/hocso-test-media")  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "cadres.private_files.PrivateFileSystemStorage"},
}
# A sibling of MEDIA_ROOT (never inside it), so parallel checkouts keep theirs apart.
PRIVATE_MEDIA_ROOT = env.path(
    "PRIVATE_MEDIA_ROOT", default=f"{str(MEDIA_ROOT).rstrip('/')}-private"
)
