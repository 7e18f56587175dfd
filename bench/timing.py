"""Shared measuring helpers for the benchmarks."""

import statistics
import subprocess
import sys
import time
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
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 2),
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
