"""CSV: the bytes decoded (the person's choice, else BOM, UTF-8, UTF-16,
Windows-1258), each line's length checked before the csv module splits it,
then the rows streamed."""

import csv
import unicodedata
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .common import DEFAULT_LIMITS, Counter, Limits, SpreadsheetError, figure

ENCODINGS = {
    "utf-8": gettext_lazy("Unicode (UTF-8)"),
    "utf-16": gettext_lazy("Unicode (UTF-16)"),
    "cp1258": gettext_lazy("Vietnamese Windows (Windows-1258)"),
    "cp1252": gettext_lazy("Western European Windows (Windows-1252)"),
}


def decode_text(data: bytes, encoding: str = "") -> tuple[str, str]:
    """Decode CSV bytes: the person's choice, else BOM, UTF-8, UTF-16, Windows-1258."""
    if encoding:
        if encoding not in ENCODINGS:
            raise SpreadsheetError(_("Unknown encoding."))
        try:
            text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                _("The file cannot be read with the encoding you chose.")
            ) from exc
        return _check_text(text), encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _check_text(_decode(data, "utf-16")), "utf-16"
    try:
        return _check_text(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-16 without a BOM: every other byte of Vietnamese text is mostly NUL.
    if data.count(b"\x00") > len(data) // 4:
        for candidate in ("utf-16-le", "utf-16-be"):
            try:
                return _check_text(data.decode(candidate)), "utf-16"
            except (UnicodeDecodeError, SpreadsheetError):
                continue
    guess = _detect_legacy(data)
    return _check_text(_decode(data, guess)), guess


def _detect_legacy(data: bytes) -> str:
    """Windows-1258 unless charset-normalizer is clearly sure of Windows-1252.

    The two code pages share most bytes; 1258 writes tones as combining marks
    (0xCC, 0xD2, 0xDE, 0xEC, 0xF2), which a Vietnamese file nearly always has."""
    from charset_normalizer import from_bytes

    if any(byte in data for byte in b"\xcc\xd2\xde\xec\xf2\xc3\xe3\xd0\xf0"):
        return "cp1258"
    best = from_bytes(data[:200_000], cp_isolation=["cp1258", "cp1252"]).best()
    return "cp1252" if best is not None and best.encoding == "cp1252" else "cp1258"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(_("The file is not a spreadsheet that can be read.")) from exc


def _check_text(text: str) -> str:
    # Windows-1258 writes tones as combining marks: compose them.
    text = unicodedata.normalize("NFC", text)
    controls = sum(
        1 for ch in text[:100_000] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n"
    )
    if "\x00" in text or controls > max(3, len(text[:100_000]) // 200):
        raise SpreadsheetError(_("The file is not a spreadsheet that can be read."))
    return text


def check_lines(text: str, limits: Limits) -> None:
    start, number = 0, 1
    length = len(text)
    while start < length:
        end = text.find("\n", start)
        if end < 0:
            end = length
        if end - start > limits.max_line_chars:
            raise SpreadsheetError(
                _("Line %(row)s is longer than %(max)s characters (limit on line length).")
                % {"row": figure(number), "max": figure(limits.max_line_chars)}
            )
        start, number = end + 1, number + 1


def read_csv_text(text: str, *, limits: Limits = DEFAULT_LIMITS, delimiter: str = "") -> list:
    """Split decoded CSV text into rows within ``limits``; the delimiter is guessed
    (comma, semicolon or tab, whichever the first lines use most) unless given."""
    check_lines(text, limits)
    return list(csv_rows(text, limits=limits, delimiter=delimiter))


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, without a second copy of the text."""
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start)
        end = length if end < 0 else end + 1
        yield text[start:end]
        start = end


def csv_rows(text: str, *, limits: Limits, delimiter: str = "") -> Iterator[list]:
    if not delimiter:
        sample = text[:20_000]
        delimiter = max(",;\t", key=lambda d: sample.count(d))
    counter = Counter(limits)
    try:
        for row in csv.reader(_lines(text), delimiter=delimiter):
            yield counter.add(row)
    except csv.Error as exc:
        raise SpreadsheetError(_("The file is not a spreadsheet that can be read.")) from exc
