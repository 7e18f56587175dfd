"""Shared measuring helpers for the benchmarks."""

import statistics
import time
from collections.abc import Callable

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
