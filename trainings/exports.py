"""The session's attendance as XLSX, for the file (hồ sơ) and for Zalo."""

import io

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from cadres.export_cells import neutralise_row

from .selectors import session_counts_by_unit, session_roster


def session_xlsx(session) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Attendance")[:31]
    bold = Font(bold=True)
    sheet.append(neutralise_row([session.title]))
    sheet.append([date_format(timezone.localtime(session.starts_at), "d/m/Y H:i")])
    sheet.append([])
    header = [
        _("Full name"),
        _("Position"),
        _("Unit"),
        _("Status"),
        _("Source"),
        _("Checked in at"),
        _("Minutes present"),
        _("Walk-in"),
        _("Note or reason"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in session_roster(session):
        attendance = row["attendance"]
        revoked = attendance is not None and attendance.revoked_at is not None
        sheet.append(
            neutralise_row(
                [
                    row["cadre"].full_name,
                    row["position"],
                    row["unit"],
                    _("Revoked")
                    if revoked
                    else (attendance.get_status_display() if attendance else _("No record")),
                    attendance.get_source_display() if attendance else "",
                    date_format(timezone.localtime(attendance.checked_in_at), "d/m/Y H:i")
                    if attendance and attendance.checked_in_at
                    else "",
                    attendance.minutes if attendance and attendance.minutes is not None else "",
                    _("Yes") if attendance and attendance.walk_in else "",
                    (attendance.revoke_reason if revoked else attendance.note)
                    if attendance
                    else "",
                ]
            )
        )
    summary = workbook.create_sheet(_("By unit")[:31])
    summary.append(
        [
            _("Unit"),
            _("Invited"),
            _("Present"),
            _("Late"),
            _("Absent with a reason"),
            _("Absent"),
            _("Walk-in"),
        ]
    )
    for cell in summary[1]:
        cell.font = bold
    for counts in session_counts_by_unit(session):
        summary.append(
            neutralise_row(
                [
                    counts["unit"],
                    counts["invited"],
                    counts["present"],
                    counts["late"],
                    counts["excused"],
                    counts["absent"],
                    counts["walk_in"],
                ]
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def period_xlsx(*, unit, start, end, summary: dict) -> bytes:
    """Per unit and period: the sessions held with invited and attended, then
    the invited cadres never present."""
    import openpyxl
    from openpyxl.styles import Font

    from .selectors import cadre_unit_names

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Sessions held")[:31]
    bold = Font(bold=True)
    sheet.append(neutralise_row([unit.name]))
    sheet.append([f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"])
    sheet.append([])
    sheet.append(
        [_("Session"), _("Date"), _("Organiser unit"), _("Invited"), _("Attended"), _("Rate")]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for session in summary["sessions"]:
        sheet.append(
            neutralise_row(
                [
                    session.title,
                    timezone.localtime(session.starts_at).date(),
                    session.organiser_unit.name,
                    session.invited,
                    session.attended,
                    session.attended / session.invited if session.invited else None,
                ]
            )
        )
        sheet.cell(sheet.max_row, 2).number_format = "DD/MM/YYYY"
        sheet.cell(sheet.max_row, 6).number_format = "0.0%"
    never = workbook.create_sheet(_("Never present")[:31])
    never.append([_("Full name"), _("Position"), _("Unit")])
    for cell in never[1]:
        cell.font = bold
    units = cadre_unit_names([cadre.pk for cadre in summary["never"]])
    for cadre in summary["never"]:
        unit_name, position = units.get(cadre.pk, ("", ""))
        never.append(neutralise_row([cadre.full_name, position, unit_name]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
