"""No personal file is ever public: certificates, their ZIP exports, report
exports and uploaded rosters live outside MEDIA_ROOT under random names, and only
views that check the user hand them out (a file locally, X-Accel-Redirect behind
nginx, a presigned URL on S3)."""

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from cadres.models import RosterImport
from cadres.private_files import PrivateFileSystemStorage, private_file_response
from cadres.roster.importing.services import roster_import_start
from certificates.models import Certificate, CertificateExport
from reports.export_jobs import report_export_create
from tests.cadres.roster_files import messy_xlsx
from tests.reports.builders import programme_make

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.certificates.media_urls")]


@pytest.fixture
def files(
    client, cadre_user, hr_la_bang, tree, course, complete, django_capture_on_commit_callbacks
):
    """One file of every private kind, made the way the platform makes them."""
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    client.force_login(hr_la_bang)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:unit"), {"unit": tree["la_bang"].pk})
    client.logout()
    export = CertificateExport.objects.get()
    programme = programme_make(unit=tree["province"], required=[course])
    with django_capture_on_commit_callbacks(execute=True):
        report = report_export_create(
            by=hr_la_bang,
            unit=tree["la_bang"],
            programme=programme,
            target=None,
            day=dt.date(2025, 12, 31),
            fmt="xlsx",
        )
    report.refresh_from_db()
    roster = roster_import_start(
        data=messy_xlsx(), file_name="ds.xlsx", unit=tree["la_bang"], by=hr_la_bang
    )
    return {
        "certificate": (
            certificate.pdf,
            [
                reverse("certificates:download", args=[certificate.pk]),
                reverse("certificates_admin_pdf", args=[certificate.pk]),
            ],
        ),
        "export": (export.file, [reverse("certificates:export_file", args=[export.pk])]),
        "report": (report.file, [reverse("reports:export_file", args=[report.pk])]),
        "roster": (roster.file, []),  # never handed out: only the import job reads it
    }


def test_every_private_file_is_outside_media_root_under_a_random_name(files, tree):
    for field_file, _urls in files.values():
        assert isinstance(field_file.storage, PrivateFileSystemStorage)
        path = settings.PRIVATE_MEDIA_ROOT / field_file.name
        assert path.is_file()
        assert not (settings.MEDIA_ROOT / field_file.name).exists()
        assert not path.resolve().is_relative_to(settings.MEDIA_ROOT.resolve())
        stem = field_file.name.rsplit("/", 1)[-1].split(".")[0]
        assert len(stem) >= 40  # 32 random bytes
        assert "la-bang" not in field_file.name and "20" not in field_file.name.split("/")[0]
    certificate = Certificate.objects.get()
    assert certificate.code not in certificate.pdf.name


def test_no_private_file_has_a_public_url(files, client, hr_dai_phuc, hr_la_bang):
    for field_file, _urls in files.values():
        with pytest.raises(ValueError, match="no URL"):
            _ = field_file.url
        for user in (None, hr_dai_phuc, hr_la_bang):
            if user:
                client.force_login(user)
            assert client.get(f"/media/{field_file.name}").status_code == 404


def test_public_media_is_still_served_at_media(client, db):
    name = default_storage.save("lesson-images/so-do.txt", ContentFile(b"public"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"public"


def test_anonymous_and_other_units_get_404_for_every_private_download(
    files, client, hr_dai_phuc, other_cadre_user
):
    urls = [url for _file, found in files.values() for url in found]
    assert len(urls) == 4
    for url in urls:
        client.logout()
        response = client.get(url)
        assert response.status_code in (302, 404) and "Content-Disposition" not in response
        if response.status_code == 302:
            assert "/tai-khoan/login/" in response["Location"]
        for outsider in (hr_dai_phuc, other_cadre_user):
            client.force_login(outsider)
            response = client.get(url)
            assert "Content-Disposition" not in response
            # The admin's own PDF link sends non-administrators away from the admin.
            expected = (302, 404) if url.startswith("/quan-tri/") else (404,)
            assert response.status_code in expected


def test_the_owner_their_hr_officer_and_an_administrator_download_the_file(
    files, client, cadre_user, hr_la_bang, administrator
):
    pdf, (pdf_url, admin_url) = files["certificate"]
    with pdf.open("rb") as handle:
        expected = handle.read()
    for user in (cadre_user, hr_la_bang):
        client.force_login(user)
        response = client.get(pdf_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == expected
        assert response["Cache-Control"] == "private, no-store"
    client.force_login(administrator)
    response = client.get(admin_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == expected
    export, (export_url,) = files["export"]
    client.force_login(hr_la_bang)
    response = client.get(export_url)
    assert response.status_code == 200
    assert 'filename="chung-nhan_uy-ban-mttq-xa-la-bang_' in response["Content-Disposition"]


def test_behind_nginx_the_view_answers_with_an_internal_redirect(
    files, client, cadre_user, settings
):
    settings.PRIVATE_MEDIA_SERVE = "nginx"
    pdf, (url, _admin_url) = files["certificate"]
    client.force_login(cadre_user)
    response = client.get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{pdf.name}"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    client.logout()
    assert "X-Accel-Redirect" not in client.get(url)


def test_on_s3_the_view_redirects_to_a_short_presigned_url(settings):
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name="hocso-private",
        location="private",
        default_acl="private",
        querystring_auth=True,
        access_key="AKIAEXAMPLE",
        secret_key="not-a-secret",  # noqa: S106
        region_name="ap-southeast-1",
        endpoint_url="https://s3.example.vn",
    )
    response = private_file_response(
        storage, "certificates/abc.pdf", filename="a.pdf", content_type="application/pdf"
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://s3.example.vn/hocso-private/private/certificates/abc.pdf?")
    query = parse_qs(urlsplit(location).query)
    assert query["Signature"] and query["response-content-type"] == ["application/pdf"]
    expires_in = int(query["Expires"][0]) - time.time()
    assert 0 < expires_in <= settings.PRIVATE_MEDIA_URL_SECONDS <= 300


def test_files_stored_before_are_moved_to_private_storage_by_the_command(files, client, cadre_user):
    certificate = Certificate.objects.get()
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    # As the platform stored it before: public, named after the verification code.
    old_name = f"certificates/2026/{certificate.code}.pdf"
    old_name = default_storage.save(old_name, ContentFile(content))
    certificate.pdf.storage.delete(certificate.pdf.name)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=old_name)
    roster = RosterImport.objects.get()
    call_command("private_files_move", verbosity=0)
    certificate.refresh_from_db()
    assert not default_storage.exists(old_name)
    assert certificate.pdf.name != old_name and certificate.code not in certificate.pdf.name
    assert (settings.PRIVATE_MEDIA_ROOT / certificate.pdf.name).read_bytes() == content
    roster_name = RosterImport.objects.get().file.name
    assert roster_name == roster.file.name  # already private: left alone
    call_command("private_files_move", verbosity=0)  # a second run changes nothing
    certificate.refresh_from_db()
    assert (settings.PRIVATE_MEDIA_ROOT / certificate.pdf.name).read_bytes() == content
    client.force_login(cadre_user)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert b"".join(response.streaming_content) == content


def test_a_private_root_inside_media_root_fails_the_system_check(settings):
    from cadres.private_files import private_media_check

    assert private_media_check() == []
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT / "private"
    assert [error.id for error in private_media_check()] == ["cadres.E002"]
    settings.PRIVATE_MEDIA_SERVE = "apache"
    assert "cadres.E001" in [error.id for error in private_media_check()]
