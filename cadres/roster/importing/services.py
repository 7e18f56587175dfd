"""The roster import's steps as the HR officer takes them: upload, column mapping,
dry run (a background job), and the all-or-nothing commit (another job).

Views and the ``import_roster`` command only call these functions; the rows are
written by :mod:`.writing`.
"""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ...errors import RosterImportError
from ...models import ColumnMapping, OrgUnit, RosterImport, RosterImportRow, User
from ...services import file_sha256
from ...text import nfc
from .. import importing as ri
from .writing import BATCH, ApplySummary, _apply_rows, _audit

logger = logging.getLogger(__name__)


# --- upload and mapping --------------------------------------------------------


def remembered_mapping(*, unit: OrgUnit, user: User | None) -> dict:
    """The last mapping confirmed for this unit, else the officer's last one."""
    found = ColumnMapping.objects.filter(unit=unit).order_by("-updated_at").first()
    if found is None and user is not None and user.pk:
        found = ColumnMapping.objects.filter(user=user).order_by("-updated_at").first()
    return found.mapping if found else {}


def roster_import_start(
    *, data: bytes, file_name: str, unit: OrgUnit, by: User | None, encoding: str = ""
) -> RosterImport:
    """Check the file cheaply (size, format, zip directory, declared size, header
    and first row), store it privately, and propose a column mapping. The rows
    are read by the dry-run job, so a file of any allowed size answers at once."""
    sheet = ri.open_sheet(data, file_name=file_name, encoding=encoding)
    if next(iter(sheet.rows), None) is None:
        raise ri.RosterFileError(_("The file has a header but no rows of data."))
    roster_import = RosterImport(
        unit=unit,
        created_by=by if by is not None and by.pk else None,
        file_name=nfc(file_name)[:255] or "roster",
        sha256=file_sha256(data),
        size=len(data),
        encoding=encoding,
        detected_encoding=sheet.encoding,
        headers=sheet.headers,
        mapping=ri.guess_mapping(sheet.headers, remembered_mapping(unit=unit, user=by)),
        progress_total=sheet.total,
    )
    roster_import.file.save("roster.bin", ContentFile(data), save=False)
    roster_import.save()
    return roster_import


def roster_import_configure(
    *,
    roster_import: RosterImport,
    by: User | None,
    mapping: dict | None = None,
    encoding: str | None = None,
    name_overrides: dict | None = None,
    unit_choices: dict | None = None,
    create_logins: bool | None = None,
) -> RosterImport:
    """Change the mapping, encoding, name corrections or unit choices, then check again."""
    if roster_import.status in (RosterImport.Status.COMMITTING, RosterImport.Status.DONE):
        raise RosterImportError(_("This file has already been imported."))
    if encoding is not None and encoding != roster_import.encoding:
        sheet = ri.open_sheet(_file_bytes(roster_import), encoding=encoding)
        roster_import.encoding = encoding
        roster_import.headers = sheet.headers
    if mapping is not None:
        errors = ri.mapping_errors(mapping)
        if errors:
            raise RosterImportError(" ".join(errors))
        roster_import.mapping = mapping
        ColumnMapping.objects.update_or_create(
            unit=roster_import.unit,
            user=by if by is not None and by.pk else None,
            defaults={"mapping": ri.mapping_to_remember(roster_import.headers, mapping)},
        )
    if name_overrides:
        roster_import.name_overrides = {**roster_import.name_overrides, **name_overrides}
    if unit_choices:
        roster_import.unit_choices = {**roster_import.unit_choices, **unit_choices}
    if create_logins is not None:
        roster_import.create_logins = create_logins
    roster_import.status = RosterImport.Status.PLANNING
    roster_import.progress_done = 0
    roster_import.error = ""
    roster_import.save()
    from ...tasks import roster_import_plan_task

    roster_import_plan_task.delay_on_commit(roster_import.pk)
    return roster_import


def _file_bytes(roster_import: RosterImport) -> bytes:
    with roster_import.file.open("rb") as handle:
        return handle.read()


def _progress(roster_import: RosterImport, planner: ri.Planner, total: int) -> None:
    RosterImport.objects.filter(pk=roster_import.pk).update(
        progress_done=planner.done, progress_total=max(total, planner.done)
    )


def _planner(roster_import: RosterImport, on: dt.date | None = None) -> tuple[ri.Planner, ri.Sheet]:
    scope, everywhere = ri.units_in_scope(roster_import.created_by)
    sheet = ri.open_sheet(_file_bytes(roster_import), encoding=roster_import.encoding)
    planner = ri.Planner(
        headers=sheet.headers,
        mapping=roster_import.mapping,
        unit=roster_import.unit,
        scope=scope,
        everywhere=everywhere,
        name_overrides=roster_import.name_overrides,
        unit_choices=roster_import.unit_choices,
        on=on or timezone.localdate(),
    )
    return planner, sheet


def _rows_forget(roster_import: RosterImport) -> None:
    """Drop the rows of the previous check in one statement: a queryset delete()
    would first load all of them (100,000 rows, hundreds of MB) to send signals."""
    table = connection.ops.quote_name(RosterImportRow._meta.db_table)
    column = connection.ops.quote_name(RosterImportRow._meta.get_field("roster_import").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {column} = %s",  # noqa: S608 - names from the model
            [roster_import.pk],
        )


