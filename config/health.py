"""``/healthz`` for the load balancer and the process supervisor.

The database decides: without it nothing works (503). The cache and the
broker are reported but do not fail the check: the site serves without the
cache (config.cache) and completions are recorded without the broker (the
certificate sweep enqueues them later); taking web nodes out of rotation for
either would turn a degraded service into none.
"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .cache import cache_available

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 0.5


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: database unreachable")
        return "unavailable"
    return "ok"


def _broker() -> str:
    from config.celery_app import app

    if app.conf.task_always_eager or app.conf.broker_url.startswith("memory://"):
        return "eager"
    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
    except Exception as error:
        logger.warning("health: broker unreachable (%s)", error)
        return "unavailable"
    return "ok"


PATH = "/healthz"


@never_cache
def healthz(request):
    report = {
        "database": _database(),
        "cache": "ok" if cache_available() else "unavailable",
        "broker": _broker(),
    }
    return JsonResponse(report, status=200 if report["database"] == "ok" else 503)


class HealthzMiddleware:
    """Answers ``/healthz`` first, before any middleware that needs the
    database (the site lookup) or redirects plain HTTP (production's SSL
    redirect): the check reports, it must not fail on what it reports."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
