"""A unit's activation codes as a background job: hashing a code costs the
password hasher's full price, so a unit of several hundred cadres takes minutes.

The HR officer starts a batch (:func:`activation_batch_start`), a worker issues
the codes a few cadres at a time (:func:`activation_batch_run`), and the
printable list is written once, as a private PDF: the codes are stored nowhere
else, hashed on the users only. The officer who asked downloads it once
(:func:`activation_batch_take`); the sweep deletes whatever is left after
``CADRES_ACTIVATION_LIST_HOURS``."""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..accounts.services import ACTIVATION_CODE_DAYS
from ..errors import ApplicationError
from ..models import ActivationCodeBatch, Cadre, OrgUnit, User
from . import selectors as rs
from .logins import activation_codes_issue
from .slips import ActivationSlipsRenderer, Slip

Batch = ActivationCodeBatch
# Cadres per transaction-and-progress step: each costs one password hash.
STEP = 20


def activation_batch_start(*, unit: OrgUnit, by: User) -> ActivationCodeBatch:
    """Claim the unit for a new list and queue the job, once.

    One list per unit runs at a time (a conditional unique constraint): of two
    requests at once — a double click — only the one that created the row
    enqueues; the other is handed the same batch. An officer outside the unit,
    or another officer's list still running for it, is refused."""
    if not rs.units_current_for(by).filter(pk=unit.pk).exists():
        raise ApplicationError(_("Choose a unit you manage."))
    try:
        with transaction.atomic():
            batch = Batch.objects.create(unit=unit, requested_by=by)
    except IntegrityError:
        running = Batch.objects.filter(unit=unit, status__in=Batch.LIVE).first()
        if running is not None and running.requested_by_id == by.pk:
            return running
        raise ApplicationError(
            _(
                "Activation codes for this unit are already being issued. "
                "Try again in a few minutes."
            )
        ) from None
    from ..tasks import activation_batch_task

    activation_batch_task.delay_on_commit(batch.pk)
    return batch


def _cadres_to_code(batch: ActivationCodeBatch) -> list[Cadre]:
    """Today's active members of the unit, in the requester's scope, who have
    never signed in: the same cadres the list was issued for in the request."""
    return list(
        selectors.cadres_visible_to(batch.requested_by)
        .filter(
            pk__in=selectors.memberships_on(timezone.localdate())
            .filter(unit=batch.unit_id)
            .values("cadre_id")
        )
        .filter(status=Cadre.Status.ACTIVE)
        .filter(user__last_login__isnull=True)
        .select_related("user")
        .order_by("sort_key", "pk")
    )


def activation_batch_run(*, batch_id: int, step: int = STEP) -> ActivationCodeBatch:
    """Issue the codes and write the list, once: only the run that moves the
    batch from queued to running does anything. Two runs of one list would
    replace each other's codes, so a run that dies is not repeated; the sweep
    marks it failed and the officer issues again."""
    claimed = Batch.objects.filter(pk=batch_id, status=Batch.Status.QUEUED).update(
        status=Batch.Status.RUNNING, updated_at=timezone.now()
    )
    batch = Batch.objects.select_related("unit", "requested_by").get(pk=batch_id)
    if not claimed:
        return batch
    try:
        cadres = _cadres_to_code(batch)
        Batch.objects.filter(pk=batch_id).update(total=len(cadres))
        slips: list[Slip] = []
        for start in range(0, len(cadres), step):
            chunk = cadres[start : start + step]
            issued = activation_codes_issue(cadres=chunk, by=batch.requested_by)
            slips += [Slip(cadre.full_name, username, code) for cadre, username, code in issued]
            Batch.objects.filter(pk=batch_id, status=Batch.Status.RUNNING).update(
                done=start + len(chunk), issued=len(slips), updated_at=timezone.now()
            )
        _finish(batch, slips, total=len(cadres))
    except ApplicationError as exc:
        _fail(batch_id, str(exc))
    except Exception:
        _fail(batch_id, _("The list could not be prepared. Please try again."))
        raise
    batch.refresh_from_db()
    return batch


def _finish(batch: ActivationCodeBatch, slips: list[Slip], *, total: int) -> None:
    today = timezone.localdate()
    name = ""
    if slips:
        pdf = ActivationSlipsRenderer().render(
            unit_name=batch.unit.name,
            slips=slips,
            issued_on=today,
            expires=today + dt.timedelta(days=ACTIVATION_CODE_DAYS),
        )
        name = batch.file.storage.save(
            batch.file.field.generate_filename(batch, "codes.pdf"), ContentFile(pdf)
        )
    finished = Batch.objects.filter(pk=batch.pk, status=Batch.Status.RUNNING).update(
        status=Batch.Status.DONE,
        file=name,
        done=total,
        total=total,
        issued=len(slips),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not finished and name:
        # The sweep gave up on this run meanwhile; its list is nobody's.
        batch.file.storage.delete(name)


def _fail(batch_id: int, message: str) -> None:
    Batch.objects.filter(pk=batch_id, status__in=Batch.LIVE).update(
        status=Batch.Status.FAILED,
        error=message[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def activation_batch_take(*, batch: ActivationCodeBatch) -> bytes:
    """The list's PDF, handed over once: the stored file is deleted as it is
    read, so a second download (or anyone later) finds nothing."""
    name = batch.file.name
    if not name:
        raise ApplicationError(_("This list has already been downloaded or has expired."))
    taken = Batch.objects.filter(pk=batch.pk, file=name).update(
        file="", downloaded_at=timezone.now()
    )
    if not taken:
        raise ApplicationError(_("This list has already been downloaded or has expired."))
    storage = batch.file.storage
    with storage.open(name, "rb") as handle:
        pdf = handle.read()
    storage.delete(name)
    batch.file.name = ""
    return pdf


def activation_batches_sweep(*, now: dt.datetime | None = None) -> dict:
    """Delete lists nobody downloaded within ``CADRES_ACTIVATION_LIST_HOURS``, and
    give up on jobs that stopped moving (a lost message): the unit is free for
    a new list, and their codes, never printed, are replaced by it."""
    now = now or timezone.now()
    expired = 0
    cutoff = now - dt.timedelta(hours=settings.CADRES_ACTIVATION_LIST_HOURS)
    for batch in Batch.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        name = batch.file.name
        if Batch.objects.filter(pk=batch.pk, file=name).update(file=""):
            batch.file.storage.delete(name)
            expired += 1
    stalled = Batch.objects.filter(
        status__in=Batch.LIVE,
        updated_at__lt=now - dt.timedelta(minutes=settings.CADRES_ACTIVATION_STALLED_MINUTES),
    ).update(
        status=Batch.Status.FAILED,
        error=_("The list stopped before it was ready. Please issue the codes again."),
        finished_at=now,
        updated_at=now,
    )
    return {"expired": expired, "stalled": stalled}
