"""Downloads of a report: XLSX, CSV (UTF-8 with BOM, so Excel reads the
diacritics), PDF; and the plain-text "not yet completed" list for Zalo.

The PDF and the cadre list are drawn from the same
:class:`~reports.figures.Report` as the page. The XLSX and CSV of the whole
tree are written by a job (:mod:`reports.export_jobs`) from rows streamed by
:mod:`reports.export_rows`, which counts as :func:`~reports.figures.report_build`
does; the title sheet still reads the report's title block.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cadres.export_cells import neutralise, neutralise_row
from cadres.models import OrgUnit

from .export_rows import UnitFigures
from .figures import Report, Row, expected_percent, gap_for, status_for
from .formatting import fmt_date, fmt_int, status_label
from .models import Status
from .selectors import unit_cadre_rows_all

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def unit_headers() -> list[str]:
    return [
        _("Level"),
        _("Unit"),
        _("Parent unit"),
        _("Unit kind"),
        _("Cadres in scope"),
        _("Trained"),
        _("Share trained"),
        _("Target"),
        _("More needed"),
        _("Status"),
    ]


def unit_lines(report: Report, rows: Iterable[UnitFigures]) -> Iterator[list]:
    """One line per unit; percentages as fractions (0.853). Labels are
    translated once, not once a row."""
    target = report.target
    expected = expected_percent(target, report.day) if target else None
    target_share = target.percentage / 100 if target else None
    kinds = {kind: str(label) for kind, label in OrgUnit.Kind.choices}
    statuses = {status: status_label(status) for status in Status.values}
    for figures in rows:
        row = Row(0, figures.name, figures.kind, "", figures.level)
        row.in_scope, row.trained = figures.in_scope, figures.trained
        yield [
            figures.level + 1,
            figures.name,
            figures.parent_name if figures.level else "",
            kinds.get(figures.kind, figures.kind),
            figures.in_scope,
            figures.trained,
            round(figures.trained / figures.in_scope, 4) if figures.in_scope else None,
            target_share,
            gap_for(target.percentage, figures.in_scope, figures.trained) if target else None,
            statuses.get(status_for(row, target, report.day, expected), ""),
        ]


def title_lines(report: Report) -> list[str]:
    target = report.target
    lines = [
        _("Digital-skills training progress"),
        _("Unit: %(unit)s") % {"unit": report.root.name},
        _("Training programme: %(programme)s") % {"programme": report.programme.name},
        _("Figures as of: %(day)s") % {"day": fmt_date(report.day)},
    ]
    if target:
        lines.append(
            _("Target: %(percent)s%% by %(deadline)s")
            % {"percent": target.percentage, "deadline": fmt_date(target.deadline)}
        )
    else:
        lines.append(_("This programme has no target for this unit."))
    if report.population.full_time_only:
        lines.append(_("Full-time cadres only"))
    if report.population.positions:
        lines.append(
            _("Positions: %(positions)s") % {"positions": ", ".join(report.population.positions)}
        )
    if report.population.unit_kind:
        lines.append(
            _("Unit kind: %(kind)s")
            % {"kind": dict(OrgUnit.Kind.choices).get(report.population.unit_kind)}
        )
    return lines


def filename(report: Report, ext: str) -> str:
    return f"bao-cao-{slugify(report.root.name)[:40]}-{report.day:%Y%m%d}.{ext}"


def pdf_response(report: Report) -> HttpResponse:
    out = HttpResponse(pdf_bytes(report), content_type=FORMATS["pdf"])
    out["Content-Disposition"] = f'attachment; filename="{filename(report, "pdf")}"'
    return out


def csv_write(report: Report, rows: Iterable[UnitFigures], out: BinaryIO) -> None:
    """The report's units in tree order as CSV (UTF-8 with BOM) into ``out``."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(neutralise_row(unit_headers()))
    for line in unit_lines(report, rows):
        # Percentages as Vietnamese-formatted text would not sort; keep numbers
        # with a dot, which every spreadsheet reads whatever its locale's comma.
        writer.writerow(
            neutralise_row(
                [
                    *line[:6],
                    "" if line[6] is None else f"{line[6] * 100:.1f}",
                    "" if line[7] is None else f"{line[7] * 100:.0f}",
                    "" if line[8] is None else line[8],
                    line[9],
                ]
            )
        )
    text.flush()
    text.detach()


def _header(sheet, values) -> None:
    bold = Font(bold=True)
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def _date_cell(sheet, value: dt.date | dt.datetime | None) -> WriteOnlyCell:
    """A real date (sortable, filterable) that reads dd/mm/yyyy in any Excel."""
    cell = WriteOnlyCell(sheet, value=value)
    if value is not None:
        cell.number_format = DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
    return cell


