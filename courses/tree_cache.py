"""What every learner sees alike, cached until the published page tree changes.

Serving a lesson needs the site, the page a URL names, the page's view
restrictions and its course's lesson list; none of these depend on the learner
and all change only when an editor saves, publishes, moves or deletes a page,
edits a site or a privacy setting. Each entry is keyed by a version token that
any such change replaces (see ``courses.receivers``), so a stale entry is never
read again and expires on its own. The cache is shared by every web process in
production (Redis), so one change is seen by all of them at once.
"""

from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "courses:tree-version"
TIMEOUT = 60 * 60 * 24
T = TypeVar("T")


def version() -> str:
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid4().hex, None)
        token = cache.get(VERSION_KEY)
    return token


def changed() -> None:
    """Forget every entry: the published tree (or a site, or a restriction) changed.

    Now, for reads inside the changing transaction, and again on commit: an
    entry another process built in between, from the rows as they were before
    the commit, must not outlive it.
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid4().hex, None)


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``'s value for ``name`` under the current tree version.

    None is not kept: a URL naming no page must not fill the cache.
    """
    key = f"courses:tree:{version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, TIMEOUT)
    return value
