"""Celery tasks: each takes primary keys and calls one service, and is named
after it (``certificate_issue`` → ``certificate_issue_task``).

A task's registered name is what a queued message carries: when a task is
renamed, its old name stays registered (at the end of this module) for as
long as a message queued under it may still be waiting in the broker.
"""

from celery import shared_task

from . import exports, issuing, services, sweep

# Every task is idempotent, so a message redelivered after a worker died
# (acks_late + reject_on_worker_lost) finishes the job instead of repeating it.


ISSUE_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    # A retry waits in the worker as an unacked message; keep it shorter than
    # the broker's visibility timeout, or Redis hands a copy to another worker
    # meanwhile. What still fails after this is left to the sweep.
    "retry_backoff": 5,
    "retry_backoff_max": 30,
    "max_retries": 5,
}


@shared_task(**ISSUE_OPTIONS)
def certificate_issue_task(certificate_id: int) -> str:
    certificate = issuing.certificate_issue(certificate_id=certificate_id)
    return certificate.status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def certificates_request_task(completion_ids: list[int]) -> int:
    """The certificates a batch of completions asks for (an attendee report, a
    hall checking in): written here rather than in the request that recorded
    them. A message lost on the way leaves completions without a certificate,
    which the sweep requests."""
    return len(services.certificates_request_for_completions(completion_ids=completion_ids))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def certificate_issue_many_task(certificate_ids: list[int]) -> int:
    """Certificates of a batch of completions (an attendee report): the web
    process sends one message; the worker issues a batch itself (one renderer,
    a transaction per step) and hands the rest on as the next message, so no
    task runs long enough for the broker to deliver it twice."""
    head = certificate_ids[: issuing.ISSUE_BATCH]
    rest = certificate_ids[issuing.ISSUE_BATCH :]
    issuing.certificates_issue(certificate_ids=head)
    if rest:
        certificate_issue_many_task.delay(rest)
    return len(head)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def certificates_revoke_for_completion_task(completion_id: int) -> int:
    return services.certificates_revoke_for_completion(completion_id=completion_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def certificates_sweep_task(grace_seconds: int | None = None) -> dict:
    return sweep.certificates_sweep(grace_seconds=grace_seconds)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def certificate_export_build_task(export_id: int) -> int:
    try:
        export = exports.certificate_export_build(export_id=export_id)
    except Exception as exc:
        exports.certificate_export_fail(export_id=export_id, error=exc)
        raise
    return export.done


@shared_task(acks_late=True)
def certificate_exports_purge_task() -> int:
    return exports.certificate_exports_purge()


# -- names from before issue 15's renames ---------------------------------------------
# Issue messages wait in the broker and in workers (acks_late, retries) at any
# moment, and an export message is the only trace of a requested ZIP (no sweep
# finds a lost one): messages queued under these names before the rename must
# still run. Both can go once every broker queue has been drained since.


@shared_task(name="certificates.tasks.issue_certificate_task", **ISSUE_OPTIONS)
def issue_certificate_task(certificate_id: int) -> str:
    return certificate_issue_task(certificate_id)


@shared_task(
    name="certificates.tasks.certificate_export_task", acks_late=True, reject_on_worker_lost=True
)
def certificate_export_task(export_id: int) -> int:
    return certificate_export_build_task(export_id)
