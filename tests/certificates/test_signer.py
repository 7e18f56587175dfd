"""A certificate names who signed it, under "TM. BAN THƯỜNG TRỰC / CHỦ TỊCH",
and keeps that name when the committee's chair changes later."""

import io

import pytest
from pypdf import PdfReader

from certificates.models import Certificate, CertificateTemplate
from certificates.rendering import render_sample

pytestmark = pytest.mark.django_db

SIGNER = "Hoàng Văn Thành"
NEXT_SIGNER = "Triệu Thị Lụa"


def _lines(pdf: bytes) -> list[str]:
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return [line.strip() for line in text.splitlines()]


def _sign(name: str) -> CertificateTemplate:
    template = CertificateTemplate.objects.get(is_default=True)
    template.signatory_name = name
    template.full_clean()
    template.save()
    return template


def test_signer_name_is_printed_under_the_capacity_and_title():
    lines = _lines(render_sample(template=_sign(SIGNER)))
    capacity = lines.index("TM. BAN THƯỜNG TRỰC")
    assert lines[capacity + 1 : capacity + 3] == ["CHỦ TỊCH", SIGNER]


def test_a_template_without_a_signer_prints_no_name_there():
    lines = _lines(render_sample(template=CertificateTemplate.objects.get(is_default=True)))
    capacity = lines.index("TM. BAN THƯỜNG TRỰC")
    assert lines[capacity + 1] == "CHỦ TỊCH"
    assert SIGNER not in lines


def test_an_issued_certificate_keeps_the_signer_it_was_issued_with(
    client, cadre_user, course, complete
):
    _sign(SIGNER)
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    assert certificate.signatory_name == SIGNER
    _sign(NEXT_SIGNER)
    page = client.get(f"/v/{certificate.code}/").content.decode()
    assert "Người ký" in page and SIGNER in page and NEXT_SIGNER not in page
    with certificate.pdf.open("rb") as handle:
        assert SIGNER in _lines(handle.read())


def test_a_certificate_issued_after_the_change_names_the_new_signer(cadre_user, course, complete):
    _sign(SIGNER)
    _sign(NEXT_SIGNER)
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    assert certificate.signatory_name == NEXT_SIGNER
    with certificate.pdf.open("rb") as handle:
        lines = _lines(handle.read())
    assert NEXT_SIGNER in lines and SIGNER not in lines