def _workbook(report: Report) -> Workbook:
    """A write-only workbook that opens with the report's title sheet."""
    workbook = Workbook(write_only=True)
    info = workbook.create_sheet(_("Information")[:31])
    as_of_text = _("Figures as of: %(day)s") % {"day": fmt_date(report.day)}
    for line in title_lines(report):
        if line != as_of_text:  # written below as a date
            info.append([neutralise(line)])
    info.append([_("Figures as of"), _date_cell(info, report.day)])
    if report.target:
        info.append([_("Target deadline"), _date_cell(info, report.target.deadline)])
    info.append(
        [
            _("Exported at"),
            _date_cell(info, timezone.localtime().replace(tzinfo=None, microsecond=0)),
        ]
    )
    return workbook


def xlsx_write(report: Report, rows: Iterable[UnitFigures], out: BinaryIO) -> None:
    """The title sheet, then one sheet per level (``rows`` come level by
    level), into ``out``. Write-only: each sheet streams to a temporary file."""
    workbook = _workbook(report)
    sheet, level = None, None
    for line in unit_lines(report, rows):
        if line[0] != level:
            level = line[0]
            sheet = workbook.create_sheet((_("Level %(n)s") % {"n": level})[:31])
            sheet.column_dimensions["B"].width = 48
            sheet.column_dimensions["C"].width = 40
            _header(sheet, unit_headers())
        # Plain values first: openpyxl writes them through one reused cell,
        # which takes on the style of a styled cell given before it.
        cells = neutralise_row(line[:6])
        for value in line[6:8]:
            cell = WriteOnlyCell(sheet, value=value)
            if value is not None:
                cell.number_format = "0.0%"
            cells.append(cell)
        cells.extend(WriteOnlyCell(sheet, value=neutralise(value)) for value in line[8:])
        sheet.append(cells)
    workbook.save(out)


def cadres_xlsx_bytes(report: Report) -> bytes:
    """Every cadre counted in the report, with the date each required course
    was completed: the drill-down as a spreadsheet."""
    workbook = _workbook(report)
    cadres = workbook.create_sheet(_("Cadres")[:31])
    cadres.column_dimensions["A"].width = 28
    cadres.column_dimensions["B"].width = 40
    _header(
        cadres,
        [_("Full name"), _("Unit"), _("Position"), _("Full-time"), _("Trained")]
        + [title for _id, title in report.courses]
        + [_("Last activity")],
    )
    yes, no = _("Yes"), _("No")
    tz = timezone.get_current_timezone()
    for row in unit_cadre_rows_all(report):
        last = row["last_activity"]
        cadres.append(
            neutralise_row(
                [
                    row["name"],
                    row["unit_name"],
                    row["position"],
                    yes if row["is_full_time"] else no,
                    yes if row["trained"] else no,
                    *[
                        _date_cell(
                            cadres,
                            c["completed_at"].astimezone(tz).date() if c["completed_at"] else None,
                        )
                        for c in row["courses"]
                    ],
                    _date_cell(cadres, last.astimezone(tz).replace(tzinfo=None) if last else None),
                ]
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def incomplete_text(
    report: Report, unit: OrgUnit, rows: list[dict], *, total: int | None = None, start: int = 1
) -> str:
    """Plain text for a Zalo group: name, position, what is missing, deadline."""
    deadline = report.target.deadline if report.target else report.programme.deadline
    lines = [
        _("NOT YET COMPLETED — %(programme)s") % {"programme": report.programme.name},
        " · ".join(
            [unit.name, _("figures as of %(day)s") % {"day": fmt_date(report.day)}]
            + ([_("deadline %(deadline)s") % {"deadline": fmt_date(deadline)}] if deadline else [])
        ),
        "",
    ]
    for number, row in enumerate(rows, start=start or 1):
        position = f" ({row['position']})" if row["position"] else ""
        lines.append(f"{number}. {row['name']}{position}")
        lines.append("   " + _("Missing: %(courses)s") % {"courses": "; ".join(row["missing"])})
    if not rows:
        lines.append(_("Everyone has completed the programme."))
    else:
        lines.append("")
        lines.append(
            _("%(n)s cadres to complete.") % {"n": fmt_int(len(rows) if total is None else total)}
        )
    return "\n".join(lines)


def pdf_bytes(report: Report) -> bytes:
    from .pdf import ReportPDF

    return ReportPDF().render(report)
