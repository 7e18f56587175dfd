"""Hostile spreadsheets, built in memory (no big binaries in the repository).

Each builder writes its zip members in chunks, so building a bomb never holds
its unpacked size in memory. Used by the upload tests and ``bench/bench_uploads.py``.
"""

import functools
import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
SST_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _write(archive: zipfile.ZipFile, name: str, head: str, chunk: str, times: int, tail: str):
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 9  # noqa: SLF001 - ZipInfo takes no level argument before 3.13
    with archive.open(info, "w", force_zip64=True) as member:
        member.write(head.encode())
        block = (chunk * 1000).encode()
        for _ in range(times // 1000):
            member.write(block)
        member.write((chunk * (times % 1000)).encode())
        member.write(tail.encode())


def _package(sheet_rows: tuple[str, int], strings: tuple[str, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            zf.writestr(name, text)
        _write(zf, "xl/sharedStrings.xml", SST_HEAD, strings[0], strings[1], "</sst>")
        _write(zf, "xl/worksheets/sheet1.xml", SHEET_HEAD, sheet_rows[0], sheet_rows[1], SHEET_TAIL)
    return buffer.getvalue()


@functools.cache
def shared_strings_bomb(strings: int = 17_000_000) -> bytes:
    """A workbook of one small sheet whose table of texts holds ``strings`` tiny
    strings: ~300 KB on disk, ~300 MB of XML and gigabytes of Python strings unpacked."""
    header = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
    )
    return _package((header, 1), ("<si><t>xx</t></si>", strings))


@functools.cache
def wide_sheet_bomb(rows: int = 50_020, columns: int = 300) -> bytes:
    """``rows`` × ``columns`` numeric cells and no declared dimension: ~500 KB on disk."""
    row = "<row>" + "<c><v>1</v></c>" * columns + "</row>"
    return _package((row, rows), ("<si><t>Họ và tên</t></si>", 1))


@functools.cache
def million_columns_csv(columns: int = 1_000_000) -> bytes:
    """A header and one line of ``columns`` cells: ~9.9 MB."""
    return ("Họ và tên,SĐT\n" + ",".join(["12345678"] * columns) + "\n").encode()


BOMBS = {
    "shared_strings_xlsx": (shared_strings_bomb, "bomb.xlsx"),
    "wide_sheet_xlsx": (wide_sheet_bomb, "bomb.xlsx"),
    "million_columns_csv": (million_columns_csv, "bomb.csv"),
}
