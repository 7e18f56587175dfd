"""The one reader every spreadsheet upload goes through (roster, questions, unit tables).

Uploads come from people we trust to mean well, not from programs we trust: a
300 KB XLSX can unpack to gigabytes of text, a 10 MB CSV can hold a million
columns. So every limit is checked before the work it bounds:

- the file's size, before anything is read;
- for XLSX, the zip directory (member count, each member's unpacked size, the
  shared-strings table, the compression ratio) before openpyxl opens it — the
  sizes there are binding, :mod:`zipfile` stops at them and fails the CRC;
- the sheet's declared dimension before its rows are streamed (openpyxl read-only
  mode), then rows, columns, cells and cell length while they stream;
- for CSV, each line's length before the csv module splits it, then the same
  rows, columns, cells and cell length.

A refusal is one :class:`SpreadsheetError` whose message tells the person which
limit the file hit. Callers pass their own :class:`Limits` where theirs differ.
"""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ApplicationError

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MB
    max_rows: int = 50_000
    max_columns: int = 200
    # 50,000 rows of 20 columns and the header: the largest roster we accept.
    max_cells: int = 1_100_000
    max_cell_chars: int = 10_000
    max_line_chars: int = 100_000
    max_zip_members: int = 200
    # openpyxl and some exporters write every text inline in the sheet: a
    # 50,000 x 20 roster unpacks to ~70 MB. Rows are streamed, so the size of a
    # sheet costs time in the background job, not memory.
    max_member_bytes: int = 160 * MB
    max_unpacked_bytes: int = 192 * MB
    max_shared_strings_bytes: int = 24 * MB
    # Real workbooks compress sheet XML 5-30 times; a bomb, thousands of times.
    max_ratio: int = 200
    ratio_applies_above: int = 1 * MB

    def but(self, **changes) -> "Limits":
        return replace(self, **changes)


DEFAULT_LIMITS = Limits()


class SpreadsheetError(ApplicationError):
    """The file as a whole cannot be read; the message is for the person who sent it."""


@dataclass
class Formula:
    """A cell that holds a formula rather than a value."""

    text: str


@dataclass
class Grid:
    """Every row as read (blank ones too, so positions are the row numbers people see)."""

    rows: list[list]
    encoding: str = ""


ENCODINGS = {
    "utf-8": gettext_lazy("Unicode (UTF-8)"),
    "utf-16": gettext_lazy("Unicode (UTF-16)"),
    "cp1258": gettext_lazy("Vietnamese Windows (Windows-1258)"),
    "cp1252": gettext_lazy("Western European Windows (Windows-1252)"),
}


def _n(value: int) -> str:
    """A figure for people: 50.000."""
    return f"{value:,}".replace(",", ".")


def file_too_large_message(limits: Limits = DEFAULT_LIMITS) -> str:
    return _("The file is larger than %(mb)d MB. Split it into smaller files.") % {
        "mb": limits.max_bytes // MB
    }


@dataclass
class RowStream:
    """Rows as they are read, one at a time (limits checked as they arrive).

    ``declared_rows`` is what the file says it holds (the sheet's dimension, or
    the CSV's line count), for progress; 0 when it does not say."""

    rows: Iterator[list]
    encoding: str = ""
    declared_rows: int = 0


def read(
    data: bytes,
    *,
    file_name: str = "",
    encoding: str = "",
    kind: str = "",
    limits: Limits = DEFAULT_LIMITS,
    formulas: bool = True,
) -> Grid:
    """Read an XLSX or CSV upload within ``limits``; raise SpreadsheetError otherwise.

    ``kind`` ("xlsx" or "csv") insists on one format; empty means "whichever the
    bytes are". With ``formulas`` an XLSX formula cell comes back as
    :class:`Formula`; without, as the value Excel last computed for it.
    """
    stream = open_rows(
        data, file_name=file_name, encoding=encoding, kind=kind, limits=limits, formulas=formulas
    )
    return Grid(rows=list(stream.rows), encoding=stream.encoding)


