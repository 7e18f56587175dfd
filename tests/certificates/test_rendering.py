"""The PDF: Vietnamese text extractable exactly, markup printed as text, a QR
code that leads to the verification URL, metadata, size."""

import datetime as dt
import io
import subprocess
import time
import unicodedata

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from certificates.models import CertificateTemplate
from certificates.rendering import CertificateRenderer, Content, official_date_line, verify_url
from config.pdf import fonts

pytestmark = pytest.mark.django_db

CODE = "7K3MQ9XA2B4CD5EF"


def _render(name: str, **overrides) -> bytes:
    template = CertificateTemplate.objects.get(is_default=True)
    content = Content(
        holder_name=name,
        subject="An toàn thông tin và phòng chống lừa đảo trực tuyến",
        number="00012/2026/CN-MTTQ",
        code=CODE,
        issued_on=dt.date(2026, 3, 5),
        unit="Ủy ban MTTQ xã La Bằng",
        **overrides,
    )
    return CertificateRenderer().render_content(template, content)


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _lines(pdf: bytes) -> list[str]:
    return [line.strip() for line in _text(pdf).splitlines()]


@pytest.mark.parametrize("name", ["Nguyễn Thị Hồng Nhung", "Dương Văn Bình Minh", "Hoàng Phủ Ngọc"])
def test_name_and_issuer_come_back_exactly_from_the_pdf_text(name):
    lines = _lines(_render(name))
    assert name in lines
    assert "ỦY BAN MTTQ VIỆT NAM TỈNH THÁI NGUYÊN" in lines
    assert "Thái Nguyên, ngày 05 tháng 03 năm 2026" in lines


def test_decomposed_input_prints_as_composed_text():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    assert decomposed != "Nguyễn Thị Hồng Nhung"
    assert "Nguyễn Thị Hồng Nhung" in _lines(_render(decomposed))


def test_markup_in_a_name_is_printed_as_text():
    name = '<font color="red">Lê Văn</font> & <b>Tám</b>'
    assert name in _lines(_render(name))


def test_an_overlong_name_still_renders_every_word():
    name = " ".join(["Nguyễn Thị Hồng Nhung"] * 8)
    text = _text(_render(name)).replace("\n", " ")
    assert text.count("Nhung") >= 8


def test_pdf_carries_title_author_and_subject():
    meta = PdfReader(io.BytesIO(_render("Hoàng Phủ Ngọc"))).metadata
    assert meta.title == "GIẤY CHỨNG NHẬN 00012/2026/CN-MTTQ"
    assert meta.author == "ỦY BAN MTTQ VIỆT NAM TỈNH THÁI NGUYÊN"
    assert "Hoàng Phủ Ngọc" in meta.subject


def test_pdf_is_a4_landscape_small_and_reproducible():
    pdf = _render("Dương Văn Bình Minh")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    assert len(pdf) < 60_000
    assert pdf == _render("Dương Văn Bình Minh")


def test_number_and_code_are_printed_beside_the_qr_code():
    text = _text(_render("Hoàng Phủ Ngọc"))
    assert "Số: 00012/2026/CN-MTTQ" in text
    assert "Mã xác thực: 7K3M-Q9XA-2B4C-D5EF" in text


def test_qr_code_decodes_to_the_public_verification_url(tmp_path):
    (tmp_path / "c.pdf").write_bytes(_render("Nguyễn Thị Hồng Nhung"))
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "110", str(tmp_path / "c.pdf"), str(tmp_path / "page")],  # noqa: S607
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png")))
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [verify_url(CODE)]
    assert verify_url(CODE) == f"https://hocso.example.vn/v/{CODE}/"


def test_fonts_are_registered_once_per_process():
    from reportlab.pdfbase import pdfmetrics

    first = fonts.register(fonts.DEFAULT_FAMILY)
    font = pdfmetrics.getFont(first[0])
    assert fonts.register(fonts.DEFAULT_FAMILY) == first
    assert pdfmetrics.getFont(first[0]) is font


def test_official_date_line_puts_day_and_month_on_two_digits():
    assert official_date_line("Thái Nguyên", dt.date(2026, 3, 5)) == (
        "Thái Nguyên, ngày 05 tháng 03 năm 2026"
    )
    assert official_date_line("Thái Nguyên", dt.date(2026, 11, 20)) == (
        "Thái Nguyên, ngày 20 tháng 11 năm 2026"
    )


def test_a_line_whose_placeholder_is_unknown_is_left_out():
    without = _text(_render("Hoàng Phủ Ngọc"))
    with_birth = _text(_render("Hoàng Phủ Ngọc", date_of_birth=dt.date(1990, 1, 2)))
    assert "Ngày sinh" not in without
    assert "Ngày sinh: 02/01/1990" in with_birth


class _CountingRenderer(CertificateRenderer):
    rendered: list[str] = []

    def render_content(self, template, content) -> bytes:
        type(self).rendered.append(content.number)
        return super().render_content(template, content)


def test_issuing_draws_with_the_renderer_the_setting_names(settings, cadre_user, course, complete):
    settings.CERTIFICATES_RENDERER = f"{__name__}._CountingRenderer"
    _CountingRenderer.rendered = []
    complete(cadre_user.cadre, course)
    assert len(_CountingRenderer.rendered) == 1


def test_issuing_by_default_draws_with_the_production_renderer(cadre_user, course, complete):
    _CountingRenderer.rendered = []
    complete(cadre_user.cadre, course)
    assert _CountingRenderer.rendered == []


def test_the_production_renderer_reads_no_test_delay_from_the_environment(monkeypatch):
    monkeypatch.setenv("CERTIFICATES_TEST_RENDER_DELAY", "30")
    started = time.monotonic()
    _render("Nguyễn Thị Hồng Nhung")
    assert time.monotonic() - started < 5
