"""Send report and dashboard reads to a read replica when there is one.

Only reads made inside :func:`replica_reads` go to the ``replica`` alias
(set when ``DATABASE_REPLICA_URL`` is); everything else — every write, and
any read inside a transaction on the primary, so nothing read after a write
in the same request can be stale — stays on ``default``. Migrations run on
``default`` only.
"""

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and settings.REPORTS_READ_REPLICA


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica when there is one (report views only)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def read_alias() -> str:
    """Where a read made now goes: the replica inside :func:`replica_reads`,
    unless a transaction is open on the primary (read-after-write)."""
    if (
        _reading_replica.get()
        and replica_configured()
        and not connections["default"].in_atomic_block
    ):
        return REPLICA
    return "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
