"""Hostile uploads are refused quickly, by name of the limit they hit, and change nothing."""

import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments import services as question_services
from assessments.models import Question
from cadres import spreadsheets
from cadres.models import RosterImport
from cadres.roster import importing as ri
from tests.upload_bombs import million_columns_csv, shared_strings_bomb, wide_sheet_bomb

from .roster_files import HEADERS, csv_bytes, to_cp1258, xlsx

SMALL = spreadsheets.Limits(
    max_rows=10, max_columns=5, max_cells=30, max_cell_chars=20, max_line_chars=60
)


def refused(data: bytes, *, limits=spreadsheets.DEFAULT_LIMITS, **kwargs) -> str:
    started = time.monotonic()
    with translation.override("vi"), pytest.raises(spreadsheets.SpreadsheetError) as info:
        spreadsheets.read(data, limits=limits, **kwargs)
    assert time.monotonic() - started < 10
    return str(info.value)


def _sheet(rows, *, dimension=True) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if dimension:
        return buffer.getvalue()
    # Drop the <dimension> a careless or hostile writer may leave out.
    source = __import__("zipfile").ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    import re
    import zipfile

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            target.writestr(info.filename, content)
    return out.getvalue()


# --- the reader, limit by limit --------------------------------------------------------


def test_shared_strings_bomb_is_refused_from_the_zip_directory():
    message = refused(shared_strings_bomb(), file_name="ds.xlsx")
    assert "bảng chữ" in message and "24 MB" in message


def test_wide_sheet_bomb_is_refused_from_the_zip_directory():
    message = refused(wide_sheet_bomb(), file_name="ds.xlsx")
    assert "giới hạn" in message


def test_million_column_csv_is_refused_by_line_length_before_splitting():
    message = refused(million_columns_csv(), file_name="ds.csv")
    assert "Dòng 2" in message and "độ dài dòng" in message


def test_too_many_members_are_refused_from_the_zip_directory():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(250):
            archive.writestr(f"x/{i}.xml", "<a/>")
    assert "250" in refused(out.getvalue())


def test_declared_dimension_over_the_row_limit_is_refused_before_streaming():
    message = refused(_sheet([["a"]] * 12), limits=SMALL)
    assert "10 dòng" in message


@pytest.mark.parametrize("dimension", [True, False])
def test_rows_over_the_limit_are_refused_with_or_without_a_declared_dimension(dimension):
    assert "giới hạn số dòng" in refused(_sheet([["a"]] * 12, dimension=dimension), limits=SMALL)


@pytest.mark.parametrize("dimension", [True, False])
def test_columns_over_the_limit_are_refused(dimension):
    assert "giới hạn số cột" in refused(_sheet([list("abcdef")], dimension=dimension), limits=SMALL)


def test_cells_over_the_limit_are_refused():
    message = refused(_sheet([list("abcde")] * 7, dimension=False), limits=SMALL)
    assert "giới hạn số ô" in message


def test_a_cell_over_the_length_limit_is_refused_naming_row_and_column():
    message = refused(_sheet([["a", "b"], ["c", "x" * 21]]), limits=SMALL)
    assert "dòng 2, cột B" in message and "độ dài ô" in message


def test_csv_rows_columns_and_cells_are_limited_too():
    assert "giới hạn số dòng" in refused(b"a\n" * 11, limits=SMALL)
    assert "giới hạn số cột" in refused(b"a,b,c,d,e,f\n", limits=SMALL)
    assert "giới hạn số ô" in refused(b"a,b,c,d,e\n" * 7, limits=SMALL)
    assert "độ dài ô" in refused(b"a;" + b"x" * 21 + b"\n", limits=SMALL)


def test_a_file_within_every_limit_is_read():
    grid = spreadsheets.read(_sheet([["a", "b"], ["c", "d"]]), limits=SMALL)
    assert grid.rows == [["a", "b"], ["c", "d"]]


def test_compression_ratio_over_the_limit_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 1_000_000)
    message = refused(out.getvalue(), limits=spreadsheets.DEFAULT_LIMITS.but(max_ratio=50))
    assert "giới hạn tỉ lệ nén" in message


