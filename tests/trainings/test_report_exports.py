"""Session reports as PDF (per session, per unit and period) and the period XLSX:
Vietnamese text extractable exactly, scoped like the pages they sit beside."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import make_cadre
from trainings.models import Invitation
from trainings.services import attendance_set, invitation_decline, session_sync_invitations

from .conftest import make_session

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _lines(response) -> list[str]:
    return [line.strip() for line in _text(response).splitlines()]


@pytest.fixture
def attended(tree, session, cadre_user, hr_la_bang):
    """La Bằng's session: Hoa present, Thắng late, Lâm excused, Tùng never recorded."""
    thang = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    lam = make_cadre(tree["la_bang"], family_name="Hoàng Thị", given_name="Lâm")
    tung = make_cadre(tree["la_bang"], family_name="Dương Văn", given_name="Tùng")
    session_sync_invitations(session=session)
    attendance_set(session=session, cadre=cadre_user.cadre, status="co_mat", by=hr_la_bang)
    attendance_set(session=session, cadre=thang, status="den_muon", by=hr_la_bang)
    invitation_decline(
        invitation=Invitation.objects.get(session=session, cadre=lam), reason="Ốm, có giấy nghỉ"
    )
    return {"thang": thang, "lam": lam, "tung": tung}


def _query(unit, day):
    text = day.strftime("%d/%m/%Y")
    return {"unit": unit.pk, "start": text, "end": text}


def test_session_report_pdf_counts_by_unit_and_lists_everyone_for_the_file(
    client, hr_la_bang, session, attended
):
    client.force_login(hr_la_bang)
    response = client.get(reverse("trainings:report_pdf", args=[session.pk]))
    text = _text(response)
    assert "BÁO CÁO KẾT QUẢ ĐIỂM DANH BUỔI TẬP HUẤN" in text
    assert (
        "Được mời: 4 · có mặt: 1 · đến muộn: 1 · vắng có lý do: 1 · vắng: 1 · "
        "không có giấy mời: 0 · tỷ lệ tham dự: 50,0 %"
    ) in " ".join(_lines(response))
    for name in ("Nguyễn Thị Hoa", "Ma Văn Thắng", "Hoàng Thị Lâm", "Dương Văn Tùng"):
        assert name in text
    assert "Ốm, có giấy nghỉ" in text
    assert "Chưa ghi nhận" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ TỔ CHỨC" in text
    assert "Trang 1/1" in text


def test_session_report_pdf_of_another_communes_session_is_404(client, hr_dai_phuc, session):
    client.force_login(hr_dai_phuc)
    assert client.get(reverse("trainings:report_pdf", args=[session.pk])).status_code == 404


def test_cadre_cannot_download_the_session_report(client, cadre_user, session):
    client.force_login(cadre_user)
    assert client.get(reverse("trainings:report_pdf", args=[session.pk])).status_code == 404


def test_session_report_of_a_long_list_numbers_its_pages_and_repeats_the_title(
    client, hr_la_bang, tree, course
):
    for index in range(60):
        make_cadre(tree["la_bang"], family_name="Nguyễn Văn", given_name=f"Cán bộ {index}")
    session = make_session(tree["la_bang"], course=course, title="Tập huấn chuyển đổi số")
    client.force_login(hr_la_bang)
    response = client.get(reverse("trainings:report_pdf", args=[session.pk]))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) >= 2
    assert f"Trang 2/{len(pages)}" in pages[1]
    assert "Tập huấn chuyển đổi số ·" in pages[1]


def test_period_report_pdf_shows_sessions_rate_and_cadres_never_present(
    client, hr_la_bang, tree, session, attended
):
    client.force_login(hr_la_bang)
    day = timezone.localtime(session.starts_at).date()
    response = client.get(reverse("trainings:period_report_pdf"), _query(tree["la_bang"], day))
    text = " ".join(_lines(response))
    assert "BÁO CÁO TÌNH HÌNH TẬP HUẤN" in text
    assert "Số buổi đã tổ chức: 1 · lượt mời: 4 · lượt tham dự: 2 · tỷ lệ tham dự: 50,0 %" in text
    never = text.split("Được mời nhưng chưa lần nào có mặt")[1]
    assert "Hoàng Thị Lâm" in never and "Dương Văn Tùng" in never
    assert "Nguyễn Thị Hoa" not in never


def test_period_report_pdf_for_a_unit_outside_scope_is_404(client, hr_la_bang, tree, session):
    client.force_login(hr_la_bang)
    day = timezone.localtime(session.starts_at).date()
    response = client.get(reverse("trainings:period_report_pdf"), _query(tree["dai_phuc"], day))
    assert response.status_code == 404


def test_period_report_pdf_with_bad_dates_is_404(client, hr_la_bang, tree):
    client.force_login(hr_la_bang)
    response = client.get(
        reverse("trainings:period_report_pdf"),
        {"unit": tree["la_bang"].pk, "start": "31/02/2026", "end": "x"},
    )
    assert response.status_code == 404


def test_period_xlsx_lists_sessions_and_cadres_never_present(
    client, hr_la_bang, tree, session, attended
):
    client.force_login(hr_la_bang)
    day = timezone.localtime(session.starts_at).date()
    response = client.get(reverse("trainings:period_report_xlsx"), _query(tree["la_bang"], day))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sessions = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert sessions[4][0] == session.title
    assert sessions[4][1] == dt.datetime.combine(day, dt.time())
    assert sessions[4][3:6] == [4, 2, 0.5]
    never = {row[0].value for row in book.worksheets[1].iter_rows(min_row=2)}
    assert never == {"Hoàng Thị Lâm", "Dương Văn Tùng"}


def test_period_xlsx_never_hands_out_a_live_formula(client, hr_la_bang, tree, course):
    session = make_session(
        tree["la_bang"], course=course, title='=HYPERLINK("http://evil.example","Bấm")'
    )
    client.force_login(hr_la_bang)
    day = timezone.localtime(session.starts_at).date()
    response = client.get(reverse("trainings:period_report_xlsx"), _query(tree["la_bang"], day))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cell = book.worksheets[0].cell(5, 1)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_period_xlsx_for_a_cadre_is_404(client, cadre_user, tree, session):
    client.force_login(cadre_user)
    day = timezone.localtime(session.starts_at).date()
    response = client.get(reverse("trainings:period_report_xlsx"), _query(tree["la_bang"], day))
    assert response.status_code == 404


def test_manage_and_period_pages_link_to_the_pdf_exports(client, hr_la_bang, tree, session):
    client.force_login(hr_la_bang)
    manage = client.get(reverse("trainings:manage", args=[session.pk])).content.decode()
    assert reverse("trainings:report_pdf", args=[session.pk]) in manage
    day = timezone.localtime(session.starts_at).date()
    page = client.get(reverse("trainings:period_report"), _query(tree["la_bang"], day))
    assert reverse("trainings:period_report_pdf") + "?" in page.content.decode()


def test_session_xlsx_never_hands_out_a_live_formula(client, hr_la_bang, cadre_user, session):
    invitation_decline(
        invitation=Invitation.objects.get(session=session, cadre=cadre_user.cadre),
        reason='=HYPERLINK("http://evil.example","Bấm")',
    )
    client.force_login(hr_la_bang)
    response = client.get(reverse("trainings:export", args=[session.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    notes = [row[8] for row in book.worksheets[0].iter_rows(min_row=5) if row[8].value]
    assert [(c.data_type, c.value[:2]) for c in notes] == [("s", "'=")]
