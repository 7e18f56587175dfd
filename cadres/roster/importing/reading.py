"""Reading a roster file: the hardened spreadsheet reader's rows, the header
found among the first rows (title rows skipped, two-row headers folded), and the
data rows after it as a stream."""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ... import spreadsheets
from ...text import nfc
from .mapping import HEADER_SYNONYMS, header_key

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
HEADER_SCAN_ROWS = 15

# The roster reads spreadsheets through the one hardened reader; these names stay
# importable from here for the callers that know them.
RosterFileError = spreadsheets.SpreadsheetError
Formula = spreadsheets.Formula
ENCODINGS = spreadsheets.ENCODINGS
decode_text = spreadsheets.decode_text
LIMITS = spreadsheets.DEFAULT_LIMITS.but(
    max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS + HEADER_SCAN_ROWS, max_cell_chars=2_000
)


@dataclass
class Sheet:
    """The header and the numbered data rows: a list from :func:`read_sheet`, a
    stream from :func:`open_sheet` (``total`` is then what the file declares)."""

    headers: list[str]
    rows: Iterable[tuple[int, list]]
    encoding: str = ""
    total: int = 0


def open_sheet(data: bytes, *, file_name: str = "", encoding: str = "", limits=None) -> Sheet:
    """Find the header of an XLSX or CSV file and stream its rows after it; the
    whole file is never held as rows. Raise RosterFileError for anything unreadable
    (a file with too many rows fails while its rows are read)."""
    limits = limits or LIMITS
    stream = spreadsheets.open_rows(data, file_name=file_name, encoding=encoding, limits=limits)
    numbered = ((i + 1, row) for i, row in enumerate(stream.rows))
    top: list[tuple[int, list]] = []
    for number, row in numbered:
        if not _is_blank(row):
            top.append((number, row))
            if len(top) > HEADER_SCAN_ROWS:
                break
    headers, first, width = _find_header(top)
    max_rows = limits.max_rows - HEADER_SCAN_ROWS
    return Sheet(
        headers=headers,
        rows=_data_rows(first, numbered, width, max_rows),
        encoding=stream.encoding,
        total=max(stream.declared_rows - (top[0][0] if top else 0), 0),
    )


def _data_rows(first, rest, width: int, max_rows: int):
    count = 0
    for number, row in itertools.chain(first, rest):
        cells = list(row[: max(width, 1)])
        if len(cells) < width:
            cells += [None] * (width - len(cells))
        if _is_blank(cells):
            continue
        count += 1
        if count > max_rows:
            raise spreadsheets.too_many_rows(max_rows)
        yield number, cells


def read_sheet(data: bytes, *, file_name: str = "", encoding: str = "", limits=None) -> Sheet:
    """Read an XLSX or CSV file whole; raise RosterFileError for anything unreadable."""
    sheet = open_sheet(data, file_name=file_name, encoding=encoding, limits=limits)
    sheet.rows = list(sheet.rows)
    if not sheet.rows:
        raise RosterFileError(_("The file has a header but no rows of data."))
    sheet.total = len(sheet.rows)
    return sheet


def file_too_large_message() -> str:
    return spreadsheets.file_too_large_message(LIMITS)


def _is_blank(row: Iterable) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _find_header(numbered: list[tuple[int, list]]) -> tuple[list[str], list, int]:
    """The header is the row among the first few that names most known columns;
    a title row above it (often merged across the sheet) is skipped, and a second
    header row under merged cells ("Họ và tên" over "Họ đệm | Tên") is folded in.

    ``numbered`` is the first non-blank rows; returns the header, those of the
    rows that are data, and the header's width."""
    if not numbered:
        raise RosterFileError(_("The file is empty."))
    best_index, best_score = 0, -1
    for index, (_number, row) in enumerate(numbered[:HEADER_SCAN_ROWS]):
        score = sum(1 for value in row if header_key(value) in HEADER_SYNONYMS)
        if score > best_score:
            best_index, best_score = index, score
    top = [
        nfc(str(v)) if v is not None and not isinstance(v, Formula) else ""
        for v in numbered[best_index][1]
    ]
    data_start = best_index + 1
    if data_start < len(numbered):
        below = numbered[data_start][1]
        below_keys = [header_key(v) for v in below]
        known = [k for k in below_keys if k in HEADER_SYNONYMS and k not in ("", "tt")]
        if known and all(not k or k in HEADER_SYNONYMS for k in below_keys):
            merged = []
            for i in range(max(len(top), len(below))):
                sub = nfc(str(below[i])) if i < len(below) and below_keys[i] else ""
                merged.append(sub or (top[i] if i < len(top) else ""))
            top = merged
            data_start += 1
    width = len(top)
    while width and not top[width - 1]:
        width -= 1
    return top[:width], numbered[data_start:], width
