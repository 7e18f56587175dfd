"""Helpers for tests that need a real service (PostgreSQL, Redis, a Celery
worker, Chromium). On a bare machine they skip; with REQUIRE_SERVICES=1 (as
in .ci/run) a missing service is a failure, so CI cannot pass by skipping."""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = BASE_DIR / "test-artifacts"


def need(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


def need_postgres() -> None:
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def redis_url() -> str:
    from django.conf import settings

    return settings.CELERY_BROKER_URL if settings.CELERY_BROKER_URL.startswith("redis") else ""


def need_redis() -> str:
    url = redis_url()
    reachable = False
    if url:
        import redis

        try:
            reachable = bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
        except redis.RedisError:
            reachable = False
    need(reachable, "Redis (CELERY_BROKER_URL)")
    return url


def need_chromium() -> str:
    need(Path(CHROMIUM).exists() or bool(shutil.which("chromium")), "Chromium")
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def _database_url() -> str:
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s.get('USER') or 'postgres'}{password}@{host}:{port}/{s['NAME']}"


@contextmanager
def celery_worker(*, concurrency: int = 1, pool: str = "prefork"):
    """Start a real Celery worker process on a queue of its own, against the
    test database, and point the app at that queue (not eager) meanwhile.

    Yields the worker's Popen so a test can kill it.
    """
    from config.celery_app import app

    need_postgres()
    broker = need_redis()
    queue = f"hocso-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_RESULT_BACKEND": broker,
    }
    log = open(artifacts_dir() / f"worker-{queue}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-c",
            str(concurrency),
            "-P",
            pool,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    keys = ("task_always_eager", "task_default_queue", "broker_url", "result_backend")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False, task_default_queue=queue, broker_url=broker, result_backend=broker
    )
    forget_backend(app)
    try:
        _wait_ready(queue, process)
        yield process
    finally:
        app.conf.update(previous)
        forget_backend(app)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _wait_ready(queue: str, process, timeout: float = 60) -> None:
    from config.celery_app import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited early ({process.returncode})")
        replies = app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=1)
        if replies:
            return
    raise RuntimeError("celery worker did not become ready")


def forget_backend(app) -> None:
    """Celery caches the result backend (on the app and per thread) and the
    producer pool; drop them so changed URLs apply."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app.__dict__.pop("backend", None)
    app._pool = None
