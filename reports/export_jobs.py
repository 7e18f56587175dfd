"""A report's XLSX or CSV as a background job: asked for in a request, written
by a worker into a private file in flat memory, handed to the officer who
asked. The pattern of :mod:`certificates.exports` (the unit ZIP)."""

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cadres.models import OrgUnit, User
from cadres.selectors import units_visible_to
from cadres.services import audit_record
from config.routers import replica_reads
from courses.models import Programme

from . import exports
from .export_rows import ExportQuery, UnitFigures
from .figures import Population, Report, Row, required_courses
from .models import ReportExport, Target
from .selectors import can_read_reports, check_day

# Progress is written every this many units.
PROGRESS_EVERY = 1000
# A running job whose progress has not moved for this long lost its worker:
# a redelivered message may take it over. Until then the message looks again
# every WATCH_SECONDS (less than the broker's visibility timeout, so the
# waiting message is not handed to a second worker meanwhile).
STALE_AFTER = dt.timedelta(minutes=2)
WATCH_SECONDS = 30
WATCH_RETRIES = 60
# Finished exports (and their files) are deleted after this long.
KEEP_FOR = dt.timedelta(hours=24)


@transaction.atomic
def report_export_create(
    *,
    by: User,
    unit: OrgUnit,
    programme: Programme,
    target: Target | None,
    day: dt.date,
    full_time_only: bool = False,
    unit_kind: str = "",
    fmt: str,
) -> ReportExport:
    """Queue the report of ``unit``'s subtree as ``fmt`` for ``by``, who must
    be able to read that unit's report."""
    from .tasks import report_export_build_task

    if not can_read_reports(by) or not units_visible_to(by).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if fmt not in ReportExport.Format.values:
        raise ValueError(fmt)
    check_day(unit, day)
    export = ReportExport.objects.create(
        requested_by=by,
        unit=unit,
        programme=programme,
        target=target,
        as_of=day,
        full_time_only=full_time_only,
        unit_kind=unit_kind,
        format=fmt,
    )
    audit_record(action="report.export", actor=by, unit=unit, obj=export)
    report_export_build_task.delay_on_commit(export.pk)
    return export


def _claim(export_id: int) -> bool:
    """Mark the job running, unless it is done or another run is moving it."""
    now = timezone.now()
    return bool(
        ReportExport.objects.filter(pk=export_id)
        .filter(
            Q(status=ReportExport.Status.QUEUED)
            | Q(status=ReportExport.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        )
        .update(status=ReportExport.Status.RUNNING, done=0, heartbeat_at=now)
    )


def export_report(export: ReportExport) -> Report:
    """The report's title block (no rows): what the file's first sheet says."""
    unit = export.unit
    source = export.target or export.programme
    return Report(
        root=Row(unit.pk, unit.name, unit.kind, unit.path, 0),
        rows=[],
        day=export.as_of,
        programme=export.programme,
        target=export.target,
        population=Population.of(
            source, full_time_only=export.full_time_only, unit_kind=export.unit_kind
        ),
        courses=required_courses(export.programme),
    )


def _counted(export_id: int, rows: Iterable[UnitFigures], every: int) -> Iterator[UnitFigures]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            ReportExport.objects.filter(pk=export_id).update(done=done, heartbeat_at=timezone.now())


def report_export_build(*, export_id: int, progress_every: int = PROGRESS_EVERY) -> ReportExport:
    """Write the file to a temporary file a few thousand units at a time, then
    hand it to private storage. Idempotent: a job done, or being moved by
    another run, is left alone."""
    if not _claim(export_id):
        return ReportExport.objects.get(pk=export_id)
    export = ReportExport.objects.select_related("unit", "programme", "target").get(pk=export_id)
    report = export_report(export)
    with replica_reads():
        query = ExportQuery(
            root=export.unit,
            day=export.as_of,
            programme_id=export.programme_id,
            population=report.population,
            has_courses=bool(report.courses),
        )
        total = query.count()
        ReportExport.objects.filter(pk=export.pk).update(total=total)
        by_level = export.format == ReportExport.Format.XLSX
        rows = _counted(export.pk, query.rows(by_level=by_level), progress_every)
        with tempfile.TemporaryFile() as spool:
            write = exports.xlsx_write if by_level else exports.csv_write
            write(report, rows, spool)
            ReportExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now())
            spool.seek(0)
            export.file.save(f"report.{export.format}", File(spool), save=False)
    export.status = ReportExport.Status.DONE
    export.done = export.total = total
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "done", "total", "finished_at"])
    return export


def report_export_fail(*, export_id: int, error: Exception) -> None:
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )


def report_export_download_name(export: ReportExport) -> str:
    return exports.filename(export_report(export), export.format)


def report_exports_purge(*, older_than: dt.timedelta = KEEP_FOR) -> int:
    """Delete exports asked for more than ``older_than`` ago, files first."""
    return ReportExport.purge(older_than=older_than)
