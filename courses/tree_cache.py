"""What every learner sees alike, cached until the published page tree changes.

Serving a lesson needs the site, the page a URL names, the page's view
restrictions, its course's lesson list and its rendered body; none of these
depend on the learner and all change only when an editor saves, publishes,
moves or deletes a page, edits a site or a privacy setting. Each entry is keyed
by a version token that any such change replaces (see ``courses.receivers``),
so a stale entry is never read again and expires on its own.

The token lives in the shared cache (Redis in production), so one change is
seen by every web process at once; a request reads it once
(:func:`request_scope`). An entry under a token never changes, so each process
also keeps the entries it used last in its own memory: a lesson view asks
Redis for the token only, not for five entries.
"""

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "courses:tree-version"
TIMEOUT = 60 * 60 * 24
LOCAL_ENTRIES = 2000
T = TypeVar("T")

_request_version: ContextVar[str | None] = ContextVar("courses_tree_version", default=None)
_local: OrderedDict[str, bytes] = OrderedDict()
_local_lock = threading.Lock()


def _shared_version() -> str | None:
    """The token, or None while the cache cannot be read (config.cache answers
    a miss then): nothing is cached without a token every process agrees on."""
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid4().hex, None)
        token = cache.get(VERSION_KEY)
    return token


def version() -> str | None:
    return _request_version.get() or _shared_version()


@contextmanager
def request_scope() -> Iterator[None]:
    """Read the token once for everything a request looks up."""
    reset = _request_version.set(_shared_version())
    try:
        yield
    finally:
        _request_version.reset(reset)


def changed() -> None:
    """Forget every entry: the published tree (or a site, or a restriction) changed.

    Now, for reads inside the changing transaction, and again on commit: an
    entry another process built in between, from the rows as they were before
    the commit, must not outlive it.
    """
    _forget_version()
    if _request_version.get() is not None:
        # Entries built under this token are seen by this transaction only.
        _request_version.set(uuid4().hex)
    transaction.on_commit(_forget_version)


def _forget_version() -> None:
    """The next reader sets a new token. A delete, not a set: a delete that
    cannot reach Redis is sent again when it can (config.cache)."""
    cache.delete(VERSION_KEY)


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``'s value for ``name`` under the current tree version.

    None is not kept: a URL naming no page must not fill the cache. Each call
    returns its own copy, so a caller may change what it gets.
    """
    token = version()
    if token is None:
        return build()
    key = f"courses:tree:{token}:{name}"
    with _local_lock:
        blob = _local.get(key)
        if blob is not None:
            _local.move_to_end(key)
    if blob is not None:
        return pickle.loads(blob)  # noqa: S301 - written by this process, below
    value = cache.get(key)
    if value is None:
        value = build()
        if value is None:
            return None
        cache.set(key, value, TIMEOUT)
    blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _local_lock:
        _local[key] = blob
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value
