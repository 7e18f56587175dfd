"""The printable sign-in sheet (danh sách ký tên) for a session, or one unit of
it: title block, then No. / Full name / Position / Unit / Signature, with the
header row repeated on every page and page numbers, for the file (hồ sơ).
Drawn on the shared PDF base (``config.pdf``: the Vietnamese font, escaped
NFC text, page hooks)."""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from config.pdf.base import PDFRenderer


class SignInSheet(PDFRenderer):
    """``render(session=…, rows=…, unit=…) -> bytes``."""

    margin = 14 * mm
    font_size = 10
    row_height = 11 * mm

    def stylesheet(self):
        styles = super().stylesheet()
        styles["body"] = self.style(self.font_size, leading=13, name="body")
        styles["head"] = self.style(self.font_size, bold=True, leading=13, name="head")
        return styles

    def render(self, *, session, rows: list[dict], unit=None) -> bytes:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        place = session.venue or session.meeting_link
        when = _("Time: %(start)s – %(end)s, %(day)s") % {
            "start": date_format(start, "H:i"),
            "end": date_format(end, "H:i"),
            "day": date_format(start, "d/m/Y"),
        }
        self.running_title = f"{session.title} · {date_format(start, 'd/m/Y')}"
        story = [
            self.para(session.organiser_unit.name.upper(), "centre"),
            Spacer(1, 3 * mm),
            self.para(_("SIGN-IN SHEET"), "title_centre"),
            self.para(session.title, "centre_bold"),
            Spacer(1, 2 * mm),
            self.para(when, "centre"),
        ]
        if place:
            story.append(self.para(_("Place: %(place)s") % {"place": place}, "centre"))
        if unit is not None:
            story.append(self.para(_("Unit: %(unit)s") % {"unit": unit.name}, "centre"))
        story.append(Spacer(1, 5 * mm))
        header = [_("No."), _("Full name"), _("Position"), _("Unit"), _("Sign here")]
        data = [[self.para(text, "head") for text in header]]
        for number, row in enumerate(rows, start=1):
            data.append(
                [
                    self.para(str(number), "body"),
                    self.para(row["cadre"].full_name, "body"),
                    self.para(row["position"], "body"),
                    self.para(row["unit"], "body"),
                    "",
                ]
            )
        width = self.page_size[0] - 2 * self.margin
        table = Table(
            data,
            colWidths=[13 * mm, 0.28 * width, 0.2 * width, None, 0.2 * width],
            repeatRows=1,
            rowHeights=[None] + [self.row_height] * len(rows),
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 6 * mm))
        story.append(
            self.para(
                _("Total: %(n)s people. Certified by the organiser (signature, full name).")
                % {"n": len(rows)},
                "body",
            )
        )
        return self.build(story, title=session.title)