def _store_rows(roster_import: RosterImport, rows: list[ri.PlanRow]) -> None:
    RosterImportRow.objects.bulk_create(
        [
            RosterImportRow(
                roster_import_id=roster_import.pk,
                number=row.number,
                action=row.action,
                data=row.as_json(),
            )
            for row in rows
        ],
        batch_size=BATCH,
    )


def _store_plan(roster_import: RosterImport, planner: ri.Planner, status: str) -> None:
    roster_import.plan = {"ambiguities": planner.ambiguities, "on": planner.on.isoformat()}
    roster_import.counts = dict(planner.counts)
    roster_import.status = status
    roster_import.progress_done = roster_import.progress_total = planner.done
    roster_import.save(
        update_fields=["plan", "counts", "status", "progress_done", "progress_total"]
    )


def _fail(roster_import: RosterImport, exc: Exception) -> None:
    """Mark the import failed with a message, so the page never spins forever."""
    if isinstance(exc, ri.RosterFileError):
        message = str(exc)
    else:
        logger.error("roster import %s could not be checked", roster_import.pk, exc_info=exc)
        message = _("The file could not be checked because of an internal error. Try again.")
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=RosterImport.Status.FAILED, error=message
    )
    roster_import.status, roster_import.error = RosterImport.Status.FAILED, message


def _dry_run(roster_import: RosterImport) -> ri.Planner:
    """Plan the file a batch at a time, storing each batch's rows for the preview."""
    planner, sheet = _planner(roster_import)
    with transaction.atomic():
        _rows_forget(roster_import)
        for rows in planner.batches(sheet.rows):
            _store_rows(roster_import, rows)
            _progress(roster_import, planner, sheet.total)
        _store_plan(roster_import, planner, RosterImport.Status.PLANNED)
    return planner


def roster_import_plan(*, roster_import: RosterImport) -> ri.Planner | None:
    """The dry run: what the import would do, stored for the preview page."""
    try:
        return _dry_run(roster_import)
    except Exception as exc:  # noqa: BLE001 - any failure is shown, never a spinner
        _fail(roster_import, exc)
        return None


class _Rejected(Exception):
    """A row was rejected during the commit: roll everything back."""


def roster_import_commit_request(*, roster_import: RosterImport, create_logins: bool) -> None:
    """Claim a checked import for committing and queue the job, once.

    The claim is one conditional UPDATE (planned, nothing rejected → committing):
    of two requests at once only the one that changed the row enqueues."""
    claimed = (
        RosterImport.objects.filter(pk=roster_import.pk, status=RosterImport.Status.PLANNED)
        .exclude(counts__rejected__gt=0)
        .update(status=RosterImport.Status.COMMITTING, progress_done=0, create_logins=create_logins)
    )
    if not claimed:
        raise RosterImportError(_("Fix the rejected rows first; nothing was imported."))
    from ...tasks import roster_import_commit_task

    roster_import_commit_task.delay_on_commit(roster_import.pk)


def roster_import_commit(*, roster_import_id: int) -> RosterImport:
    """Check the file again against today's roster and import it all, or nothing.

    The file is planned and written a batch at a time inside one transaction, so
    memory stays flat; a rejected row rolls everything back and the dry run is
    stored again to show why. Safe to run twice (a redelivered task): a
    finished import is left alone."""
    claimed = RosterImport.objects.filter(
        pk=roster_import_id,
        status__in=[RosterImport.Status.PLANNED, RosterImport.Status.COMMITTING],
    ).update(status=RosterImport.Status.COMMITTING, progress_done=0)
    roster_import = RosterImport.objects.select_related("created_by", "unit").get(
        pk=roster_import_id
    )
    if not claimed:
        return roster_import
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=roster_import_id)
            if locked.status == RosterImport.Status.DONE:
                return locked
            planner, summary = _commit_batches(roster_import)
            _store_plan(roster_import, planner, RosterImport.Status.DONE)
            roster_import.counts = {**planner.counts, "logins": summary.logins}
            roster_import.committed_at = timezone.now()
            roster_import.error = ""
            roster_import.save(update_fields=["counts", "committed_at", "error"])
    except (_Rejected, RosterImportError) as exc:
        message = (
            str(exc)
            if isinstance(exc, RosterImportError)
            else _("Some rows are rejected; nothing was imported.")
        )
        if roster_import_plan(roster_import=roster_import) is not None:
            RosterImport.objects.filter(pk=roster_import_id).update(error=message)
        roster_import.refresh_from_db()
    except Exception as exc:  # noqa: BLE001
        _fail(roster_import, exc)
    return roster_import


def _commit_batches(roster_import: RosterImport) -> tuple[ri.Planner, "ApplySummary"]:
    planner, sheet = _planner(roster_import)
    _rows_forget(roster_import)
    summary = ApplySummary()
    for rows in planner.batches(sheet.rows):
        if planner.counts[ri.REJECTED]:
            raise _Rejected
        summary.add(
            _apply_rows(
                rows,
                on=planner.on,
                by=roster_import.created_by,
                create_logins=roster_import.create_logins,
            )
        )
        _store_rows(roster_import, rows)
        _progress(roster_import, planner, sheet.total)
    if not planner.done:
        raise RosterImportError(_("The file has a header but no rows of data."))
    _audit(
        summary,
        counts=planner.counts,
        unit=roster_import.unit,
        by=roster_import.created_by,
        file_name=roster_import.file_name,
        sha256=roster_import.sha256,
    )
    return planner, summary