# --- every upload goes through it ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bomb", "name"),
    [
        (shared_strings_bomb, "ds.xlsx"),
        (wide_sheet_bomb, "ds.xlsx"),
        (million_columns_csv, "d.csv"),
    ],
)
def test_roster_upload_page_refuses_a_bomb_quickly_with_a_short_page(
    client, coded_tree, hr_la_bang, bomb, name
):
    client.force_login(hr_la_bang)
    data = bomb()  # building the bomb is not part of refusing it
    started = time.monotonic()
    response = client.post(
        reverse("cadres:import_upload"),
        {"file": SimpleUploadedFile(name, data), "unit": coded_tree["la_bang"].pk},
    )
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert "giới hạn" in response.content.decode()
    assert len(response.content) < 200_000
    assert not RosterImport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_question_import_refuses_the_same_bombs_and_imports_nothing(fmt):
    # Question files are capped at 5 MB: 400,000 columns still fit under that.
    bomb = shared_strings_bomb() if fmt == "xlsx" else million_columns_csv(400_000)
    started = time.monotonic()
    with translation.override("vi"):
        report = question_services.questions_import(data=bomb, fmt=fmt, category_path="Bom")
    assert time.monotonic() - started < 10
    assert not report.committed and not Question.objects.exists()
    assert "giới hạn" in report.result.rejections[0].reason


@pytest.mark.django_db
def test_question_import_page_refuses_a_bomb_with_a_message(client, administrator):
    client.force_login(administrator)
    upload = io.BytesIO(shared_strings_bomb())
    upload.name = "cau-hoi.xlsx"
    response = client.post(
        "/quan-tri/ngan-hang/nhap/", {"file": upload, "format": "xlsx", "category": "Bom"}
    )
    assert response.status_code == 200 and "giới hạn" in response.content.decode()
    assert "payload" not in response.context or not response.context["payload"]


@pytest.mark.django_db
def test_question_csv_in_windows_1258_is_read_like_the_roster():
    from assessments.formats import sheet

    rows = [sheet.HEADER[:3] + ["Phương án A", "Phương án B", "Đáp án"]]
    rows.append(["Một lựa chọn", "", "Mã OTP cung cấp cho ai?", "Ngân hàng", "Không ai", "B"])
    text = "\n".join(";".join(row) for row in rows) + "\n"
    report = question_services.questions_import(
        data=to_cp1258(text), fmt="csv", category_path="Lừa đảo"
    )
    assert report.committed
    assert Question.objects.get().text == "Mã OTP cung cấp cho ai?"


@pytest.mark.django_db
def test_question_import_page_shows_one_page_of_rejections(client, administrator):
    from assessments.formats import sheet

    rows = [sheet.HEADER] + [["Không có loại này", "", f"Câu {i}"] for i in range(400)]
    text = "\n".join(",".join(row) for row in rows) + "\n"
    client.force_login(administrator)
    upload = io.BytesIO(text.encode())
    upload.name = "cau-hoi.csv"
    response = client.post(
        "/quan-tri/ngan-hang/nhap/", {"file": upload, "format": "csv", "category": "Lỗi"}
    )
    html = response.content.decode()
    assert html.count("Không có loại này") <= 100
    assert "400" in html


