"""A unit's activation codes are issued in the background: the officer who
asked watches the progress and downloads the printable list once; nobody
else sees it, the codes are stored nowhere in plain text, and the list is
gone after its download or a day."""

import datetime as dt
import io
import re
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from cadres.errors import ApplicationError
from cadres.models import ActivationCodeBatch, AuditEvent, User
from cadres.roster.activation import activation_batch_start, activation_batches_sweep
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db
SITE = "https://hocso.mttq-thainguyen.vn"
CODE = re.compile(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _issue(client, unit, capture, *, execute=True):
    with capture(execute=execute):
        response = client.post(reverse("cadres:activation_codes"), {"unit": unit.pk})
    return response


def _download(client, batch):
    return client.post(reverse("cadres:activation_batch_download", args=[batch.pk]))


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _codes(pdf: bytes) -> list[str]:
    return CODE.findall(_pdf_text(pdf))


def test_requester_follows_the_progress_and_downloads_the_list_once(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    hoa = make_cadre(coded_tree["la_bang"], cadre_code="LB1", given_name="Hoa")
    mai = make_cadre(coded_tree["la_bang"], cadre_code="LB2", given_name="Mai")
    client.force_login(hr_la_bang)
    response = _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    batch = ActivationCodeBatch.objects.get()
    assert response.url == reverse("cadres:activation_batch", args=[batch.pk])
    assert (batch.status, batch.done, batch.total, batch.issued) == ("done", 2, 2, 2)
    page = client.get(response.url).content.decode()
    assert "Tải danh sách về để in (PDF)" in page and 'http-equiv="refresh"' not in page

    download = _download(client, batch)
    assert download["Content-Type"] == "application/pdf"
    assert "private" in download["Cache-Control"]
    pdf = download.content
    text = _pdf_text(pdf)
    assert hoa.full_name in text and mai.full_name in text and "lb1" in text
    codes = _codes(pdf)
    assert len(codes) == 2
    for cadre, code in zip([hoa, mai], codes, strict=True):
        cadre.refresh_from_db()
        assert check_password(code.replace("-", ""), cadre.user.activation_code_hash)

    again = _download(client, batch)
    assert again.status_code == 302 and again["Content-Type"] != "application/pdf"
    batch.refresh_from_db()
    assert not batch.file and batch.downloaded_at is not None
    assert "đã được tải về lúc" in client.get(response.url).content.decode()


def test_the_stored_list_is_deleted_as_it_is_downloaded(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    batch = ActivationCodeBatch.objects.get()
    storage, name = batch.file.storage, batch.file.name
    assert storage.exists(name)
    _download(client, batch)
    assert not storage.exists(name)


def test_another_officer_cannot_see_or_download_the_list(
    client, coded_tree, hr_la_bang, hr_province, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    batch = ActivationCodeBatch.objects.get()
    # The provincial officer manages La Bằng too, but the list is not theirs.
    client.force_login(hr_province)
    assert client.get(reverse("cadres:activation_batch", args=[batch.pk])).status_code == 404
    assert _download(client, batch).status_code == 404
    batch.refresh_from_db()
    assert batch.file and batch.downloaded_at is None


def test_officer_outside_the_unit_cannot_start_a_list(
    client, coded_tree, hr_dai_phuc, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_dai_phuc)
    response = _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    assert response.status_code == 200  # the form again, the unit not among its choices
    with pytest.raises(ApplicationError):
        activation_batch_start(unit=coded_tree["la_bang"], by=hr_dai_phuc)
    assert not ActivationCodeBatch.objects.exists()
    assert not User.objects.filter(username="lb1").exists()


def test_double_post_enqueues_one_job(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(reverse("cadres:activation_codes"), {"unit": coded_tree["la_bang"].pk})
        second = client.post(reverse("cadres:activation_codes"), {"unit": coded_tree["la_bang"].pk})
    assert first.url == second.url
    assert ActivationCodeBatch.objects.count() == 1
    assert len([job for job in callbacks if "activation_batch_task" in repr(job)]) == 1


def test_another_officer_cannot_start_a_second_list_for_a_unit_in_progress(
    client, coded_tree, hr_la_bang, hr_province, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks, execute=False)
    client.force_login(hr_province)
    response = _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "đang được cấp" in response.content.decode()
    assert ActivationCodeBatch.objects.count() == 1


def test_a_new_list_may_start_once_the_last_one_is_done(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    assert list(ActivationCodeBatch.objects.values_list("status", flat=True)) == ["done", "done"]


def test_list_keeps_the_rules_of_issuing_codes(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    """Active cadres only, never one who signed in; issuing again replaces the
    earlier codes; every code is audited as the officer's."""
    stays = make_cadre(coded_tree["la_bang"], cadre_code="LB1", given_name="Hoa")
    left = make_cadre(coded_tree["la_bang"], cadre_code="LB2", given_name="Lan", status="left")
    signed_in = User.objects.create(username="lb3", last_login=timezone.now())
    signed_in.set_password("da-dang-nhap-roi")
    signed_in.save()
    make_cadre(coded_tree["la_bang"], cadre_code="LB3", given_name="Cúc", user=signed_in)
    make_cadre(coded_tree["lau_sau"], cadre_code="LS1", given_name="Xóm")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    first = _download(client, ActivationCodeBatch.objects.get()).content
    text = _pdf_text(first)
    assert stays.full_name in text
    assert left.full_name not in text and "Cúc" not in text and "Xóm" not in text
    [old_code] = _codes(first)

    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    second = _download(client, ActivationCodeBatch.objects.order_by("-pk").first()).content
    [new_code] = _codes(second)
    stays.refresh_from_db()
    assert check_password(new_code.replace("-", ""), stays.user.activation_code_hash)
    assert not check_password(old_code.replace("-", ""), stays.user.activation_code_hash)
    events = AuditEvent.objects.filter(action="account.activation_code")
    assert events.count() == 2 and set(events.values_list("actor", flat=True)) == {hr_la_bang.pk}


def test_plain_codes_are_stored_nowhere_in_the_database(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    make_cadre(coded_tree["la_bang"], cadre_code="LB2")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    codes = _codes(_download(client, ActivationCodeBatch.objects.get()).content)
    assert len(codes) == 2
    dump = io.StringIO()
    call_command("dumpdata", "cadres", stdout=dump)
    for code in codes:
        assert code not in dump.getvalue() and code.replace("-", "") not in dump.getvalue()


def test_slips_carry_one_qr_code_per_cadre_with_the_username(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks, tmp_path
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1", given_name="Hoa")
    make_cadre(coded_tree["la_bang"], cadre_code="LB2", given_name="Mai")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    pdf = _download(client, ActivationCodeBatch.objects.get()).content
    (tmp_path / "codes.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "110", str(tmp_path / "codes.pdf"), str(tmp_path / "p")],  # noqa: S607
        check=True,
    )
    urls = sorted(
        found.text
        for image in sorted(tmp_path.glob("p*.png"))
        for found in zxingcpp.read_barcodes(Image.open(image))
    )
    assert [parse_qs(urlsplit(url).query) for url in urls] == [{"u": ["lb1"]}, {"u": ["lb2"]}]
    assert all(url.startswith(f"{SITE}/tai-khoan/kich-hoat/?") for url in urls)
    assert f"{SITE}/tai-khoan/kich-hoat/" in _pdf_text(pdf)


def test_a_unit_where_everyone_signed_in_gives_no_list(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    client.force_login(hr_la_bang)
    response = _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    batch = ActivationCodeBatch.objects.get()
    assert batch.status == "done" and not batch.file
    page = client.get(response.url).content.decode()
    assert "Mọi cán bộ của đơn vị này đều đã đăng nhập." in page
    assert "Tải danh sách" not in page


def test_progress_page_of_a_running_list_refreshes_and_offers_no_download(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    response = _issue(
        client, coded_tree["la_bang"], django_capture_on_commit_callbacks, execute=False
    )
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' in page and "Tải danh sách" not in page


def test_sweep_deletes_a_list_nobody_downloaded_within_a_day(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    batch = ActivationCodeBatch.objects.get()
    storage, name = batch.file.storage, batch.file.name
    later = batch.finished_at + dt.timedelta(hours=23)
    assert activation_batches_sweep(now=later)["expired"] == 0
    assert storage.exists(name)
    assert activation_batches_sweep(now=later + dt.timedelta(hours=2))["expired"] == 1
    assert not storage.exists(name)
    assert _download(client, batch).status_code == 302
    page = client.get(reverse("cadres:activation_batch", args=[batch.pk])).content.decode()
    assert "không được tải về kịp thời hạn" in page


def test_sweep_gives_up_on_a_stalled_list_and_frees_the_unit(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks, execute=False)
    batch = ActivationCodeBatch.objects.get()
    assert activation_batches_sweep(now=timezone.now())["stalled"] == 0
    assert activation_batches_sweep(now=timezone.now() + dt.timedelta(hours=1))["stalled"] == 1
    batch.refresh_from_db()
    assert batch.status == "failed"
    _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    assert ActivationCodeBatch.objects.filter(status="done").count() == 1


def test_a_username_already_taken_fails_the_list_with_the_reason(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    User.objects.create(username="lb1")
    make_cadre(coded_tree["la_bang"], cadre_code="LB1")
    client.force_login(hr_la_bang)
    response = _issue(client, coded_tree["la_bang"], django_capture_on_commit_callbacks)
    batch = ActivationCodeBatch.objects.get()
    assert batch.status == "failed" and not batch.file
    page = client.get(response.url).content.decode()
    assert "lb1" in page and "Tải danh sách" not in page
