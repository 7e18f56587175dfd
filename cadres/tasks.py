from celery import shared_task

from .units.tables import units_import


@shared_task(acks_late=True, reject_on_worker_lost=True)
def units_import_task() -> dict:
    """Import the shipped unit tables; idempotent, so a redelivery is harmless."""
    result = units_import()
    return {"created": result.created, "successions": result.successions_created}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def roster_import_plan_task(roster_import_id: int) -> dict:
    """The dry run of an uploaded roster; running it again recomputes the same plan."""
    from .models import RosterImport
    from .roster.importing.services import roster_import_plan

    roster_import = RosterImport.objects.filter(pk=roster_import_id).first()
    if roster_import is None or roster_import.status != RosterImport.Status.PLANNING:
        return {}
    roster_import_plan(roster_import=roster_import)
    return roster_import.counts


@shared_task(acks_late=True, reject_on_worker_lost=True)
def roster_import_commit_task(roster_import_id: int) -> dict:
    """All-or-nothing commit; a finished import is left alone if redelivered."""
    from .roster.importing.services import roster_import_commit

    return roster_import_commit(roster_import_id=roster_import_id).counts


@shared_task(acks_late=True, reject_on_worker_lost=True)
def roster_joiners_announce_task(pairs: list[list[int]]) -> int:
    """Tell the other apps (programme enrolment) who joined which unit; idempotent."""
    from .roster.importing.writing import joiners_announce

    joiners_announce(pairs=pairs)
    return len(pairs)


# Acknowledged on receipt, unlike the others: a second run of one list would
# replace the codes the first is printing. A lost run is failed by the sweep.
@shared_task
def activation_batch_task(batch_id: int) -> int:
    """A unit's activation codes and their printable list."""
    from .roster.activation import activation_batch_run

    return activation_batch_run(batch_id=batch_id).issued


@shared_task(acks_late=True, reject_on_worker_lost=True)
def activation_batches_sweep_task() -> dict:
    from .roster.activation import activation_batches_sweep

    return activation_batches_sweep()
