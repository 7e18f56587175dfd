"""The printable sign-in sheet (danh sách ký tên) for a session, or one unit of
it: title block, then No. / Full name / Position / Unit / Signature, with the
header row repeated on every page. Vietnamese needs an embedded TTF: the
Noto Sans files shipped (with their licence) in certificates/fonts are used by
path — trainings sits before certificates and does not import it. Text is NFC
and escaped before ReportLab's mini-markup sees it."""

import io
import threading
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cadres.text import nfc

FONT_DIR = Path(settings.BASE_DIR) / "certificates" / "fonts"
_lock = threading.Lock()
_fonts: tuple[str, str] | None = None


def _register() -> tuple[str, str]:
    global _fonts
    if _fonts is not None:
        return _fonts
    with _lock:
        if _fonts is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            regular, bold = "trainings-sans", "trainings-sans-bold"
            pdfmetrics.registerFont(TTFont(regular, FONT_DIR / "NotoSans-Regular.ttf"))
            pdfmetrics.registerFont(TTFont(bold, FONT_DIR / "NotoSans-Bold.ttf"))
            _fonts = (regular, bold)
    return _fonts


def _text(value) -> str:
    return escape(nfc(str(value or "")))


class SignInSheet:
    """``render(session=…, rows=…, unit=…) -> bytes``."""

    pagesize = A4
    margin = 14 * mm
    font_size = 10
    row_height = 11 * mm

    def render(self, *, session, rows: list[dict], unit=None) -> bytes:
        regular, bold = _register()
        body = ParagraphStyle("body", fontName=regular, fontSize=self.font_size, leading=13)
        head = ParagraphStyle("head", parent=body, fontName=bold)
        title = ParagraphStyle("title", parent=head, fontSize=14, leading=18, alignment=1)
        centre = ParagraphStyle("centre", parent=body, alignment=1)
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        place = session.venue or session.meeting_link
        story = [
            Paragraph(_text(session.organiser_unit.name).upper(), centre),
            Spacer(1, 3 * mm),
            Paragraph(_text(_("SIGN-IN SHEET")), title),
            Paragraph(_text(session.title), ParagraphStyle("sub", parent=head, alignment=1)),
            Spacer(1, 2 * mm),
            Paragraph(
                _text(
                    _("Time: %(start)s – %(end)s, %(day)s")
                    % {
                        "start": date_format(start, "H:i"),
                        "end": date_format(end, "H:i"),
                        "day": date_format(start, "d/m/Y"),
                    }
                ),
                centre,
            ),
        ]
        if place:
            story.append(Paragraph(_text(_("Place: %(place)s") % {"place": place}), centre))
        if unit is not None:
            story.append(Paragraph(_text(_("Unit: %(unit)s") % {"unit": unit.name}), centre))
        story.append(Spacer(1, 5 * mm))
        data = [
            [
                Paragraph(_text(_("No.")), head),
                Paragraph(_text(_("Full name")), head),
                Paragraph(_text(_("Position")), head),
                Paragraph(_text(_("Unit")), head),
                Paragraph(_text(_("Sign here")), head),
            ]
        ]
        for number, row in enumerate(rows, start=1):
            data.append(
                [
                    Paragraph(str(number), body),
                    Paragraph(_text(row["cadre"].full_name), body),
                    Paragraph(_text(row["position"]), body),
                    Paragraph(_text(row["unit"]), body),
                    "",
                ]
            )
        width = self.pagesize[0] - 2 * self.margin
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
            Paragraph(
                _text(
                    _("Total: %(n)s people. Certified by the organiser (signature, full name).")
                    % {"n": len(rows)}
                ),
                body,
            )
        )
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            title=nfc(session.title),
        )
        document.build(story)
        return buffer.getvalue()
