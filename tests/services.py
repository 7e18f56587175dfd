"""Helpers for tests that need a real service (PostgreSQL, Redis, a Celery
worker, Chromium). On a bare machine they skip; with REQUIRE_SERVICES=1 (as
in .ci/run) a missing service is a failure, so CI cannot pass by skipping."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import close_old_connections, connection

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


def cache_clear() -> None:
    """Empty this test process's cache, and only its own.

    Django's Redis cache clears with FLUSHDB, which also wipes the keys of the
    other xdist process (a rate-limit counter in the middle of its test),
    whatever KEY_PREFIX says: on Redis, delete the keys under our prefix.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


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
def celery_worker(
    *,
    queue: str | None = None,
    concurrency: int = 1,
    pool: str = "prefork",
    env: dict | None = None,
):
    """Start a real Celery worker process against the test database, on a
    queue of its own unless one is given (a second worker can take over the
    messages of one a test killed), and point the app at that queue (not
    eager) meanwhile. ``env`` adds to the worker's environment.

    Yields the worker's Popen so a test can kill it.
    """
    from config.celery_app import app

    need_postgres()
    broker = need_redis()
    queue = queue or new_queue()
    name = f"{queue}-{uuid.uuid4().hex[:4]}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_RESULT_BACKEND": broker,
        **(env or {}),
    }
    log = open(artifacts_dir() / f"worker-{name}.log", "w")  # noqa: SIM115
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
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = celery_configure(
        app,
        task_always_eager=False,
        task_default_queue=queue,
        broker_url=broker,
        result_backend=broker,
    )
    forget_backend(app)
    try:
        _wait_ready(name, process)
        yield process
    finally:
        celery_configure(app, **previous)
        forget_backend(app)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def celery_configure(app, **settings) -> dict:
    """Override Celery settings (plain names, e.g. ``task_always_eager``) and
    return their previous values, to pass back when done.

    They are set under the ``CELERY_`` names the Django settings use: since
    Celery 5.6 reads the namespaced key first, ``app.conf.update(
    task_always_eager=False)`` would leave the app eager there.
    """
    previous = {key: app.conf[key] for key in settings}
    app.conf.update({f"CELERY_{key.upper()}": value for key, value in settings.items()})
    return previous


def run_together(calls) -> list:
    """Run the callables in threads released at the same instant (each on its
    own database connection); return the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    errors: list = []

    def worker(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(fn,)) for fn in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return errors


def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _wait_ready(node: str, process, timeout: float = 60) -> None:
    from config.celery_app import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited early ({process.returncode})")
        replies = app.control.ping(destination=[f"{node}@{socket.gethostname()}"], timeout=1)
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


@contextmanager
def chromium_browser():
    """Headless Debian Chromium driven by Playwright. Playwright's sync API runs
    an event loop in this thread; the ORM calls a test makes meanwhile are
    ordinary synchronous ones, so Django's async guard is lifted for the while."""
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


PHONE = {"viewport": {"width": 360, "height": 800}, "locale": "vi-VN"}


def new_queue() -> str:
    return f"hocso-test-{uuid.uuid4().hex[:8]}"


def sequences_start_high(conn=None, *, base: int = 1_000_000, step: int = 10_000) -> int:
    """Make every table's next automatic id large, and different per table.

    Table k (in name order) continues from ``base + k * step``: ids above
    1,000 are what the Vietnamese thousand separator turns into "1.234", so
    with this a grouped id in HTML, JSON or a URL fails a test instead of
    hiding behind small ids, and an id of the wrong table matches nothing.
    Rows already there (from data migrations) keep their ids; a sequence
    already past its start is left alone. Returns the number of sequences set.

    For the test database (tests/conftest.py) and the demo database an E2E
    run seeds (``base=100_000``). SQLite and PostgreSQL.
    """
    conn = conn or connection
    tables = sorted(conn.introspection.table_names())
    done = 0
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE '%AUTOINCREMENT%'"
            )
            auto = {row[0] for row in cursor.fetchall()}
            for k, table in enumerate(tables):
                if table not in auto:
                    continue
                start = base + k * step
                quoted = conn.ops.quote_name(table)
                cursor.execute(  # table names come from the database's own catalogue
                    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"  # noqa: S608
                    f" coalesce((SELECT max(rowid) FROM {quoted}), 0))",
                    [table],
                )
                current = cursor.fetchone()[0]
                if current >= start:
                    continue
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start]
                )
                done += 1
        elif conn.vendor == "postgresql":
            for k, table in enumerate(tables):
                for sequence in conn.introspection.get_sequences(cursor, table):
                    start = base + k * step
                    column = conn.ops.quote_name(sequence["column"])
                    name = conn.ops.quote_name(sequence["name"])
                    quoted = conn.ops.quote_name(table)
                    cursor.execute(  # names come from the database's own catalogue
                        f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {name}),"  # noqa: S608
                        f" coalesce((SELECT max({column}) FROM {quoted}), 0)))",
                        [name, start],
                    )
                    done += 1
        else:
            raise NotImplementedError(conn.vendor)
    return done


DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


def dead_redis_cache() -> dict:
    """CACHES pointing the project's cache backend at a Redis that is down."""
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS_URL,
            "KEY_PREFIX": f"hocso-dead-{uuid.uuid4().hex[:6]}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


class OwnRedis:
    """A redis-server of our own on a spare port, for tests and drills that
    stop and restart Redis: never the shared one."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}"

    def start(self) -> "OwnRedis":
        need(bool(shutil.which("redis-server")), "redis-server")
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                "/tmp",  # noqa: S108
                "--logfile",
                f"/tmp/redis-{self.port}.log",  # noqa: S108
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not self.up():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on {self.port} did not start")
            time.sleep(0.05)
        return self

    def up(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        subprocess.run(  # noqa: S603
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],  # noqa: S607
            capture_output=True,
            check=False,
        )
        deadline = time.monotonic() + 10
        while self.up() and time.monotonic() < deadline:
            time.sleep(0.05)


@contextmanager
def own_redis(port: int):
    server = OwnRedis(port)
    if server.up():
        server.stop()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def own_redis_port() -> int:
    """A spare port per test process (pytest-xdist), 6391 and up."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return 6391 + int(worker.removeprefix("gw") or 0)


@contextmanager
def broker_unreachable(monkeypatch):
    """The Celery app publishing to a Redis that refuses connections. Celery
    reads CELERY_BROKER_URL from the environment before its settings."""
    from config.celery_app import app

    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_REDIS_URL)
    previous = celery_configure(app, task_always_eager=False, broker_url=DEAD_REDIS_URL)
    forget_backend(app)
    # A producer an earlier test opened (to memory://) would still be used.
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_configure(app, **previous)
        forget_backend(app)  # the environment is restored when the test ends
        app.amqp._producer_pool = None
