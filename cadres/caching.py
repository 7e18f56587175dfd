import time

from django.core.cache import cache
from django.db import transaction


def forget(key: str) -> None:
    """Drop a cached copy of rows that are changing: now, for reads inside the
    changing transaction, and again on commit, since a request drawn in between
    may have cached the rows as they were before it."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


# Report figures are cached under the version of the data they are drawn
# from; a change to completions, the trained fact or memberships bumps it, so
# the next view draws afresh and an old entry simply expires.
DATA_VERSION_KEY = "reports:data-version"


def _start() -> int:
    """A first value past any the key held before it was lost (evicted, flushed):
    the time in milliseconds, which a few bumps a second never catch up with."""
    return int(time.time() * 1000)


def data_version() -> int:
    """The current version of the data reports are drawn from."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        # Added, not set: two readers starting at once agree on the first value.
        cache.add(DATA_VERSION_KEY, _start(), timeout=None)
        version = cache.get(DATA_VERSION_KEY) or 0  # 0: no cache, nothing is kept anyway
    return int(version)


def _bump() -> None:
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # missing: start afresh, past any old value
        cache.set(DATA_VERSION_KEY, _start(), timeout=None)


def data_changed() -> None:
    """Call in the transaction that changes completions, the trained fact or
    memberships: the version moves on commit (and at once, for reads inside
    the changing transaction)."""
    _bump()
    transaction.on_commit(_bump)
