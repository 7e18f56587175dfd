from django.core.cache import cache
from django.db import transaction


def forget(key: str) -> None:
    """Drop a cached copy of rows that are changing: now, for reads inside the
    changing transaction, and again on commit, since a request drawn in between
    may have cached the rows as they were before it."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
