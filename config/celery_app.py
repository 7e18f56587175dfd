import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

# Same default as config/wsgi.py: a worker started in production without the
# variable must not run on the dev settings. make, the tests and manage.py set it.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("hocso")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(sender=None, **kwargs) -> None:
    """Give each task the connection lifecycle Django gives a request: drop a
    connection that broke or outlived CONN_MAX_AGE, keep a healthy one.

    Celery's own Django fixup closes every connection around every task unless
    CELERY_DB_REUSE_MAX is set (see settings), which costs a new PostgreSQL
    backend per task. Eager tasks run inside the caller's transaction: leave
    them alone, as the fixup does.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
