"""What the XLSX and CSV readers share: the limits, the one error and the
messages that tell a person which limit their file hit, the counter every row
passes through, and the shapes rows come back in."""

from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from ..errors import ApplicationError

MB = 1024 * 1024


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


def figure(value: int) -> str:
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


def too_many_rows_for(limits: Limits) -> SpreadsheetError:
    return too_many_rows(limits.max_rows)


def too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(max)s rows (row limit). Split it into smaller files.")
        % {"max": figure(max_rows)}
    )


def too_many_columns(row: int, columns: int, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        _("Row %(row)s has %(n)s columns; at most %(max)s are allowed (column limit).")
        % {"row": figure(row), "n": figure(columns), "max": figure(limits.max_columns)}
    )


def too_many_cells(limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(max)s cells (cell limit). Split it into smaller files.")
        % {"max": figure(limits.max_cells)}
    )


def cell_too_long(row: int, column: int, limits: Limits) -> SpreadsheetError:
    from openpyxl.utils import get_column_letter

    return SpreadsheetError(
        _(
            "The cell in row %(row)s, column %(column)s holds more than %(max)s characters "
            "(limit on cell length)."
        )
        % {
            "row": figure(row),
            "column": get_column_letter(column),
            "max": figure(limits.max_cell_chars),
        }
    )


class Counter:
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
            raise too_many_rows_for(limits)
        width = len(row)
        while width and (row[width - 1] is None or row[width - 1] == ""):
            width -= 1
        if width > limits.max_columns:
            raise too_many_columns(self.rows, width, limits)
        self.cells += width
        if self.cells > limits.max_cells:
            raise too_many_cells(limits)
        for index in range(width):
            value = row[index]
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                raise cell_too_long(self.rows, index + 1, limits)
        return row[:width]
