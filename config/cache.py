"""A Redis cache that behaves as "no cache" while Redis is unreachable.

Everything the project keeps in the cache (the page tree, the signed-in user,
unread counts, rate-limit counters, the cached half of sessions) can be
rebuilt from the database, so a Redis outage must cost speed, never a 500.

Every operation catches redis-py's errors and answers as Django's dummy cache
would: a miss on read, nothing stored on write. After a failure Redis is not
asked again for ``RETRY_SECONDS`` (a request makes dozens of cache calls; with
a blackholed host each would otherwise wait for the connect timeout), and the
failure is logged once per such interval, with the recovery.

A delete that could not reach Redis is remembered by the process and sent
again when Redis answers: deletes are how a change (a page published, a role
taken away) reaches every process, and a Redis that kept its data through the
outage must not go on serving what the change replaced. Writes are not
replayed: a lost write is only a miss.

:func:`cache_available` lets the few callers that must fail closed (sign-in
and activation rate limits, see ``config.middleware``) ask whether the cache
works right now.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("config.cache")

RETRY_SECONDS = 5.0
MISSED_DELETES_MAX = 10_000


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # Django hands OPTIONS to the connection pool: take ours out of a copy.
        self._options = dict(self._options)
        self.retry_seconds = float(self._options.pop("RETRY_SECONDS", RETRY_SECONDS))
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_since: float | None = None
        self._missed_deletes: set[str] = set()

    # -- the breaker -------------------------------------------------------------

    def _skip(self) -> bool:
        return self._down_until > time.monotonic()

    def _failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = now
            self._down_until = now + self.retry_seconds
        log = logger.error if first else logger.warning
        log(
            "cache unreachable (%s: %s); serving without it for %.0f s",
            operation,
            error,
            self.retry_seconds,
        )

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            since, self._down_since = self._down_since, None
            missed, self._missed_deletes = self._missed_deletes, set()
        logger.warning(
            "cache reachable again after %.1f s; replaying %d missed deletes",
            time.monotonic() - since,
            len(missed),
        )
        if missed:
            try:
                self._cache.delete_many(list(missed))
            except RedisError as error:
                with self._lock:
                    self._missed_deletes |= missed
                self._failed("delete_many", error)

    def _call(self, operation: str, fallback, function, *args, **kwargs):
        if self._skip():
            return fallback
        try:
            result = function(*args, **kwargs)
        except RedisError as error:
            self._failed(operation, error)
            return fallback
        self._succeeded()
        return result

    def _remember_deletes(self, keys) -> None:
        with self._lock:
            if len(self._missed_deletes) + len(keys) > MISSED_DELETES_MAX:
                logger.error("cache: too many deletes missed during the outage; dropping some")
                return
            self._missed_deletes.update(keys)

    def available(self) -> bool:
        """Whether Redis answers now (a PING, unless it failed moments ago)."""
        if self._skip():
            return False
        try:
            self._cache.get_client(write=False).ping()
        except RedisError as error:
            self._failed("ping", error)
            return False
        self._succeeded()
        return True

    # -- reads: a miss ------------------------------------------------------------

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("get", default, self._cache.get, key, default)

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        ret = self._call("get_many", {}, self._cache.get_many, key_map.keys())
        return {key_map[k]: v for k, v in ret.items()}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("has_key", False, self._cache.has_key, key)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        missing = object()
        value = self._call("incr", missing, self._cache.incr, key, delta)
        if value is missing:
            # As with no cache at all: the key is not there.
            raise ValueError(f"Key '{key}' not found.")
        return value

    # -- writes: nothing kept ------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        # As Django's dummy cache: "stored", so a caller does not wait for it.
        return self._call(
            "add", True, self._cache.add, key, value, self.get_backend_timeout(timeout)
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._call("set", None, self._cache.set, key, value, self.get_backend_timeout(timeout))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe_data = {self.make_and_validate_key(k, version=version): v for k, v in data.items()}
        self._call(
            "set_many", None, self._cache.set_many, safe_data, self.get_backend_timeout(timeout)
        )
        return []

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("touch", False, self._cache.touch, key, self.get_backend_timeout(timeout))

    # -- deletes: remembered and replayed ------------------------------------------

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        missing = object()
        result = self._call("delete", missing, self._cache.delete, key)
        if result is missing:
            self._remember_deletes([key])
            return False
        return result

    def delete_many(self, keys, version=None):
        if not keys:
            return
        safe_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        missing = object()
        if self._call("delete_many", missing, self._cache.delete_many, safe_keys) is missing:
            self._remember_deletes(safe_keys)

    def clear(self):
        return self._call("clear", False, self._cache.clear)


def cache_available(alias: str = "default") -> bool:
    """Whether the cache can count right now. A cache that cannot fail (local
    memory, as in development) always can."""
    cache = caches[alias]
    available = getattr(cache, "available", None)
    return True if available is None else available()
