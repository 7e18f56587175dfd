"""Question import and export formats: GIFT, Aiken and a spreadsheet template.

Parsers are pure: bytes in, ``ParseResult`` out (questions and rejections with
the line they came from). ``assessments.services.questions_import`` decides
whether anything is written.
"""

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Rejection, decode_bytes

__all__ = ["ParseResult", "ParsedAnswer", "ParsedQuestion", "Rejection", "decode_bytes", "parse"]


def parse(data: bytes, fmt: str) -> ParseResult:
    from . import aiken, gift, sheet

    if fmt in ("xlsx", "csv"):
        return sheet.parse(data, fmt)
    try:
        text = decode_bytes(data)
    except UnicodeError:
        from django.utils.translation import gettext as _

        return ParseResult(
            rejections=[Rejection(0, _("The file is neither UTF-8 nor UTF-16 text."))]
        )
    if fmt == "gift":
        return gift.parse(text)
    if fmt == "aiken":
        return aiken.parse(text)
    raise ValueError(fmt)
