"""The printable list of activation codes: one slip per cadre to cut out,
with the username, the code, the last day it works and a QR code that opens
the activation page with the username filled in. Drawn on the shared PDF base
(``config.pdf``)."""

import datetime as dt
from dataclasses import dataclass

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from config.pdf.base import PDFRenderer
from config.pdf.qr import QRCodeFlowable

from . import selectors as rs


@dataclass(frozen=True)
class Slip:
    full_name: str
    username: str
    code: str


class ActivationSlipsRenderer(PDFRenderer):
    qr_size = 30 * mm
    code_size = 15

    def render(self, *, unit_name: str, slips: list[Slip], issued_on: dt.date, expires: dt.date):
        self.use_fonts()
        self.running_title = f"{_('Activation codes')} — {unit_name}"
        day = date_format(issued_on, "d/m/Y")
        story = [
            self.para(self.running_title, "title"),
            Spacer(1, 2 * mm),
            self.para(
                _(
                    "Issued on %(day)s. Cut along the lines and give each cadre their slip; "
                    "each code works once. Issuing again replaces these codes."
                )
                % {"day": day},
            ),
            Spacer(1, 4 * mm),
        ]
        if slips:
            story.append(self._slips_table(slips, expires))
        return self.build(story, title=self.running_title)

    def _slips_table(self, slips: list[Slip], expires: dt.date) -> Table:
        width = self.page_size[0] - 2 * self.margin
        qr = self.qr_size
        rows = [
            [QRCodeFlowable(rs.activation_url(slip.username), qr), self._text(slip, expires)]
            for slip in slips
        ]
        table = Table(rows, colWidths=[qr + 6 * mm, width - qr - 6 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    # The cut line under every slip, dashed.
                    ("LINEBELOW", (0, 0), (-1, -1), 0.6, self.muted, 1, (4, 3)),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.6, self.muted, 1, (4, 3)),
                ]
            )
        )
        return table

    def _text(self, slip: Slip, expires: dt.date) -> list[Paragraph]:
        styles = self.styles
        code = self.style(self.code_size, bold=True, leading=self.code_size * 1.3, name="code")
        return [
            self.para(slip.full_name, "heading"),
            self._fact(_("Username"), slip.username),
            Paragraph(f"{self.escaped(_('Activation code'))}: {self.escaped(slip.code)}", code),
            self._fact(_("Valid until"), date_format(expires, "d/m/Y")),
            Spacer(1, 1.5 * mm),
            self.para(
                _(
                    "Scan the QR code or open %(address)s, enter your username (or your "
                    "phone number) and the code, then choose your password."
                )
                % {"address": rs.activation_url()},
                styles["text"],
            ),
        ]

    def _fact(self, label: str, value: str) -> Paragraph:
        return Paragraph(
            f"{self.escaped(label)}: <b>{self.escaped(value)}</b>", self.styles["text"]
        )