@pytest.mark.django_db
def test_roster_import_page_lists_a_bounded_number_of_rows_per_ambiguity(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    from tests.factories import make_unit

    make_unit("Ủy ban MTTQ xã Lau Sau", parent=coded_tree["la_bang"])  # a second "Lau Sau"
    rows = [
        [i, f"LS{i:04d}", f"Nguyễn Văn An {i}", "", "", "", "", "", "Lau Sau"] for i in range(300)
    ]
    client.force_login(hr_la_bang)
    client.post(
        reverse("cadres:import_upload"),
        {"file": SimpleUploadedFile("ds.csv", csv_bytes(rows)), "unit": coded_tree["la_bang"].pk},
    )
    roster_import = RosterImport.objects.get()
    mapping = {f"col-{k}": v for k, v in roster_import.mapping.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cadres:import_configure", args=[roster_import.pk]), {"map": "1", **mapping}
        )
    page = client.get(reverse("cadres:import_detail", args=[roster_import.pk]))
    html = page.content.decode()
    assert "Lau Sau" in html
    assert ", 250" not in html and "…" in html


def test_roster_reader_keeps_its_own_row_message_under_the_reader_limit():
    data = xlsx([[i, f"LB{i}", "An", "", "", "", "0912345678", "", ""] for i in range(3)], HEADERS)
    assert len(ri.read_sheet(data).rows) == 3


@pytest.mark.django_db
def test_restructuring_page_shows_one_page_of_errors(client, tree, hr_province):
    rows = ["new_code,new_name,old_code,old_name,old_district,note"] + [
        f"9{i:04d},Xã Mới {i},8{i:04d},Xã Cũ {i},Huyện X,Nhập toàn bộ" for i in range(300)
    ]
    client.force_login(hr_province)
    response = client.post(
        reverse("cadres:restructuring_upload"),
        {
            "file": SimpleUploadedFile("bang.csv", to_cp1258("\n".join(rows) + "\n")),
            "effective_date": "01/01/2027",
            "legal_basis": "Nghị quyết thử",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<li>") <= 120 and "lỗi khác" in html


def _largest_legitimate_workbook_directory() -> bytes:
    """A zip laid out like the largest roster we accept (50,000 cadres, 20
    columns and a header) as openpyxl writes it: every text inline in the
    sheet, about 70 MB unpacked and 20 times smaller packed."""
    import random
    import zipfile

    rng = random.Random(7)
    given = ["Hoa", "Hương", "Hải", "Nhung", "Uyên", "Đức", "Thảo", "Bình"]
    rows = []
    for r in range(1, 50_002):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>'
            f"Nguyễn Văn {rng.choice(given)} {rng.randrange(10**7)}</t></is></c>"
            for c in range(20)
        )
        rows.append(f'<row r="{r}">{cells}</row>')
    sheet = "<worksheet><sheetData>" + "".join(rows) + "</sheetData></worksheet>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def test_the_largest_legitimate_roster_passes_the_zip_directory_check():
    """A roster at the row limit, as Excel or openpyxl writes it, is not a bomb."""
    data = _largest_legitimate_workbook_directory()
    spreadsheets.check_zip(data)  # raises SpreadsheetError when refused
    limits = spreadsheets.DEFAULT_LIMITS
    assert limits.max_cells >= (limits.max_rows + 1) * 20  # the header row counts too


def test_a_sheet_over_the_unpacked_limit_is_still_refused_from_the_directory():
    limits = spreadsheets.DEFAULT_LIMITS.but(max_member_bytes=8 * spreadsheets.MB)
    with pytest.raises(spreadsheets.SpreadsheetError, match="giới hạn dung lượng giải nén"):
        spreadsheets.check_zip(_largest_legitimate_workbook_directory(), limits)


def test_opening_a_sheet_without_a_dimension_does_not_read_the_whole_sheet(monkeypatch):
    """openpyxl looks for <dimension> until the END of <sheetData>: on a sheet
    written without one (openpyxl's write-only mode, many exporters) that is a
    scan of every row before the first is read. The schema puts <dimension>
    before <sheetData>, so the look stops where the rows begin."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for n in range(20_000):
        sheet.append([f"Nguyễn Văn {n}"] * len(HEADERS))
    buffer = io.BytesIO()
    workbook.save(buffer)
    read: list[int] = []
    original = ReadOnlyWorksheet._get_source

    def counting_source(self):
        source = original(self)
        real_read = source.read

        def read_counted(*args):
            chunk = real_read(*args)
            read.append(len(chunk))
            return chunk

        source.read = read_counted
        return source

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_source", counting_source)
    stream = spreadsheets.open_rows(buffer.getvalue(), file_name="ds.xlsx")
    opened = sum(read)
    assert opened < 1024 * 1024, f"{opened:,} bytes of the sheet read before its first row"
    assert [str(v) for v in next(iter(stream.rows))][:2] == [str(h) for h in HEADERS[:2]]
    assert stream.declared_rows == 0  # no dimension: progress without a total
