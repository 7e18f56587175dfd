"""Public verification, scoped downloads, the learner's page and the bulk ZIP."""

import io
import zipfile

import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateExport
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cadre_user, course, complete):
    complete(cadre_user.cadre, course)
    return Certificate.objects.get()


def _pdf_bytes(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_verification_page_shows_the_certificate_without_login(client, issued):
    response = client.get(f"/v/{issued.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    for fact in (
        "Nguyễn Thị Hoa",
        issued.subject,
        issued.issuer,
        issued.number,
        issued.sha256,
        issued.issued_at.astimezone().strftime("%d/%m/%Y")[:2],
    ):
        assert fact in html
    assert "hợp lệ" in html


def test_verification_page_shows_nothing_else_about_the_holder(client, issued):
    cadre = issued.cadre
    html = client.get(f"/v/{issued.code}/").content.decode()
    assert cadre.phone not in html
    assert cadre.cadre_code not in html
    assert "La Bằng" not in html  # the unit is printed on paper, not published


def test_unknown_and_malformed_codes_get_the_same_calm_page(client, issued):
    unknown = client.get("/v/7K3MQ9XA2B4CD5EF/")
    malformed = client.get("/v/%3Cscript%3E'--/")
    long = client.get("/v/" + "A" * 500 + "/")
    assert unknown.status_code == malformed.status_code == long.status_code == 404
    assert "Không tìm thấy" in unknown.content.decode()

    def main(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(unknown) == main(malformed) == main(long)


def test_a_pending_certificate_is_not_found(client, tree, course):
    from certificates.services import template_for

    cadre = make_cadre(tree["la_bang"])
    pending = Certificate.objects.create(
        cadre=cadre, course=course, template=template_for(course=course), code="7K3MQ9XA2B4CD5EF"
    )
    assert client.get(f"/v/{pending.code}/").status_code == 404


def test_a_typed_code_with_dashes_and_lower_case_is_found(client, issued):
    typed = issued.code_display.lower()
    response = client.get("/v/", {"q": typed})
    assert response.status_code == 302 and response["Location"] == f"/v/{issued.code}/"


def test_lookup_by_number_alone_asks_for_the_name_and_shows_nothing(client, issued):
    response = client.get("/v/", {"q": issued.number})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Thị Hoa" not in html and issued.subject not in html
    assert issued.code not in html and issued.code_display not in html
    assert "nhập họ và tên người được cấp" in html


def test_lookup_by_number_and_the_printed_name_answers_that_they_match(client, issued):
    response = client.get("/v/", {"q": issued.number, "name": "  nguyen THI   hoa "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số và họ tên khớp" in html and "hợp lệ" in html
    assert "Nguyễn Thị Hoa" not in html  # the stored spelling is not handed out
    assert issued.code not in html and issued.code_display not in html
    assert issued.sha256 not in html


def test_lookup_by_number_with_another_name_looks_like_an_unknown_number(client, issued):
    wrong = client.get("/v/", {"q": issued.number, "name": "Nguyễn Thị Hòa Bình"})
    unknown = client.get("/v/", {"q": "99999/2099/CN-MTTQ", "name": "Nguyễn Thị Hoa"})
    assert wrong.status_code == unknown.status_code == 404

    def main(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert "Nguyễn Thị Hoa" not in main(wrong)
    assert main(wrong).replace("Nguyễn Thị Hòa Bình", "X").replace(issued.number, "N") == main(
        unknown
    ).replace("Nguyễn Thị Hoa", "X").replace("99999/2099/CN-MTTQ", "N")


def test_the_qr_code_page_still_shows_the_holder(client, issued):
    assert "Nguyễn Thị Hoa" in client.get(f"/v/{issued.code}/").content.decode()


def test_revoked_and_superseded_certificates_say_so(client, issued, administrator):
    from certificates import services

    new = services.certificate_reissue(certificate=issued, by=administrator, reason="Sửa tên")
    html = client.get(f"/v/{issued.code}/").content.decode()
    assert f"thay thế bằng giấy chứng nhận số {new.number}" in html
    services.certificate_issue(certificate_id=new.pk)
    services.certificate_revoke(certificate=new, by=administrator, reason="Cấp nhầm")
    new.refresh_from_db()
    html = client.get(f"/v/{new.code}/").content.decode()
    assert f"thu hồi ngày {new.revoked_at.astimezone():%d/%m/%Y}" in html


def test_an_uploaded_copy_of_the_issued_file_matches(client, issued):
    upload = io.BytesIO(_pdf_bytes(issued))
    upload.name = "chung-nhan.pdf"
    html = client.post(f"/v/{issued.code}/", {"file": upload}).content.decode()
    assert "đúng là tệp đã cấp" in html


def test_an_altered_file_does_not_match(client, issued):
    upload = io.BytesIO(_pdf_bytes(issued) + b"\n%tampered")
    upload.name = "chung-nhan.pdf"
    html = client.post(f"/v/{issued.code}/", {"file": upload}).content.decode()
    assert "KHÔNG phải tệp đã cấp" in html


def test_a_file_alone_finds_its_certificate(client, issued):
    upload = io.BytesIO(_pdf_bytes(issued))
    upload.name = "x.pdf"
    response = client.post("/v/", {"file": upload})
    assert response.status_code == 200 and issued.number in response.content.decode()
    other = io.BytesIO(b"%PDF-1.4 not ours")
    other.name = "y.pdf"
    assert client.post("/v/", {"file": other}).status_code == 404


def test_verification_is_rate_limited_per_address(client, issued, settings):
    settings.CERTIFICATES_VERIFY_RATE_PER_MINUTE = 3
    codes = [client.get(f"/v/{issued.code}/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get("/v/", {"q": "whatever"}).status_code == 429


def test_a_cadre_downloads_their_own_certificate(client, cadre_user, issued):
    client.force_login(cadre_user)
    response = client.get(reverse("certificates:download", args=[issued.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _pdf_bytes(issued)
    assert 'filename="nguyen-thi-hoa_' in response["Content-Disposition"]


def test_a_cadre_cannot_download_another_cadres_certificate(client, other_cadre_user, issued):
    client.force_login(other_cadre_user)
    assert client.get(reverse("certificates:download", args=[issued.pk])).status_code == 404
    assert client.get(reverse("certificates:download", args=[999999])).status_code == 404


def test_anonymous_download_goes_to_login(client, issued):
    response = client.get(reverse("certificates:download", args=[issued.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/")


def test_hr_officer_downloads_certificates_of_their_subtree(client, hr_la_bang, issued):
    client.force_login(hr_la_bang)
    assert client.get(reverse("certificates:download", args=[issued.pk])).status_code == 200


def test_hr_officer_of_another_commune_gets_404(client, hr_dai_phuc, issued):
    client.force_login(hr_dai_phuc)
    assert client.get(reverse("certificates:download", args=[issued.pk])).status_code == 404


def test_my_certificates_lists_mine_and_links_from_the_menu(
    client, cadre_user, other_cadre_user, course, complete, issued
):
    complete(other_cadre_user.cadre, course)
    client.force_login(cadre_user)
    html = client.get(reverse("certificates:mine")).content.decode()
    assert issued.number in html
    assert Certificate.objects.get(cadre=other_cadre_user.cadre).number not in html
    assert "Chứng nhận của tôi" in client.get("/").content.decode()


def test_hr_officer_bulk_zip_has_ascii_names_and_every_pdf(
    client, hr_la_bang, tree, course, complete, issued, django_capture_on_commit_callbacks
):
    second = make_cadre(tree["lau_sau"], family_name="Dương Văn", given_name="Bình Minh")
    complete(second, course)
    outsider = make_cadre(tree["dai_phuc"])
    complete(outsider, course)
    client.force_login(hr_la_bang)
    page = client.get(reverse("certificates:unit")).content.decode()
    assert "Bình Minh" in page and outsider.full_name not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:unit"), {"unit": tree["la_bang"].pk})
    export = CertificateExport.objects.get()
    assert response["Location"] == reverse("certificates:export", args=[export.pk])
    assert export.status == "done" and export.done == 2
    status_page = client.get(response["Location"]).content.decode()
    assert "Tải tệp ZIP" in status_page
    zipped = client.get(reverse("certificates:export_file", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    names = sorted(archive.namelist())
    assert all(name.isascii() for name in names)
    assert names[0].startswith("duong-van-binh-minh_") and names[1].startswith("nguyen-thi-hoa_")
    assert archive.read(names[1]) == _pdf_bytes(issued)


def test_an_export_message_queued_under_the_name_before_the_rename_still_builds_the_zip(
    hr_la_bang, tree, issued
):
    from certificates.exports import certificate_export_create
    from config.celery_app import app

    # Outside django_capture_on_commit_callbacks the enqueue never runs: the
    # export waits as a message queued under the old name would have left it.
    export = certificate_export_create(unit=tree["la_bang"], by=hr_la_bang)
    assert export.status == CertificateExport.Status.QUEUED
    app.tasks["certificates.tasks.certificate_export_task"].apply(args=[export.pk])
    export.refresh_from_db()
    assert export.status == CertificateExport.Status.DONE and export.done == 1


def test_hr_officer_cannot_export_or_see_another_unit(
    client, hr_dai_phuc, hr_la_bang, tree, issued, django_capture_on_commit_callbacks
):
    client.force_login(hr_dai_phuc)
    response = client.post(reverse("certificates:unit"), {"unit": tree["la_bang"].pk})
    assert response.status_code == 404
    page = client.get(reverse("certificates:unit"), {"unit": tree["la_bang"].pk})
    assert "Nguyễn Thị Hoa" not in page.content.decode()
    client.force_login(hr_la_bang)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:unit"), {"unit": tree["la_bang"].pk})
    export = CertificateExport.objects.get()
    client.force_login(hr_dai_phuc)
    assert client.get(reverse("certificates:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("certificates:export_file", args=[export.pk])).status_code == 404


def test_a_cadre_cannot_open_the_unit_page(client, cadre_user):
    client.force_login(cadre_user)
    assert client.get(reverse("certificates:unit")).status_code == 404


def test_the_qr_code_of_an_issued_certificate_leads_to_a_page_saying_valid(
    client, cadre_user, issued, tmp_path
):
    import subprocess
    from urllib.parse import urlsplit

    import zxingcpp
    from PIL import Image

    client.force_login(cadre_user)
    download = client.get(reverse("certificates:download", args=[issued.pk]))
    (tmp_path / "mine.pdf").write_bytes(b"".join(download.streaming_content))
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "110", str(tmp_path / "mine.pdf"), str(tmp_path / "p")],  # noqa: S607
        check=True,
    )
    [result] = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("p*.png"))))
    url = urlsplit(result.text)
    assert f"{url.scheme}://{url.netloc}" == "https://hocso.example.vn"
    client.logout()
    page = client.get(url.path)
    assert page.status_code == 200
    assert "Giấy chứng nhận này hợp lệ." in page.content.decode()
