"""Handing issue and request work to the workers without making a request wait.

A broker that is down (or, in eager mode, an error while issuing) is logged
and left to the sweep instead of failing the request that completed the
course; and the request does not wait for a slow broker (see
:mod:`certificates.publisher`).
"""

import logging

from django.db import transaction

from ..publisher import publisher

logger = logging.getLogger(__name__)


def certificate_issue_enqueue(certificate_id: int) -> None:
    """Enqueue the issue after commit; never fails the caller."""
    from ..tasks import certificate_issue_task

    _publish_after_commit(
        lambda: certificate_issue_task.delay(certificate_id), f"certificate {certificate_id}"
    )


def certificate_issue_enqueue_many(certificate_ids: list[int]) -> None:
    """:func:`certificate_issue_enqueue` for many certificates: one message after commit,
    which a worker fans out into one issue task each."""
    from ..tasks import certificate_issue_many_task

    if certificate_ids:
        _publish_after_commit(
            lambda: certificate_issue_many_task.delay(certificate_ids),
            f"{len(certificate_ids)} certificates",
        )


def certificates_request_later(*, completion_ids) -> None:
    """Queue :func:`certificates_request_for_completions` for a worker."""
    from ..tasks import certificates_request_task

    completion_ids = list(completion_ids)
    _publish(
        lambda: certificates_request_task.delay(completion_ids),
        f"certificates of {len(completion_ids)} completions",
    )


def _publish_after_commit(publish, what: str) -> None:
    transaction.on_commit(lambda: _publish(publish, what), robust=True)


def _publish(publish, what: str) -> None:
    """Hand ``publish`` (a task's delay) to the publishing thread; in eager mode
    (tests, development) run the task here and now. Never raises."""
    from config.celery_app import app

    def run():
        try:
            publish()
        except Exception as error:
            logger.warning("%s not enqueued (%s); the sweep will issue it", what, error)

    if app.conf.task_always_eager:
        run()
    elif not publisher.submit(run):
        logger.warning("%s not enqueued (too many waiting); the sweep will issue it", what)
