"""/healthz: the database decides; the cache and the broker are reported."""

import json
import os
import subprocess
import sys
import time

import pytest

from tests.services import BASE_DIR, broker_unreachable, dead_redis_cache

pytestmark = pytest.mark.django_db


def test_healthz_reports_everything_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_stays_200_while_the_cache_is_down(client, settings):
    settings.CACHES = dead_redis_cache()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"


def test_healthz_stays_200_and_answers_fast_while_the_broker_is_down(client, monkeypatch):
    with broker_unreachable(monkeypatch):
        started = time.perf_counter()
        response = client.get("/healthz")
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"
    assert elapsed < 1.5


SCRIPT = """
import django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(response.status_code, response.content.decode())
"""


def test_healthz_is_503_when_the_database_is_unreachable():
    """A real unreachable PostgreSQL (nothing listens on port 1), in a process
    of its own so this test's database stays untouched."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/hocso_absent",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, body = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", done.stderr
    assert json.loads(body)["database"] == "unavailable"
