"""Shared measuring helpers for the benchmarks."""

import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext


def time_requests(fn: Callable[[], object], *, n: int = 300, warmup: int = 20) -> dict:
    """Call ``fn`` n times after a warm-up; return median and p99 in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p99_ms": round(p99(samples), 2),
    }


def count_queries(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def gunicorn_start(*, port: int, env: dict[str, str]) -> subprocess.Popen:
    """A gunicorn of the project (2 sync workers, as the README's production
    line with this machine's two cores) on 127.0.0.1; the caller terminates it."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name: str | None = None) -> str:
    """The benchmark's database (or ``name`` on the same server) as a URL for
    the processes a benchmark starts."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    return f"postgres://{s.get('USER') or 'postgres'}{password}@{host}:{port}/{name or s['NAME']}"


def wait_until_serving(url: str, *, seconds: float = 30) -> None:
    """Return once a server answers ``url`` at all (any status)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def p99(samples: list[float]) -> float:
    """The 99th percentile of sorted ``samples`` (nearest rank)."""
    return samples[min(len(samples) - 1, int(len(samples) * 0.99))]
