from celery import shared_task

from .unit_import import units_import


@shared_task(acks_late=True, reject_on_worker_lost=True)
def units_import_task() -> dict:
    """Import the shipped unit tables; idempotent, so a redelivery is harmless."""
    result = units_import()
    return {"created": result.created, "successions": result.successions_created}
