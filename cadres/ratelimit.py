"""Fixed-window counters in the project cache (Redis in production, so every
web node shares them), for the limits allauth does not cover."""

import time

from django.core.cache import cache


def _key(scope: str, key: str, window_seconds: int) -> str:
    return f"cadres:rl:{scope}:{key}:{int(time.time() // window_seconds)}"


def consume(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once more than ``limit`` were made in the window."""
    name = _key(scope, key, window_seconds)
    if cache.add(name, 1, timeout=window_seconds + 30):
        return limit >= 1
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds + 30)
        return limit >= 1


def refund(scope: str, key: str, *, window_seconds: int) -> None:
    """Give back one attempt (it turned out to be legitimate)."""
    try:
        cache.decr(_key(scope, key, window_seconds))
    except ValueError:
        pass
