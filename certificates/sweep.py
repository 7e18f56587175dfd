"""The sweep: finish what a crash left, from Celery beat and on every worker
(re)connect. Safe to run at any time, and concurrently: it only requests and
enqueues, and the lifecycle's steps are idempotent."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from courses.models import Completion

from . import services
from .models import Certificate

logger = logging.getLogger(__name__)


def certificates_sweep(*, grace_seconds: int | None = None, batch: int = 500) -> dict:
    """Finish what a crash left: completions nobody requested a certificate for,
    and pending certificates whose task was lost. Runs from Celery beat."""
    if grace_seconds is None:
        grace_seconds = settings.CERTIFICATES_SWEEP_GRACE_SECONDS
    cutoff = timezone.now() - dt.timedelta(seconds=grace_seconds)
    covered = Certificate.objects.filter(
        Q(completion=OuterRef("pk"))
        | Q(
            cadre=OuterRef("enrolment__cadre"),
            course=OuterRef("enrolment__course"),
            status__in=services.LIVE,
        )
    )
    missing = list(
        Completion.objects.filter(revoked_at__isnull=True, completed_at__lte=cutoff)
        .filter(~Exists(covered))
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    requested = 0
    for completion_id in missing:
        requested += len(services.certificates_request_for_completion(completion_id=completion_id))
    stale = list(
        Certificate.objects.filter(
            status=Certificate.Status.PENDING, requested_at__lte=cutoff
        ).values_list("pk", flat=True)[:batch]
    )
    with transaction.atomic():
        # requested_at doubles as "last enqueued": a long queue is not flooded
        # with the same job every few minutes.
        Certificate.objects.filter(pk__in=stale).update(requested_at=timezone.now())
        for certificate_id in stale:
            services.certificate_issue_enqueue(certificate_id)
    if missing or stale:
        logger.warning(
            "certificate sweep: %d completions requested, %d pending re-enqueued",
            len(missing),
            len(stale),
        )
    return {"requested": requested, "reenqueued": len(stale)}