def open_rows(
    data: bytes,
    *,
    file_name: str = "",
    encoding: str = "",
    kind: str = "",
    limits: Limits = DEFAULT_LIMITS,
    formulas: bool = True,
) -> RowStream:
    """Check what can be checked without reading the rows (size, format, the zip
    directory, the declared dimension) and return them as a stream."""
    if len(data) > limits.max_bytes:
        raise SpreadsheetError(file_too_large_message(limits))
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data[:8] == OLE_MAGIC:
        raise SpreadsheetError(
            _(
                "This is a password-protected Excel file or an old Excel 97-2003 (.xls) file. "
                "Open it in Excel, remove the password and save it as .xlsx or CSV."
            )
        )
    is_zip = data[:4] == ZIP_MAGIC
    if kind == "xlsx" or (not kind and is_zip):
        if not is_zip:
            raise SpreadsheetError(_("The file is not a spreadsheet that can be read."))
        return stream_xlsx(data, limits=limits, formulas=formulas)
    if is_zip or file_name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise SpreadsheetError(_("The file is not a spreadsheet that can be read."))
    text, used = decode_text(data, encoding)
    _check_lines(text, limits)
    return RowStream(
        rows=_csv_rows(text, limits=limits), encoding=used, declared_rows=text.count("\n") + 1
    )


# --- XLSX ------------------------------------------------------------------------------


def _unreadable_excel() -> SpreadsheetError:
    return SpreadsheetError(_("The Excel file cannot be read. Save it again as .xlsx and retry."))


