from celery import shared_task

from .services import attempts_close_overdue


@shared_task(acks_late=True)
def attempts_close_overdue_task() -> int:
    """Grade attempts whose time ran out while the cadre was away; safe to run twice."""
    return attempts_close_overdue()
