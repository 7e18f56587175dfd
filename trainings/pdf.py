"""Session reports as PDF, for printing and for the file (hồ sơ), beside the
XLSX exports: per session (invited, present, late, excused, absent, by unit,
then the attendance list with a place for signatures) and per unit and period
(sessions held, attendance rate, invited cadres never present). Drawn on the
shared PDF base (``config.pdf``)."""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from config.pdf.base import PDFRenderer

from .models import Attendance


def _int(value: int) -> str:
    return number_format(value, force_grouping=True)


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{number_format(round(100 * part / whole, 1), decimal_pos=1)} %"


def _time(value) -> str:
    return date_format(timezone.localtime(value), "H:i") if value else ""


def official_date_line(day) -> str:
    """ "…, ngày 05 tháng 03 năm 2026": the place is written by hand."""
    return _("……, day %(day)s month %(month)s year %(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


class _TrainingReport(PDFRenderer):
    """What both reports share: a heading block, tables, signatures."""

    margin = 14 * mm

    def stylesheet(self):
        styles = super().stylesheet()
        styles["cell_centre"] = self.style(8, leading=10, align=TA_CENTER, name="cc")
        styles["sign"] = self.style(10, bold=True, leading=13, align=TA_CENTER, name="sign")
        styles["sign_note"] = self.style(9, leading=12, align=TA_CENTER, name="sign_note")
        return styles

    def heading_block(self, organiser: str, title: str, lines: list[str]) -> list:
        block = [
            self.para(organiser.upper(), "centre"),
            Spacer(1, 3 * mm),
            self.para(title, "title_centre"),
        ]
        block += [self.para(line, "centre") for line in lines if line]
        return [*block, Spacer(1, 5 * mm)]

    def table(self, header: list[str], rows: list[list], widths: list[float], numeric=()):
        data = [[self.para(text, "cell_bold") for text in header]]
        for row in rows:
            data.append(
                [
                    self.para(value, "cell_centre" if index in numeric else "cell")
                    for index, value in enumerate(row)
                ]
            )
        # The one column given as None takes what the others leave of the width.
        rest = self.width - sum(w for w in widths if w is not None)
        table = Table(data, colWidths=[rest if w is None else w for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), self.shade),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def signatures(self) -> list:
        width = (self.page_size[0] - 2 * self.margin) / 2
        left = [
            self.para(_("PREPARED BY"), "sign"),
            self.para(_("(signature, full name)"), "sign_note"),
        ]
        right = [
            self.para(official_date_line(timezone.localdate()), "sign_note"),
            self.para(_("HEAD OF THE ORGANISING UNIT"), "sign"),
            self.para(_("(signature, full name, seal)"), "sign_note"),
        ]
        table = Table([[left, right]], colWidths=[width, width])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return [Spacer(1, 8 * mm), KeepTogether([table])]

    @property
    def width(self) -> float:
        return self.page_size[0] - 2 * self.margin


def _status_label(attendance: Attendance | None) -> str:
    if attendance is None:
        return _("No record")
    if attendance.revoked_at is not None:
        return _("Revoked")
    label = attendance.get_status_display()
    if attendance.walk_in:
        label += " · " + (_("walk-in") if attendance.accepted else _("walk-in, not accepted"))
    return label


class SessionReportPDF(_TrainingReport):
    """``render(session=…, rows=…, counts=…) -> bytes``: rows from
    ``selectors.session_roster``, counts from ``selectors.session_counts_by_unit``."""

    def render(self, *, session, rows: list[dict], counts: list[dict]) -> bytes:
        start = timezone.localtime(session.starts_at)
        self.running_title = f"{session.title} · {date_format(start, 'd/m/Y')}"
        story = self._heading(session)
        story += self._summary(session, counts)
        story += [Spacer(1, 3 * mm), self.para(_("By unit"), "heading")]
        story.append(self._unit_table(counts))
        story += [Spacer(1, 3 * mm), self.para(_("Attendance list"), "heading")]
        story.append(self._attendance_table(rows))
        story += self.signatures()
        return self.build(story, title=session.title)

    def _heading(self, session) -> list:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        place = session.venue or session.meeting_link
        return self.heading_block(
            session.organiser_unit.name,
            _("TRAINING SESSION ATTENDANCE REPORT"),
            [
                session.title,
                _("Time: %(start)s – %(end)s, %(day)s")
                % {
                    "start": date_format(start, "H:i"),
                    "end": date_format(end, "H:i"),
                    "day": date_format(start, "d/m/Y"),
                },
                _("Place: %(place)s") % {"place": place} if place else "",
                _("Mode: %(mode)s") % {"mode": session.get_mode_display()},
            ],
        )

    def _summary(self, session, counts: list[dict]) -> list:
        """The totals line, and the check-out rule when the session has one."""
        totals = {
            key: sum(c[key] for c in counts)
            for key in ("invited", "present", "late", "excused", "absent", "walk_in")
        }
        story = [
            self.para(
                _(
                    "Invited: %(invited)s · present: %(present)s · late: %(late)s · "
                    "absent with a reason: %(excused)s · absent: %(absent)s · "
                    "walk-ins: %(walk_in)s · attendance rate: %(rate)s"
                )
                % {
                    **{key: _int(value) for key, value in totals.items()},
                    "rate": _percent(
                        totals["present"] + totals["late"],
                        totals["invited"] + totals["walk_in"],
                    ),
                },
                "text",
            )
        ]
        if session.requires_checkout:
            story.append(
                self.para(
                    _(
                        "This session requires check-out: a self check-in without a "
                        "check-out does not count."
                    ),
                    "text",
                )
            )
        return story

    def _unit_table(self, counts: list[dict]) -> Table:
        return self.table(
            [
                _("Unit"),
                _("Invited"),
                _("Present"),
                _("Late"),
                _("Absent with a reason"),
                _("Absent"),
                _("Not invited"),
            ],
            [
                [
                    c["unit"] or "—",
                    _int(c["invited"]),
                    _int(c["present"]),
                    _int(c["late"]),
                    _int(c["excused"]),
                    _int(c["absent"]),
                    _int(c["walk_in"]),
                ]
                for c in counts
            ],
            [self.width * 0.28] + [self.width * 0.12] * 6,
            numeric=range(1, 7),
        )

    def _attendance_table(self, rows: list[dict]) -> Table:
        return self.table(
            [
                _("No."),
                _("Full name"),
                _("Position"),
                _("Unit"),
                _("Status"),
                _("Time in"),
                _("Time out"),
                _("Note or reason"),
            ],
            [self._row(number, row) for number, row in enumerate(rows, start=1)],
            [
                11 * mm,
                self.width * 0.2,
                self.width * 0.13,
                self.width * 0.15,
                self.width * 0.15,
                14 * mm,
                14 * mm,
                None,
            ],
            numeric=(0, 5, 6),
        )

    def _row(self, number: int, row: dict) -> list[str]:
        attendance = row["attendance"]
        note = ""
        if attendance is not None:
            note = attendance.revoke_reason if attendance.revoked_at else attendance.note
        elif row["invitation"] is not None and row["invitation"].decline_reason:
            note = row["invitation"].decline_reason
        return [
            str(number),
            row["cadre"].full_name,
            row["position"],
            row["unit"],
            _status_label(attendance),
            _time(attendance.checked_in_at) if attendance else "",
            _time(attendance.checked_out_at) if attendance else "",
            note,
        ]


class PeriodReportPDF(_TrainingReport):
    """``render(unit=…, start=…, end=…, summary=…, never_units=…) -> bytes``;
    summary from ``selectors.unit_period_summary``."""

    def render(self, *, unit, start, end, summary: dict, never_units: dict) -> bytes:
        period = _("From %(start)s to %(end)s") % {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }
        self.running_title = f"{unit.name} · {period}"
        story = self.heading_block(
            unit.name, _("TRAINING SESSIONS REPORT"), [_("Unit and the units under it"), period]
        )
        story.append(self._summary(summary))
        story += [Spacer(1, 3 * mm), self.para(_("Sessions held"), "heading")]
        story.append(self._sessions_table(summary["sessions"]))
        story += [Spacer(1, 3 * mm), self.para(_("Invited but never present"), "heading")]
        if summary["never"]:
            story.append(self._never_table(summary["never"], never_units))
        else:
            story.append(self.para(_("Nobody."), "text"))
        story += self.signatures()
        return self.build(story, title=f"{unit.name} — {period}")

    def _summary(self, summary: dict):
        return self.para(
            _(
                "Sessions held: %(sessions)s · invitations: %(invited)s · attended: "
                "%(attended)s · attendance rate: %(rate)s · invited cadres never "
                "present: %(never)s"
            )
            % {
                "sessions": _int(len(summary["sessions"])),
                "invited": _int(summary["invited"]),
                "attended": _int(summary["attended"]),
                "rate": _percent(summary["attended"], summary["invited"]),
                "never": _int(len(summary["never"])),
            },
            "text",
        )

    def _sessions_table(self, sessions) -> Table:
        return self.table(
            [
                _("No."),
                _("Session"),
                _("Date"),
                _("Organiser unit"),
                _("Invited"),
                _("Attended"),
                _("Rate"),
            ],
            [
                [
                    str(number),
                    s.title,
                    date_format(timezone.localtime(s.starts_at), "d/m/Y"),
                    s.organiser_unit.name,
                    _int(s.invited),
                    _int(s.attended),
                    _percent(s.attended, s.invited),
                ]
                for number, s in enumerate(sessions, start=1)
            ],
            [
                11 * mm,
                self.width * 0.3,
                21 * mm,
                self.width * 0.22,
                self.width * 0.09,
                self.width * 0.09,
                None,
            ],
            numeric=(0, 2, 4, 5, 6),
        )

    def _never_table(self, never, never_units: dict) -> Table:
        return self.table(
            [_("No."), _("Full name"), _("Position"), _("Unit")],
            [
                [
                    str(number),
                    cadre.full_name,
                    never_units.get(cadre.pk, ("", ""))[1],
                    never_units.get(cadre.pk, ("", ""))[0],
                ]
                for number, cadre in enumerate(never, start=1)
            ],
            [11 * mm, self.width * 0.34, self.width * 0.22, None],
            numeric=(0,),
        )
