"""The PDF report: title block, the unit table, a bar chart per unit against
the target line, page numbers — drawn on the shared PDF base (``config.pdf``),
which brings the Vietnamese font, the escaped NFC text and the page footer."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from cadres.text import nfc
from config.pdf.base import PDFRenderer

from .exports import title_lines
from .figures import Report
from .formatting import fmt_int, fmt_percent, status_label

STATUS_COLOURS = {
    "met": colors.HexColor("#1b6e3a"),
    "on_track": colors.HexColor("#0b57d0"),
    "behind": colors.HexColor("#b3261e"),
}


class ReportPDF(PDFRenderer):
    """``render(report) -> bytes``. Geometry, fonts and styles come from the
    base as attributes a subclass can change."""

    chart_rows_per_drawing = 32

    def __init__(self):
        self.use_fonts()
        self.title = self.styles["title"]
        self.text = self.styles["text"]
        self.cell = self.styles["cell"]
        self.heading = self.styles["heading"]

    def render(self, report: Report) -> bytes:
        story = self.title_block(report) + self.table(report) + self.charts(report)
        return self.build(story, title=_("Digital-skills training progress"))

    def title_block(self, report: Report) -> list:
        lines = title_lines(report)
        block = [self.para(lines[0].upper(), self.title), Spacer(1, 4)]
        block += [self.para(line, self.text) for line in lines[1:]]
        if report.depth_drawn is not None:
            block.append(
                self.para(
                    ngettext(
                        "Units down to %(n)s level below this one; the XLSX export has them all.",
                        "Units down to %(n)s levels below this one; the XLSX export has them all.",
                        report.depth_drawn,
                    )
                    % {"n": report.depth_drawn},
                    self.text,
                )
            )
        top = report.root
        block.append(
            self.para(
                _("Trained: %(trained)s of %(in_scope)s cadres (%(percent)s)")
                % {
                    "trained": fmt_int(top.trained),
                    "in_scope": fmt_int(top.in_scope),
                    "percent": fmt_percent(top.percent),
                },
                self.text,
            )
        )
        block.append(
            self.para(
                _("Drawn up at %(time)s") % {"time": f"{timezone.localtime():%H:%M %d/%m/%Y}"},
                self.text,
            )
        )
        return [*block, Spacer(1, 8)]

    def table(self, report: Report) -> list:
        header = [
            _("Unit"),
            _("Cadres"),
            _("Trained"),
            _("Share"),
            _("More needed"),
            _("Status"),
        ]
        data = [[self.para(h, self.cell) for h in header]]
        styles = [
            ("FONTNAME", (0, 0), (-1, -1), self.regular),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1ece8")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d9d4dd")),
            ("ALIGN", (1, 1), (4, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        for index, row in enumerate(report.rows, start=1):
            name = self.para(row.name, self.cell)
            name.style = ParagraphStyle(
                f"lvl{row.level}", parent=self.cell, leftIndent=8 * row.level
            )
            data.append(
                [
                    name,
                    fmt_int(row.in_scope),
                    fmt_int(row.trained),
                    fmt_percent(row.percent),
                    fmt_int(row.gap) if row.gap is not None else "—",
                    status_label(row.status),
                ]
            )
            if row.status in STATUS_COLOURS:
                styles.append(("TEXTCOLOR", (5, index), (5, index), STATUS_COLOURS[row.status]))
            if row.level == 0:
                styles.append(("FONTNAME", (0, index), (-1, index), self.bold))
        width = self.page_size[0] - 2 * self.margin
        table = Table(
            data,
            colWidths=[
                width * 0.44,
                width * 0.1,
                width * 0.1,
                width * 0.1,
                width * 0.1,
                width * 0.16,
            ],
            repeatRows=1,
        )
        table.setStyle(TableStyle(styles))
        return [table]

    def charts(self, report: Report) -> list:
        rows = report.chart_rows()
        target = report.target.percentage if report.target else None
        out = [self.para(_("Share of cadres trained, by unit"), self.heading)]
        step = self.chart_rows_per_drawing
        for start in range(0, len(rows), step):
            out.append(KeepTogether([self.bar_chart(rows[start : start + step], target)]))
            out.append(Spacer(1, 6))
        return out

    def bar_chart(self, rows, target: int | None) -> Drawing:
        width = self.page_size[0] - 2 * self.margin
        label_w, right, row_h, top = 70 * mm, 16 * mm, 12, 16
        bar_w = width - label_w - right
        height = top + row_h * len(rows) + 4
        drawing = Drawing(width, height)
        for tick in (0, 25, 50, 75, 100):
            x = label_w + bar_w * tick / 100
            drawing.add(Line(x, 2, x, height - top + 4, strokeColor=colors.HexColor("#e4e0e7")))
            drawing.add(
                String(
                    x,
                    height - 10,
                    f"{tick}%",
                    fontName=self.regular,
                    fontSize=7,
                    textAnchor="middle",
                )
            )
        for i, row in enumerate(rows):
            y = height - top - (i + 1) * row_h
            name = row.name if len(row.name) <= 48 else row.name[:47] + "…"
            drawing.add(
                String(
                    label_w - 4,
                    y + 3,
                    nfc(name),
                    fontName=self.regular,
                    fontSize=7,
                    textAnchor="end",
                )
            )
            if row.percent is not None:
                drawing.add(
                    Rect(
                        label_w,
                        y + 1.5,
                        bar_w * min(row.percent, 100) / 100,
                        row_h - 3,
                        fillColor=STATUS_COLOURS.get(row.status, colors.grey),
                        strokeColor=None,
                    )
                )
            drawing.add(
                String(
                    label_w + bar_w + 3,
                    y + 3,
                    fmt_percent(row.percent),
                    fontName=self.regular,
                    fontSize=7,
                )
            )
        if target is not None:
            x = label_w + bar_w * target / 100
            drawing.add(
                Line(
                    x,
                    0,
                    x,
                    height - top + 6,
                    strokeColor=colors.black,
                    strokeWidth=1.2,
                    strokeDashArray=[4, 2],
                )
            )
        return drawing
