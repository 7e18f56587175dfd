"""Templates: the default from the first migration, validation at save, the
admin screens, preview and the command-line sample."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.test import RequestFactory
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images.models import Image

from certificates.models import Certificate, CertificateTemplate
from config.pdf import fonts

pytestmark = pytest.mark.django_db


def _default() -> CertificateTemplate:
    return CertificateTemplate.objects.get(is_default=True)


def _png(name="chu-ky.png", colour=(20, 40, 160, 255)) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGBA", (300, 120), colour).save(buffer, "PNG")
    return Image.objects.create(title="Chữ ký", file=ImageFile(buffer, name=name))


def test_a_default_template_exists_from_the_first_migration():
    template = _default()
    assert template.issuer == "ỦY BAN MTTQ VIỆT NAM TỈNH THÁI NGUYÊN"
    assert template.number_pattern == "{seq:05d}/{year}/CN-MTTQ"
    template.full_clean()


@pytest.mark.parametrize(
    "pattern",
    ["{year}/CN", "{seq.__class__}/{year}", "{seq:>{year}}", "{seq", "{name}-{seq}", "{seq!r}"],
)
def test_a_bad_numbering_pattern_is_refused_at_save(pattern):
    template = _default()
    template.number_pattern = pattern
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "number_pattern" in error.value.message_dict


def test_an_unknown_placeholder_in_the_body_is_refused():
    template = _default()
    template.body = "Ông/Bà {ten} đã hoàn thành {course}"
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "{ten}" in error.value.message_dict["body"][0]


def test_two_issuers_may_not_share_a_numbering_pattern():
    other = CertificateTemplate(name="Khác", issuer="ỦY BAN MTTQ XÃ LA BẰNG")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "number_pattern" in error.value.message_dict


@pytest.mark.parametrize("pattern", ["{seq:05}/{year}/CN-MTTQ", "{seq:05d}/{year:d}/CN-MTTQ"])
def test_two_issuers_may_not_use_patterns_that_print_the_same_numbers(pattern):
    other = CertificateTemplate(
        name="Khác", issuer="ỦY BAN MTTQ XÃ LA BẰNG", number_pattern=pattern
    )
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "number_pattern" in error.value.message_dict


def test_another_issuer_with_its_own_suffix_may_save():
    other = CertificateTemplate(
        name="Khác", issuer="ỦY BAN MTTQ XÃ LA BẰNG", number_pattern="{seq:05d}/{year}/CN-LB"
    )
    other.full_clean()


def test_a_signature_image_whose_file_is_gone_is_a_clear_error_at_save():
    template = _default()
    template.signature_image = _png()
    template.full_clean()
    template.signature_image.file.storage.delete(template.signature_image.file.name)
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "tải lên lại" in error.value.message_dict["signature_image"][0]


def test_a_missing_font_file_is_a_clear_error_at_save(monkeypatch):
    monkeypatch.setitem(
        fonts.FAMILIES,
        "noto_serif",
        {"label": "Noto Serif", "regular": "khong-co.ttf", "bold": "NotoSerif-Bold.ttf"},
    )
    with pytest.raises(ValidationError) as error:
        _default().full_clean()
    assert "khong-co.ttf" in error.value.message_dict["font_family"][0]


def test_shipped_fonts_come_with_their_licence():
    assert (fonts.FONT_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1
    fonts.family_check(fonts.DEFAULT_FAMILY)


def test_signature_and_seal_images_are_drawn_into_the_pdf():
    from certificates.rendering import render_sample

    template = _default()
    plain = render_sample(template=template)
    template.signature_image = _png()
    template.seal_image = _png("dau.png", colour=(200, 20, 20, 160))
    template.save()
    signed = render_sample(template=template)
    images = PdfReader(io.BytesIO(signed)).pages[0].images
    assert len(images) == 2 and len(signed) > len(plain)


def test_preview_renders_a_sample_pdf_without_issuing(administrator):
    request = RequestFactory().get("/")
    request.user = administrator
    response = _default().serve_preview(request, "")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Nguyễn Thị Hồng Nhung" in text
    assert not Certificate.objects.exists()


def test_the_command_writes_a_sample_pdf(tmp_path):
    out = tmp_path / "mau.pdf"
    call_command("render_sample_certificate", "--name", "Dương Văn Bình Minh", "--out", str(out))
    text = PdfReader(out).pages[0].extract_text()
    assert "Dương Văn Bình Minh" in [line.strip() for line in text.splitlines()]
    assert not Certificate.objects.exists()


def test_the_command_reports_the_size_the_vietnamese_way(tmp_path):
    out, said = tmp_path / "mau.pdf", io.StringIO()
    call_command("render_sample_certificate", "--out", str(out), stdout=said)
    size = f"{out.stat().st_size:,}".replace(",", ".")
    assert f"({size} byte)" in said.getvalue()


def test_administrator_edits_templates_in_the_admin(client, administrator):
    client.force_login(administrator)
    listing = client.get("/quan-tri/snippets/certificates/certificatetemplate/")
    assert listing.status_code == 200 and "Mẫu mặc định" in listing.content.decode()
    edit = client.get(f"/quan-tri/snippets/certificates/certificatetemplate/edit/{_default().pk}/")
    assert edit.status_code == 200 and "Quốc hiệu" in edit.content.decode()


def test_an_hr_officer_cannot_open_the_template_admin(client, hr_province):
    client.force_login(hr_province)
    response = client.get("/quan-tri/snippets/certificates/certificatetemplate/")
    assert response.status_code in (302, 403)


def test_issued_certificates_are_listed_read_only_with_revoke_and_reissue(
    client, administrator, cadre_user, course, complete
):
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    client.force_login(administrator)
    listing = client.get("/quan-tri/snippets/certificates/certificate/").content.decode()
    assert certificate.number in listing and "Thu hồi" in listing and "Cấp lại" in listing
    edit = client.get(f"/quan-tri/snippets/certificates/certificate/edit/{certificate.pk}/")
    assert edit.status_code in (302, 403, 404)
    revoke_url = f"/quan-tri/chung-nhan/{certificate.pk}/thu-hoi/"
    empty = client.post(revoke_url, {"reason": ""})
    assert empty.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    done = client.post(revoke_url, {"reason": "Cấp nhầm người"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


def test_an_hr_officer_cannot_revoke(client, hr_la_bang, cadre_user, course, complete):
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    client.force_login(hr_la_bang)
    client.post(f"/quan-tri/chung-nhan/{certificate.pk}/thu-hoi/", {"reason": "x"})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
