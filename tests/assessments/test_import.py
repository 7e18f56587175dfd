# ruff: noqa: E501 - spreadsheet rows read best one per line
"""Aiken and spreadsheet imports, all-or-nothing commits and the command line."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from assessments import services
from assessments.formats import aiken, sheet
from assessments.models import Question, QuestionCategory

pytestmark = pytest.mark.django_db

AIKEN = """Mã OTP ngân hàng được phép cung cấp cho ai?
A. Nhân viên ngân hàng gọi đến.
B. Người tự xưng là công an.
C. Không cung cấp cho bất kỳ ai.
D) Người thân nhắn tin hỏi.
ANSWER: C

Những thông tin nên hạn chế công khai?
A. Số căn cước
B. Sở thích nấu ăn
C. Số tài khoản
ANSWER: A, C
"""


def test_aiken_reads_single_and_multiple_answers():
    result = aiken.parse(AIKEN)
    assert result.rejections == []
    single, multiple = result.questions
    assert single.qtype == "single" and [a.fraction for a in single.answers] == [0, 0, 100, 0]
    assert single.answers[3].text == "Người thân nhắn tin hỏi."
    assert multiple.qtype == "multiple" and [a.fraction for a in multiple.answers] == [50, 0, 50]


def test_aiken_rejects_with_line_numbers():
    with translation.override("vi"):
        result = aiken.parse(
            "Câu một\nA. x\nB. y\nANSWER: E\n\nCâu hai\nA. x\nB. y\n\nCâu ba\nA. x\nB. y\nANSWER: A\n"
        )
    assert [(r.line, r.reason[:8]) for r in result.rejections] == [(1, "Đáp án “"), (6, "Câu hỏi ")]
    assert len(result.questions) == 1 and result.questions[0].line == 10


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


ROWS = [
    sheet.HEADER,
    ["Một lựa chọn", "OTP", "Mã OTP cung cấp cho ai?", "Ngân hàng", "Không ai", "", "", "", "", "B", "", "Lừa đảo", "otp, an toàn", ""],
    ["nhieu lua chon", "", "Thông tin cần giữ kín?", "Số căn cước", "Sở thích", "Số tài khoản", "", "", "", "A,C", "", "", "", "2"],
    ["Đúng/sai", "", "https có ổ khóa là kết nối mã hóa.", "", "", "", "", "", "", "Đúng", "", "", "", ""],
    ["Trả lời ngắn", "", "Ứng dụng công dân số của tỉnh?", "", "", "", "", "", "", "C-Thái Nguyên|C Thai Nguyen", "", "", "", ""],
    ["Điền số", "", "Số đơn vị cấp xã?", "", "", "", "", "", "", "92 ± 0", "", "", "", ""],
    ["Ghép nối", "", "Ghép địa chỉ", "Mặt trận số -> app.mattranso.vn", "Học vụ số -> binhdanhocvuso.gov.vn", "", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def test_xlsx_template_imports_every_type():
    report = services.questions_import(data=_xlsx(ROWS), fmt="xlsx", category_path="Bảng tính")
    assert report.committed, report.result.rejections
    assert sorted(Question.objects.values_list("qtype", flat=True)) == sorted(
        ["single", "multiple", "truefalse", "shortanswer", "numerical", "matching"]
    )
    otp = Question.objects.get(name="OTP")
    assert otp.category.full_path == "Bảng tính/Lừa đảo"
    assert sorted(t.name for t in otp.tags.all()) == ["an toàn", "otp"]
    assert Question.objects.get(qtype="multiple").default_mark == 2


def test_csv_with_bom_and_semicolons_imports():
    text = "\n".join(";".join(row) for row in ROWS[:3])
    report = services.questions_import(
        data=text.encode("utf-8-sig"), fmt="csv", category_path="CSV"
    )
    assert report.committed and report.imported == 2


def test_one_bad_row_imports_nothing():
    rows = [*ROWS, ["Một lựa chọn", "", "Câu lỗi", "A1", "B1", "", "", "", "", "Z", "", "", "", ""]]
    with translation.override("vi"):
        report = services.questions_import(data=_xlsx(rows), fmt="xlsx", category_path="Lỗi")
    assert not report.committed
    assert [
        (r.line, "không thuộc các phương án" in r.reason) for r in report.result.rejections
    ] == [(8, True)]
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_broken_xlsx_is_reported_not_raised():
    report = services.questions_import(data=b"PK\x03\x04garbage", fmt="xlsx", category_path="X")
    assert not report.committed and report.result.rejections[0].line == 0


def test_dry_run_writes_nothing():
    report = services.questions_import(
        data=AIKEN.encode(), fmt="aiken", category_path="Aiken", dry_run=True
    )
    assert report.ok and not report.committed and not Question.objects.exists()


def test_command_imports_and_prints_counts(tmp_path):
    path = tmp_path / "cau-hoi.gift"
    path.write_bytes("Q1 {=a ~b}\n\nQ2 {T}\n\nQ3 {=x =y}\n".encode("utf-16"))
    out = io.StringIO()
    call_command("import_questions", str(path), "--format", "gift", "--category", "A/B", stdout=out)
    text = out.getvalue()
    assert "1 câu hỏi loại Một lựa chọn" in text and "1 câu hỏi loại Đúng/sai" in text
    assert "1 câu hỏi loại Trả lời ngắn" in text
    assert Question.objects.filter(category__name="B", category__depth=2).count() == 3


def test_command_dry_run_imports_nothing(tmp_path):
    path = tmp_path / "cau-hoi.txt"
    path.write_text(AIKEN, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_questions",
        str(path),
        "--format",
        "aiken",
        "--category",
        "A",
        "--dry-run",
        stdout=out,
    )
    assert "Sẽ nhập 1 câu hỏi loại Một lựa chọn" in out.getvalue()
    assert not Question.objects.exists()


def test_command_with_a_rejection_exits_non_zero_and_imports_nothing(tmp_path):
    path = tmp_path / "cau-hoi.gift"
    path.write_text("Q1 {=a ~b}\n\nViết bài luận {}\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_questions", str(path), "--format", "gift", "--category", "A", stderr=err
        )
    assert "Dòng 3: Chưa hỗ trợ câu hỏi tự luận (essay)." in err.getvalue()
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_admin_import_previews_then_commits(client, administrator):
    client.force_login(administrator)
    upload = io.BytesIO(AIKEN.encode())
    upload.name = "cau-hoi.txt"
    response = client.post(
        "/quan-tri/ngan-hang/nhap/", {"file": upload, "format": "aiken", "category": "Quản trị"}
    )
    html = response.content.decode()
    assert "Xem trước" in html and not Question.objects.exists()
    payload = response.context["payload"]
    response = client.post("/quan-tri/ngan-hang/nhap/", {"payload": payload})
    assert response.status_code == 302 and Question.objects.count() == 2


def test_admin_import_refused_to_a_cadre(client, cadre_user):
    client.force_login(cadre_user)
    assert client.get("/quan-tri/ngan-hang/nhap/").status_code in (302, 403)


def test_admin_import_with_a_forged_payload_imports_nothing(client, administrator):
    client.force_login(administrator)
    response = client.post("/quan-tri/ngan-hang/nhap/", {"payload": "gia-mao"})
    assert response.status_code == 302 and not Question.objects.exists()


def _nothing_imported(report) -> bool:
    return not report.committed and report.result.rejections and not Question.objects.exists()


@pytest.mark.parametrize("mark", ["NaN", "sNaN", "Infinity"])
def test_sheet_mark_that_is_not_a_finite_number_is_rejected(mark):
    rows = [sheet.HEADER, [*ROWS[1][:13], mark]]
    report = services.questions_import(data=_xlsx(rows), fmt="xlsx", category_path="Lỗi")
    assert _nothing_imported(report)


@pytest.mark.parametrize("mark", ["NaN", "Infinity"])
def test_gift_mark_that_is_not_a_finite_number_is_rejected(mark):
    gift = f"// [hocso:mark={mark}]\n::OTP::Mã OTP cung cấp cho ai?{{=Không ai ~Ngân hàng}}\n"
    report = services.questions_import(data=gift.encode(), fmt="gift", category_path="Lỗi")
    assert _nothing_imported(report)


def test_gift_answer_weight_out_of_range_is_rejected():
    gift = "::Số xã::Số đơn vị cấp xã?{#=%99999%92:0 ~%0%10}\n"
    report = services.questions_import(data=gift.encode(), fmt="gift", category_path="Lỗi")
    assert _nothing_imported(report)


def test_sheet_tolerance_too_large_is_rejected():
    rows = [sheet.HEADER, ["Điền số", "", "Số đơn vị cấp xã?", "", "", "", "", "", "", "92 ± 1e999", "", "", "", ""]]  # fmt: skip
    report = services.questions_import(data=_xlsx(rows), fmt="xlsx", category_path="Lỗi")
    assert _nothing_imported(report)


def test_csv_with_a_cell_too_long_to_read_is_rejected():
    text = "\n".join(";".join(row) for row in ROWS[:2]) + "\n" + '"' + "x" * 200_000 + '"'
    report = services.questions_import(data=text.encode(), fmt="csv", category_path="Lỗi")
    assert _nothing_imported(report)


def test_gift_numerical_answer_in_range_imports():
    gift = "::Số xã::Số đơn vị cấp xã?{#=%100%92:0 ~%50%91:1}\n"
    report = services.questions_import(data=gift.encode(), fmt="gift", category_path="Số")
    assert report.committed
