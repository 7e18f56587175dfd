"""The certificate PDF, drawn with ReportLab on one A4 landscape page.

``CertificateRenderer().render(certificate) -> bytes``, on the shared PDF base
(``config.pdf``): fonts, paragraph styles, text escaping and metadata come from
there. Page geometry, colours and sizes are class attributes so a subclass can
change the look without touching the drawing code. Every piece of text is
NFC-normalised and escaped before it reaches a Paragraph: a name such as
``<font color=red>`` prints as those characters.

``settings.CERTIFICATES_RENDERER`` names the class the services use, so a test
can point it at a slower subclass; production code has no test hooks.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from cadres.text import nfc
from config.pdf.base import PDFRenderer
from config.pdf.qr import QRCodeFlowable

from .models import code_display
from .placeholders import body_lines

SAMPLE_CODE = "MAUXEMTRUOCKHONG"


def official_date_line(place: str, day: dt.date) -> str:
    """ "Thái Nguyên, ngày 05 tháng 03 năm 2026": day and month on two digits."""
    return f"{nfc(place)}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("certificates:verify", args=[code])


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class Content:
    """Everything printed on a certificate, already decided."""

    holder_name: str
    subject: str
    number: str
    code: str
    issued_on: dt.date
    unit: str = ""
    date_of_birth: dt.date | None = None
    score: str = ""
    completed_on: dt.date | None = None
    # (capacity, title, name) as frozen on the certificate; None: the template's.
    signer: tuple[str, str, str] | None = None

    @classmethod
    def of(cls, certificate) -> "Content":
        issued = certificate.issued_at or timezone.now()
        return cls(
            holder_name=certificate.holder_name,
            subject=certificate.subject,
            number=certificate.number,
            code=certificate.code,
            issued_on=timezone.localdate(issued),
            unit=certificate.holder_unit,
            date_of_birth=certificate.holder_date_of_birth,
            score=certificate.score,
            completed_on=certificate.completed_on,
            signer=(
                certificate.signatory_capacity,
                certificate.signatory_title,
                certificate.signatory_name,
            ),
        )


class CertificateRenderer(PDFRenderer):
    page_size = landscape(A4)
    margin = 22
    ink = colors.Color(0.1, 0.1, 0.12)
    accent = colors.Color(0.62, 0.08, 0.08)
    title_size = 30
    name_size = 24
    body_size = 14
    qr_size = 82

    def render(self, certificate) -> bytes:
        return self.render_content(certificate.template, Content.of(certificate))

    def render_content(self, template, content: Content) -> bytes:
        self.use_fonts(template.font_family)
        buffer = io.BytesIO()
        # invariant: no timestamps or random ids in the file, so rendering the
        # same certificate twice gives the same bytes and the same SHA-256.
        canvas = Canvas(buffer, pagesize=self.page_size, invariant=1, pageCompression=1)
        self._metadata(canvas, template, content)
        width, height = self.page_size
        self._background(canvas, template, width, height)
        self._frame(canvas, template, width, height)
        y = self._heading(canvas, template, width, height)
        y = self._title_and_name(canvas, template, content, width, y)
        self._body(canvas, template, content, width, y)
        self._signature(canvas, template, content, width)
        self._verification(canvas, content)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    # -- pieces of the page ---------------------------------------------------

    def _metadata(self, canvas, template, content) -> None:
        self.metadata(
            canvas,
            title=f"{template.title} {content.number}".strip(),
            author=template.issuer,
            subject=f"{content.holder_name} — {content.subject}",
            keywords=f"{content.number} {content.code}".strip(),
        )

    def _style(self, size: float, *, bold=False, align=TA_CENTER, color=None, leading=None):
        return self.style(size, bold=bold, align=align, color=color, leading=leading, name="c")

    def _para(self, canvas, text: str, style, x: float, top: float, width: float) -> float:
        """Draw centred text whose top edge is at ``top``; return the new top."""
        paragraph = Paragraph(self.escaped(text), style)
        _w, h = paragraph.wrapOn(canvas, width, 1000)
        paragraph.drawOn(canvas, x, top - h)
        return top - h

    def _fitting_size(self, text: str, font: str, size: float, width: float, floor: float):
        while size > floor and stringWidth(text, font, size) > width:
            size -= 1
        return size

    def _background(self, canvas, template, width, height) -> None:
        image = _image(template.background_image)
        if image is not None:
            canvas.drawImage(image, 0, 0, width, height, mask="auto")

    def _frame(self, canvas, template, width, height) -> None:
        if template.border == "none":
            return
        m = self.margin
        canvas.saveState()
        canvas.setStrokeColor(self.accent)
        if template.border == "double":
            canvas.setLineWidth(3)
            canvas.rect(m, m, width - 2 * m, height - 2 * m)
            canvas.setLineWidth(0.8)
            canvas.rect(m + 6, m + 6, width - 2 * m - 12, height - 2 * m - 12)
            for cx, cy in ((m + 6, m + 6), (width - m - 6, m + 6)):
                canvas.circle(cx, cy, 3, stroke=1, fill=0)
            for cx, cy in ((m + 6, height - m - 6), (width - m - 6, height - m - 6)):
                canvas.circle(cx, cy, 3, stroke=1, fill=0)
        else:
            canvas.setLineWidth(1)
            canvas.rect(m, m, width - 2 * m, height - 2 * m)
        canvas.restoreState()

    def _heading(self, canvas, template, width, height) -> float:
        top = height - 52
        if template.show_national_motto:
            left_x, left_w = 50, 330
            right_x, right_w = width - 50 - 400, 400
        else:
            left_x, left_w = (width - 520) / 2, 520
        y = top
        if template.parent_body:
            y = self._para(canvas, template.parent_body, self._style(11), left_x, y, left_w)
        y = self._para(canvas, template.issuer, self._style(12, bold=True), left_x, y, left_w)
        self._rule(canvas, left_x + left_w / 2, y - 5, 70)
        bottom = y
        if template.show_national_motto:
            y = top
            y = self._para(
                canvas, template.national_name, self._style(12, bold=True), right_x, y, right_w
            )
            motto_style = self._style(12.5, bold=True)
            y = self._para(canvas, template.motto, motto_style, right_x, y, right_w)
            motto_width = stringWidth(nfc(template.motto), self.bold, 12.5)
            self._rule(canvas, right_x + right_w / 2, y - 2, motto_width)
            bottom = min(bottom, y)
        return bottom - 30

    def _rule(self, canvas, centre_x: float, y: float, length: float) -> None:
        canvas.saveState()
        canvas.setStrokeColor(self.ink)
        canvas.setLineWidth(0.7)
        canvas.line(centre_x - length / 2, y, centre_x + length / 2, y)
        canvas.restoreState()

    def _title_and_name(self, canvas, template, content, width, y) -> float:
        text_width = width - 160
        y = self._para(
            canvas,
            template.title,
            self._style(self.title_size, bold=True, color=self.accent),
            80,
            y,
            text_width,
        )
        y -= 10
        if template.recipient_label:
            y = self._para(canvas, template.recipient_label, self._style(14), 80, y, text_width)
            y -= 4
        name = nfc(content.holder_name)
        size = self._fitting_size(name, self.bold, self.name_size, text_width, 16)
        return self._para(canvas, name, self._style(size, bold=True), 80, y, text_width) - 8

    def _body(self, canvas, template, content, width, y) -> None:
        values = {
            "name": nfc(content.holder_name),
            "date_of_birth": _date(content.date_of_birth),
            "unit": nfc(content.unit),
            "course": nfc(content.subject),
            "score": nfc(content.score),
            "date": _date(content.completed_on),
        }
        lines = body_lines(template.body, values)
        bottom = 200  # the signature and QR blocks start below this line
        text_width = width - 200
        size = self.body_size
        while True:
            paragraphs = [
                Paragraph(self.escaped(text), self._style(size, bold=bold, leading=size * 1.45))
                for text, bold in lines
            ]
            heights = [p.wrapOn(canvas, text_width, 1000)[1] for p in paragraphs]
            if sum(heights) <= y - bottom or size <= 9:
                break
            size -= 1
        for paragraph, height in zip(paragraphs, heights, strict=True):
            paragraph.drawOn(canvas, 100, y - height)
            y -= height

    def _signature(self, canvas, template, content, width) -> None:
        centre_w = 340
        x = width - 60 - centre_w
        y = 192
        y = self._para(
            canvas,
            official_date_line(template.place, content.issued_on),
            self._style(13),
            x,
            y,
            centre_w,
        )
        y -= 4
        capacity, title, name = content.signer or (
            template.signatory_capacity,
            template.signatory_title,
            template.signatory_name,
        )
        for line in (capacity, title):
            if line:
                y = self._para(canvas, line, self._style(12.5, bold=True), x, y, centre_w)
        image_top = y - 4
        image_height = 72
        seal = _image(template.seal_image)
        if seal is not None:
            canvas.drawImage(
                seal,
                x + centre_w / 2 - 95,
                image_top - 86,
                92,
                92,
                mask="auto",
                preserveAspectRatio=True,
            )
        signature = _image(template.signature_image)
        if signature is not None:
            canvas.drawImage(
                signature,
                x + centre_w / 2 - 70,
                image_top - image_height,
                140,
                image_height,
                mask="auto",
                preserveAspectRatio=True,
            )
        if name:
            self._para(
                canvas,
                name,
                self._style(13, bold=True),
                x,
                image_top - image_height - 4,
                centre_w,
            )

    def _verification(self, canvas, content) -> None:
        x, y = 52, 48
        url = verify_url(content.code)
        qr = QRCodeFlowable(url, self.qr_size)
        qr.drawOn(canvas, x, y)
        code = code_display(content.code)
        style = self._style(9.5, align=TA_LEFT, leading=13)
        lines = [
            f"Số: {content.number}" if content.number else "",
            f"Mã xác thực: {code}",
            "Quét mã QR hoặc tra cứu tại:",
            url,
        ]
        top = y + self.qr_size - 4
        for line in filter(None, lines):
            top = self._para(canvas, line, style, x + self.qr_size + 10, top, 300)


_images: dict[tuple[int, str], ImageReader] = {}


def _image(image) -> ImageReader | None:
    """Read a Wagtail image once per process (keyed by id and file name)."""
    if image is None:
        return None
    key = (image.pk, image.file.name)
    reader = _images.get(key)
    if reader is None:
        with image.file.storage.open(image.file.name, "rb") as handle:
            reader = ImageReader(io.BytesIO(handle.read()))
        _images[key] = reader
    return reader


def render_sample(*, template, name: str = "Nguyễn Thị Hồng Nhung") -> bytes:
    """A specimen certificate for the admin preview and the command line; issues nothing."""
    today = timezone.localdate()
    content = Content(
        holder_name=name,
        subject="Kỹ năng số cơ bản trên điện thoại thông minh",
        number=template.sample_number(),
        code=SAMPLE_CODE,
        issued_on=today,
        unit="Ủy ban MTTQ xã La Bằng",
        date_of_birth=dt.date(1988, 3, 5),
        score="87,5%",
        completed_on=today,
    )
    return certificate_renderer().render_content(template, content)


def certificate_renderer() -> CertificateRenderer:
    """The renderer ``settings.CERTIFICATES_RENDERER`` names (a subclass in tests)."""
    return import_string(settings.CERTIFICATES_RENDERER)()
