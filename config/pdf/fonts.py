"""TrueType families that cover Vietnamese, shipped in config/pdf/fonts/ with
their licence (SIL OFL 1.1). Registered with ReportLab once per process:
parsing a TTF costs tens of milliseconds, far more than rendering a page."""

import threading
from pathlib import Path

from django.utils.translation import gettext_lazy as _

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILIES = {
    "noto_serif": {
        "label": _("Noto Serif"),
        "regular": "NotoSerif-Regular.ttf",
        "bold": "NotoSerif-Bold.ttf",
    },
    "noto_sans": {
        "label": _("Noto Sans"),
        "regular": "NotoSans-Regular.ttf",
        "bold": "NotoSans-Bold.ttf",
    },
}
FAMILY_CHOICES = [(key, value["label"]) for key, value in FAMILIES.items()]
DEFAULT_FAMILY = "noto_serif"

_lock = threading.Lock()
_registered: dict[str, tuple[str, str]] = {}


class FontMissing(Exception):
    pass


def family_check(family: str) -> None:
    """Raise FontMissing when the family is unknown or a file is absent or unreadable."""
    spec = FAMILIES.get(family)
    if spec is None:
        raise FontMissing(_("Unknown font “%(family)s”.") % {"family": family})
    for style in ("regular", "bold"):
        path = FONT_DIR / spec[style]
        if not path.is_file():
            raise FontMissing(
                _("The font file %(file)s is missing from the server.") % {"file": path.name}
            )
        with path.open("rb") as handle:
            if handle.read(4) not in (b"\x00\x01\x00\x00", b"true"):
                raise FontMissing(
                    _("The font file %(file)s is not a TrueType font.") % {"file": path.name}
                )


def register(family: str) -> tuple[str, str]:
    """(regular, bold) ReportLab font names for the family, registering it the first time."""
    names = _registered.get(family)
    if names is not None:
        return names
    with _lock:
        if family in _registered:
            return _registered[family]
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        family_check(family)
        spec = FAMILIES[family]
        regular, bold = f"{family}-regular", f"{family}-bold"
        # asciiReadable=False: only the glyphs a certificate uses go into the
        # subset, not all of ASCII as well (about 40 % smaller files), and one
        # subset per font keeps the extracted text in one run.
        pdfmetrics.registerFont(TTFont(regular, FONT_DIR / spec["regular"], asciiReadable=False))
        pdfmetrics.registerFont(TTFont(bold, FONT_DIR / spec["bold"], asciiReadable=False))
        addMapping(regular, 0, 0, regular)
        addMapping(regular, 1, 0, bold)
        addMapping(regular, 0, 1, regular)
        addMapping(regular, 1, 1, bold)
        _registered[family] = (regular, bold)
        return regular, bold
