"""Builders for roster spreadsheets as HR officers really send them."""

import csv
import datetime as dt
import io

import openpyxl

HEADERS = [
    "STT",
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Chức vụ",
    "Chuyên trách",
    "SĐT",
    "Số CCCD",
    "Đơn vị",
]


def xlsx(rows, headers=HEADERS, *, title: str | None = None, merge_title=True) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        if merge_title:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, *, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    text = buffer.getvalue()
    return to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed vowels where the
    code page has them, the tone as a separate combining mark otherwise."""
    import unicodedata

    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)


def messy_rows(*, bad: bool = True) -> list[list]:
    """A La Bằng list: title row, spelling variants, serial and text dates, a number
    phone without its zero; with ``bad`` also 31/02, a duplicate code, a formula, a
    unit outside La Bằng and a row with no identifier."""
    rows = [
        [
            1,
            "LB001",
            "Nguyễn Thị Hoà",
            "05/03/1988",
            "Chủ tịch",
            "x",
            "0912 345 001",
            "",
            "Xã La Bằng",
        ],
        [
            2,
            "LB002",
            "Ma Văn Thắng",
            dt.datetime(1979, 11, 2),
            "Phó Chủ tịch",
            "x",
            912345002,
            "",
            "UBMTTQ xã La Bằng",
        ],
        [3, "LB003", "Hoàng Thị Đào", 29000, "Ủy viên", "", "+84912345003", "", "LA BANG"],
        [
            4,
            "LB004",
            "Dương Văn Bình Minh",
            "1990-01-15",
            "Trưởng ban",
            "",
            "0912345004",
            "019090000004",
            "xóm Lau Sau",
        ],
        [
            5,
            "LB005",
            "Triệu Thị Mai",
            "12.12.1985",
            "Ủy viên",
            "không",
            "0912345005",
            "",
            "Ban Công tác Mặt trận xóm Lau Sau",
        ],
    ]
    if bad:
        rows += [
            [6, "LB006", "Lý Thị Uyên", "31/02/1980", "Ủy viên", "", "0912345006", "", "La Bằng"],
            [7, "LB001", "Đặng Văn Dũng", "01/01/1970", "Ủy viên", "", "0912345007", "", "La Bằng"],
            [8, "LB008", "Nông Văn Ước", "01/01/1970", "Ủy viên", "", "0912345008", "", "Đại Phúc"],
            [9, "", "Hoàng Phủ Ngọc", "01/01/1970", "Ủy viên", "", "", "", "La Bằng"],
            [10, "LB010", "Lục Văn Long", "01/01/1970", "Ủy viên", "x", "12345", "", "La Bằng"],
        ]
    return rows


def messy_xlsx(*, bad: bool = True) -> bytes:
    data = xlsx(messy_rows(bad=bad), title="DANH SÁCH CÁN BỘ MẶT TRẬN XÃ LA BẰNG")
    if not bad:
        return data
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    sheet.append(
        [11, "LB011", "Chu Thị Hằng", "=DATE(1980,1,1)", "Ủy viên", "", "0912345011", "", "La Bằng"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
