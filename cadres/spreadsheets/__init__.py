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

Here: :func:`read` and :func:`open_rows`, which tell the formats apart; the
readers are :mod:`.xlsx` and :mod:`.csv_text`, and what they share (limits,
the error, the row counter) is :mod:`.common`.
"""

from django.utils.translation import gettext as _

from .common import (
    DEFAULT_LIMITS,
    MB,
    Formula,
    Grid,
    Limits,
    RowStream,
    SpreadsheetError,
    file_too_large_message,
    too_many_rows,
)
from .csv_text import ENCODINGS, check_lines, csv_rows, decode_text, read_csv_text
from .xlsx import check_zip, read_xlsx, stream_xlsx

__all__ = [
    "DEFAULT_LIMITS",
    "ENCODINGS",
    "MB",
    "Formula",
    "Grid",
    "Limits",
    "RowStream",
    "SpreadsheetError",
    "check_zip",
    "decode_text",
    "file_too_large_message",
    "open_rows",
    "read",
    "read_csv_text",
    "read_xlsx",
    "stream_xlsx",
    "too_many_rows",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


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
    check_lines(text, limits)
    return RowStream(
        rows=csv_rows(text, limits=limits), encoding=used, declared_rows=text.count("\n") + 1
    )
