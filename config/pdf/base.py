"""``PDFRenderer``: page geometry, fonts, a stylesheet, text escaping and page
hooks shared by every PDF. Subclasses override attributes (``page_size``,
``margin``, ``font_family``, colours) and the ``header``/``footer`` hooks, and
call :meth:`build` with a platypus story, or draw on a canvas themselves
(certificates) using :meth:`use_fonts`, :meth:`style`, :meth:`escaped` and
:meth:`metadata`.

Every piece of user text goes through :meth:`escaped`: NFC (ReportLab places
separate combining marks badly) and escaped, so ``<b>`` in a name prints as
those characters instead of reaching ReportLab's mini-markup.
"""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from cadres.text import nfc

from . import fonts

CREATOR = "Học số"


class PDFRenderer:
    page_size = A4
    margin = 15 * mm
    bottom_margin = 19 * mm  # room for the footer
    font_family = "noto_sans"
    ink = colors.Color(0.1, 0.1, 0.12)
    muted = colors.HexColor("#5f5b66")
    rule = colors.HexColor("#d9d4dd")
    shade = colors.HexColor("#f1ece8")
    footer_size = 8
    running_title = ""

    regular: str
    bold: str

    # -- fonts, styles, text ------------------------------------------------------

    def use_fonts(self, family: str | None = None) -> tuple[str, str]:
        """Register the family once per process and make it this renderer's."""
        self.regular, self.bold = fonts.register(family or self.font_family)
        return self.regular, self.bold

    def style(
        self,
        size: float,
        *,
        bold: bool = False,
        align: int = TA_LEFT,
        color=None,
        leading: float | None = None,
        name: str = "s",
        **extra,
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=self.bold if bold else self.regular,
            fontSize=size,
            leading=leading or size * 1.3,
            alignment=align,
            textColor=color or self.ink,
            **extra,
        )

    def stylesheet(self) -> dict[str, ParagraphStyle]:
        """The styles a document story uses; override to change the look."""
        return {
            "title": self.style(15, bold=True, leading=19, name="title"),
            "title_centre": self.style(14, bold=True, leading=18, align=TA_CENTER, name="tc"),
            "heading": self.style(
                11.5, bold=True, leading=15, spaceBefore=8, spaceAfter=4, name="heading"
            ),
            "text": self.style(9.5, leading=13, name="text"),
            "text_bold": self.style(9.5, bold=True, leading=13, name="text_bold"),
            "centre": self.style(10, leading=13, align=TA_CENTER, name="centre"),
            "centre_bold": self.style(10, bold=True, leading=13, align=TA_CENTER, name="cb"),
            "cell": self.style(8, leading=10, name="cell"),
            "cell_bold": self.style(8, bold=True, leading=10, name="cell_bold"),
        }

    @staticmethod
    def escaped(value) -> str:
        return escape(nfc(str(value if value is not None else "")))

    def para(self, value, style: str | ParagraphStyle = "text") -> Paragraph:
        if isinstance(style, str):
            style = self.styles[style]
        return Paragraph(self.escaped(value), style)

    def metadata(self, canvas, *, title: str, author: str = "", subject: str = "", keywords=""):
        canvas.setTitle(nfc(title))
        canvas.setAuthor(nfc(author))
        canvas.setSubject(nfc(subject))
        canvas.setCreator(CREATOR)
        canvas.setKeywords(nfc(keywords))

    # -- page hooks ---------------------------------------------------------------

    def header(self, canvas, page: int, total: int) -> None:
        """Drawn on every page once the page count is known: by default the
        ``running_title`` on pages after the first, so a loose page of a
        printed list is still filed in the right place."""
        if page > 1 and self.running_title:
            canvas.setFont(self.regular, self.footer_size)
            canvas.setFillColor(self.muted)
            canvas.drawString(self.margin, self.page_size[1] - 9 * mm, nfc(self.running_title))

    def footer(self, canvas, page: int, total: int) -> None:
        """ "Trang x/y" at the bottom right."""
        canvas.setFont(self.regular, self.footer_size)
        canvas.setFillColor(self.muted)
        canvas.drawRightString(
            self.page_size[0] - self.margin,
            10 * mm,
            _("Page %(page)s of %(total)s") % {"page": page, "total": total},
        )

    # -- documents ----------------------------------------------------------------

    def document(self, buffer, *, title: str, author: str = CREATOR) -> SimpleDocTemplate:
        return SimpleDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.bottom_margin,
            title=nfc(title),
            author=nfc(author),
            creator=CREATOR,
        )

    def build(self, story: list, *, title: str, author: str = CREATOR) -> bytes:
        """Lay out a platypus story on pages with the header and footer hooks."""
        buffer = io.BytesIO()
        self.document(buffer, title=title, author=author).build(
            story, canvasmaker=self._canvas_class()
        )
        return buffer.getvalue()

    def _canvas_class(self):
        renderer = self

        class HookedCanvas(pdf_canvas.Canvas):
            """Keeps every page until the end, so hooks know the page count."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self):  # noqa: N802 - ReportLab's name
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    self.saveState()
                    renderer.header(self, self._pageNumber, total)
                    renderer.footer(self, self._pageNumber, total)
                    self.restoreState()
                    super().showPage()
                super().save()

        return HookedCanvas

    @property
    def styles(self) -> dict[str, ParagraphStyle]:
        cached = self.__dict__.get("_styles")
        if cached is None:
            if not hasattr(self, "regular"):
                self.use_fonts()
            cached = self.__dict__["_styles"] = self.stylesheet()
        return cached
