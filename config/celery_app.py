import logging
import os

from celery import Celery, bootsteps
from celery.signals import task_postrun, task_prerun

# Same default as config/wsgi.py: a worker started in production without the
# variable must not run on the dev settings. make, the tests and manage.py set it.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

logger = logging.getLogger(__name__)

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


class OnConnectTasks(bootsteps.StartStopStep):
    """Enqueue settings.WORKER_ON_CONNECT_TASKS each time the worker's consumer
    (re)connects to the broker: when the worker starts (what the worker_ready
    signal marks) and again after every lost connection, which worker_ready
    does not. A restarted broker may have lost its queue; the sweep these
    tasks run finds the work again within seconds instead of at the next beat.
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer) -> None:
        from django.conf import settings

        for name, kwargs in getattr(settings, "WORKER_ON_CONNECT_TASKS", []):
            try:
                consumer.app.send_task(name, kwargs=kwargs)
            except Exception:
                logger.exception("could not enqueue %s on connect", name)
            else:
                logger.warning("broker connected: enqueued %s", name)


app.steps["consumer"].add(OnConnectTasks)