def check_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a workbook whose zip directory promises more than the limits allow."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _unreadable_excel() from exc
    if len(members) > limits.max_zip_members:
        raise SpreadsheetError(
            _("The Excel file has %(n)s parts; at most %(max)s are allowed (limit on parts).")
            % {"n": _n(len(members)), "max": _n(limits.max_zip_members)}
        )
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if member.filename.lower().endswith("sharedstrings.xml") and (
            size > limits.max_shared_strings_bytes
        ):
            raise SpreadsheetError(
                _(
                    "The Excel file's table of texts unpacks to more than %(max)s MB "
                    "(limit on shared strings)."
                )
                % {"max": _n(limits.max_shared_strings_bytes // MB)}
            )
        if size > limits.max_member_bytes:
            raise SpreadsheetError(
                _(
                    "A sheet of the Excel file unpacks to more than %(max)s MB "
                    "(limit on unpacked size). Split it into smaller files."
                )
                % {"max": _n(limits.max_member_bytes // MB)}
            )
        if size > limits.ratio_applies_above and size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise SpreadsheetError(
                _(
                    "The Excel file is compressed %(ratio)s times; at most %(max)s times is "
                    "allowed (limit on compression ratio). Save it again in Excel."
                )
                % {
                    "ratio": _n(size // max(member.compress_size, 1)),
                    "max": _n(limits.max_ratio),
                }
            )
    if total > limits.max_unpacked_bytes:
        raise SpreadsheetError(
            _(
                "The Excel file unpacks to more than %(max)s MB (limit on unpacked size). "
                "Split it into smaller files."
            )
            % {"max": _n(limits.max_unpacked_bytes // MB)}
        )


def _too_many_rows(limits: Limits) -> SpreadsheetError:
    return too_many_rows(limits.max_rows)


def too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(max)s rows (row limit). Split it into smaller files.")
        % {"max": _n(max_rows)}
    )


def _too_many_columns(row: int, columns: int, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        _("Row %(row)s has %(n)s columns; at most %(max)s are allowed (column limit).")
        % {"row": _n(row), "n": _n(columns), "max": _n(limits.max_columns)}
    )


def _too_many_cells(limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(max)s cells (cell limit). Split it into smaller files.")
        % {"max": _n(limits.max_cells)}
    )


def _cell_too_long(row: int, column: int, limits: Limits) -> SpreadsheetError:
    from openpyxl.utils import get_column_letter

    return SpreadsheetError(
        _(
            "The cell in row %(row)s, column %(column)s holds more than %(max)s characters "
            "(limit on cell length)."
        )
        % {"row": _n(row), "column": get_column_letter(column), "max": _n(limits.max_cell_chars)}
    )


class _Counter:
    """Rows, columns, cells and cell length as rows arrive; raises at the first excess."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = 0
        self.cells = 0

    def add(self, row: list) -> list:
        """Count ``row`` and return it without its trailing empty cells."""
        limits = self.limits
        self.rows += 1
        if self.rows > limits.max_rows:
            raise _too_many_rows(limits)
        width = len(row)
        while width and (row[width - 1] is None or row[width - 1] == ""):
            width -= 1
        if width > limits.max_columns:
            raise _too_many_columns(self.rows, width, limits)
        self.cells += width
        if self.cells > limits.max_cells:
            raise _too_many_cells(limits)
        for index in range(width):
            value = row[index]
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                raise _cell_too_long(self.rows, index + 1, limits)
        return row[:width]


def _check_dimension(sheet, limits: Limits) -> None:
    """The sheet says how big it is before its rows are read; believe it when it is too big."""
    try:
        rows, columns = sheet.max_row, sheet.max_column
    except Exception:  # noqa: BLE001 - a missing or malformed <dimension> is checked row by row
        return
    if rows and rows > limits.max_rows:
        raise _too_many_rows(limits)
    if columns and columns > limits.max_columns:
        raise _too_many_columns(1, columns, limits)
    if rows and columns and rows * columns > limits.max_cells:
        raise _too_many_cells(limits)


def _sheet_size_from_its_head(self) -> None:
    """openpyxl's ``ReadOnlyWorksheet._get_size``, stopping where the rows begin.

    openpyxl looks for ``<dimension>`` until the end of ``<sheetData>``: on a
    sheet written without one (openpyxl's own write-only mode, many exporters)
    that parses every row before the first is read — seconds for a large
    roster, in the upload request. The schema (CT_Worksheet) puts
    ``<dimension>`` before ``<sheetData>``, so the result is the same.
    """
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    dimension_tag, data_tag = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"
    source = self._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == dimension_tag:
                bounds = SheetDimension.from_tree(element).boundaries
                if bounds is not None:
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                return
            if element.tag == data_tag:
                return
    finally:
        source.close()


def _use_bounded_size_scan() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _sheet_size_from_its_head


def read_xlsx(data: bytes, *, limits: Limits = DEFAULT_LIMITS, formulas: bool = True) -> list:
    return list(stream_xlsx(data, limits=limits, formulas=formulas).rows)


def stream_xlsx(
    data: bytes, *, limits: Limits = DEFAULT_LIMITS, formulas: bool = True
) -> RowStream:
    import openpyxl

    _use_bounded_size_scan()
    check_zip(data, limits)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a broken zip
        raise _unreadable_excel() from exc
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        _check_dimension(sheet, limits)
        declared = _declared_rows(sheet)
    except SpreadsheetError:
        workbook.close()
        raise
    except Exception as exc:  # noqa: BLE001
        workbook.close()
        raise _unreadable_excel() from exc
    return RowStream(rows=_xlsx_rows(workbook, sheet, limits, formulas), declared_rows=declared)


def _declared_rows(sheet) -> int:
    try:
        return int(sheet.max_row or 0)
    except Exception:  # noqa: BLE001 - no dimension: progress without a total
        return 0


def _xlsx_rows(workbook, sheet, limits: Limits, formulas: bool) -> Iterator[list]:
    counter = _Counter(limits)
    try:
        for cells in sheet.iter_rows(values_only=True):
            row = counter.add(list(cells))
            if formulas:
                row = [
                    Formula(value)
                    if isinstance(value, str) and value.startswith("=") and len(value) > 1
                    else value
                    for value in row
                ]
            yield row
    except SpreadsheetError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _unreadable_excel() from exc
    finally:
        workbook.close()


# --- CSV -------------------------------------------------------------------------------


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


def _check_lines(text: str, limits: Limits) -> None:
    start, number = 0, 1
    length = len(text)
    while start < length:
        end = text.find("\n", start)
        if end < 0:
            end = length
        if end - start > limits.max_line_chars:
            raise SpreadsheetError(
                _("Line %(row)s is longer than %(max)s characters (limit on line length).")
                % {"row": _n(number), "max": _n(limits.max_line_chars)}
            )
        start, number = end + 1, number + 1


def read_csv_text(text: str, *, limits: Limits = DEFAULT_LIMITS, delimiter: str = "") -> list:
    """Split decoded CSV text into rows within ``limits``; the delimiter is guessed
    (comma, semicolon or tab, whichever the first lines use most) unless given."""
    _check_lines(text, limits)
    return list(_csv_rows(text, limits=limits, delimiter=delimiter))


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, without a second copy of the text."""
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start)
        end = length if end < 0 else end + 1
        yield text[start:end]
        start = end


def _csv_rows(text: str, *, limits: Limits, delimiter: str = "") -> Iterator[list]:
    if not delimiter:
        sample = text[:20_000]
        delimiter = max(",;\t", key=lambda d: sample.count(d))
    counter = _Counter(limits)
    try:
        for row in csv.reader(_lines(text), delimiter=delimiter):
            yield counter.add(row)
    except csv.Error as exc:
        raise SpreadsheetError(_("The file is not a spreadsheet that can be read.")) from exc
