"""XLSX: the zip directory checked before openpyxl opens it, then the first
sheet's declared size, then its rows streamed (openpyxl read-only mode)."""

import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .common import (
    DEFAULT_LIMITS,
    MB,
    Counter,
    Formula,
    Limits,
    RowStream,
    SpreadsheetError,
    figure,
    too_many_cells,
    too_many_columns,
    too_many_rows_for,
)


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
            % {"n": figure(len(members)), "max": figure(limits.max_zip_members)}
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
                % {"max": figure(limits.max_shared_strings_bytes // MB)}
            )
        if size > limits.max_member_bytes:
            raise SpreadsheetError(
                _(
                    "A sheet of the Excel file unpacks to more than %(max)s MB "
                    "(limit on unpacked size). Split it into smaller files."
                )
                % {"max": figure(limits.max_member_bytes // MB)}
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
                    "ratio": figure(size // max(member.compress_size, 1)),
                    "max": figure(limits.max_ratio),
                }
            )
    if total > limits.max_unpacked_bytes:
        raise SpreadsheetError(
            _(
                "The Excel file unpacks to more than %(max)s MB (limit on unpacked size). "
                "Split it into smaller files."
            )
            % {"max": figure(limits.max_unpacked_bytes // MB)}
        )


def _check_dimension(sheet, limits: Limits) -> None:
    """The sheet says how big it is before its rows are read; believe it when it is too big."""
    try:
        rows, columns = sheet.max_row, sheet.max_column
    except Exception:  # noqa: BLE001 - a missing or malformed <dimension> is checked row by row
        return
    if rows and rows > limits.max_rows:
        raise too_many_rows_for(limits)
    if columns and columns > limits.max_columns:
        raise too_many_columns(1, columns, limits)
    if rows and columns and rows * columns > limits.max_cells:
        raise too_many_cells(limits)


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
    counter = Counter(limits)
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
