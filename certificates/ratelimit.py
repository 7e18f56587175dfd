"""A fixed-window counter per client address in the project cache (Redis in
production, so every web node shares it)."""

import time

from django.conf import settings
from django.core.cache import cache

from cadres.network import client_ip


def over_limit(request, scope: str) -> bool:
    limit = settings.CERTIFICATES_VERIFY_RATE_PER_MINUTE
    window = int(time.time() // 60)
    key = f"certificates:rl:{scope}:{client_ip(request) or '-'}:{window}"
    if cache.add(key, 1, timeout=90):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        return False
    return count > limit
