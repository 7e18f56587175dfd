"""GIFT parsing, rejections with line numbers, and an export that round-trips."""

from decimal import Decimal

import pytest

from assessments.formats import decode_bytes, gift

SAMPLE = r"""// Ngân hàng câu hỏi mẫu
$CATEGORY: $course$/top/Chủ đề 1/Lừa đảo

// [tag:otp]
::OTP::Mã OTP ngân hàng được phép cung cấp cho ai? {
  ~Nhân viên ngân hàng gọi đến#Không: ngân hàng không bao giờ hỏi OTP.
  =Không cung cấp cho bất kỳ ai#Đúng.
  ~Người thân nhắn tin hỏi
  ####Mã OTP chỉ dành cho chính chủ tài khoản.
}

::Chọn nhiều::[markdown]Những thông tin **nên hạn chế** công khai? {
  ~%50%Số căn cước
  ~%50%Số tài khoản ngân hàng
  ~%-100%Sở thích nấu ăn
}

Website an toàn có địa chỉ bắt đầu bằng https {T#Sai rồi#Đúng}

::Tên app::Ứng dụng công dân số của tỉnh Thái Nguyên là gì? {
=C-Thái Nguyên =%50%C Thái Nguyên#Gần đúng}

::Số xã::Thái Nguyên (mới) có bao nhiêu đơn vị cấp xã? {#92:0}

::Khoảng::Ngày hội Đại đoàn kết vào ngày 18 tháng mấy? {#10..12}

::Ghép::Ghép địa chỉ với nền tảng {
  =Mặt trận số -> app.mattranso.vn
  =Bình dân học vụ số -> binhdanhocvuso.gov.vn
  =Phản ánh kiến nghị -> pakn.mattranso.vn
}

Ngày hội được tổ chức vào ngày {=18/11 ~19/5 ~22/12} hằng năm.

::Thoát::Dấu \= và \: và \# và \{ \} được giữ nguyên {=a\=b ~c\#d}

[html]<p>Câu hỏi <b>HTML</b></p> {=Có ~Không}
"""


def test_parses_every_supported_type():
    result = gift.parse(SAMPLE)
    assert result.rejections == []
    by_name = {q.name: q for q in result.questions}
    otp = by_name["OTP"]
    assert otp.qtype == "single" and otp.category == "Chủ đề 1/Lừa đảo" and otp.tags == ["otp"]
    assert [a.fraction for a in otp.answers] == [0, 100, 0]
    assert otp.answers[0].feedback == "Không: ngân hàng không bao giờ hỏi OTP."
    assert otp.general_feedback == "Mã OTP chỉ dành cho chính chủ tài khoản."
    multi = by_name["Chọn nhiều"]
    assert multi.qtype == "multiple" and multi.text_format == "markdown"
    assert [a.fraction for a in multi.answers] == [50, 50, -100]
    tf = next(q for q in result.questions if q.qtype == "truefalse")
    assert tf.answers[0].text == "true" and tf.answers[0].fraction == 100
    assert tf.answers[0].feedback == "Đúng" and tf.answers[1].feedback == "Sai rồi"
    short = by_name["Tên app"]
    assert short.qtype == "shortanswer" and short.answers[1].fraction == 50
    assert by_name["Số xã"].answers[0].text == "92"
    rng = by_name["Khoảng"].answers[0]
    assert rng.text == "11" and rng.tolerance == 1
    match = by_name["Ghép"]
    assert match.qtype == "matching" and match.answers[2].match_text == "pakn.mattranso.vn"
    missing = next(q for q in result.questions if q.text.startswith("Ngày hội được"))
    assert missing.text == "Ngày hội được tổ chức vào ngày _____ hằng năm."
    escaped = by_name["Thoát"]
    assert escaped.text == "Dấu = và : và # và { } được giữ nguyên"
    assert escaped.answers[0].text == "a=b" and escaped.answers[1].text == "c#d"
    html = next(q for q in result.questions if q.text_format == "html")
    assert html.text == "<p>Câu hỏi <b>HTML</b></p>"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Viết cảm nghĩ của anh/chị {}", "tự luận"),
        ("Chỉ là đoạn mô tả, không có đáp án.", "mô tả"),
        ("Câu hỏi {=a ~b", "}"),
        ("Câu hỏi {=a =b ~c}", "“=”"),
        ("Câu hỏi {~%40%a ~%40%b ~c}", "80%"),
        ("Câu hỏi {#abc}", "không phải là số"),
        ("Câu hỏi {=a -> b ~c}", "->"),
        ("::Tiêu đề chưa đóng Câu hỏi {=a ~b}", "::"),
    ],
)
def test_rejects_with_line_and_reason_in_vietnamese(source, reason):
    from django.utils import translation

    with translation.override("vi"):
        result = gift.parse("// dòng chú thích\n\n" + source + "\n")
    assert result.questions == []
    assert len(result.rejections) == 1
    assert result.rejections[0].line == 3
    assert reason in result.rejections[0].reason


def test_one_bad_question_does_not_hide_the_good_ones_line_numbers():
    result = gift.parse("Q1 {=a ~b}\n\nQ2 {}\n\n\nQ3 {T}\n")
    assert [q.line for q in result.questions] == [1, 6]
    assert [r.line for r in result.rejections] == [3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_decodes_utf8_and_utf16(encoding):
    assert decode_bytes(SAMPLE.encode(encoding)) == SAMPLE


def test_windows_line_ends_are_read():
    result = gift.parse(decode_bytes(SAMPLE.replace("\n", "\r\n").encode()))
    assert len(result.questions) == 10


@pytest.mark.django_db
def test_export_round_trips(category):
    from assessments import services

    report = services.questions_import(data=SAMPLE.encode(), fmt="gift", category_path="Gốc")
    assert report.committed, report.result.rejections
    root = services.category_find(path="Gốc")
    exported = services.questions_export_gift(category=root)
    again = services.questions_import(data=exported.encode(), fmt="gift", category_path="Bản sao")
    assert again.committed, again.result.rejections

    def snapshot(path):
        from assessments.models import Question

        top = services.category_find(path=path)
        rows = []
        for q in Question.objects.filter(category__in=top.subtree()).order_by("name", "text"):
            rows.append(
                (
                    q.category.full_path.split("/", 1)[1] if "/" in q.category.full_path else "",
                    q.name,
                    q.qtype,
                    q.text,
                    q.text_format,
                    q.general_feedback,
                    q.default_mark,
                    q.ignore_diacritics,
                    sorted(t.name for t in q.tags.all()),
                    [
                        (a.text, a.match_text, a.fraction, a.tolerance, a.feedback)
                        for a in q.answers.order_by("sort_order")
                    ],
                )
            )
        return rows

    assert snapshot("Gốc") == snapshot("Bản sao")
    assert len(snapshot("Gốc")) == 10
    assert Decimal(1) == snapshot("Gốc")[0][6]
