"""The pages: scoping matrix (roles × reports × units), bad input, snapshots."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import Snapshot

from .conftest import AS_OF, complete, fetch_export, login, q

pytestmark = pytest.mark.django_db


ROLES = [
    "anonymous",
    "cadre_user",
    "trainer",
    "hr_la_bang",
    "hr_dai_phuc",
    "hr_province",
    "administrator",
]
# Which roles may read which unit's figures.
MAY_READ = {
    "la_bang": {"hr_la_bang", "hr_province", "administrator"},
    "lau_sau": {"hr_la_bang", "hr_province", "administrator"},
    "dai_phuc": {"hr_dai_phuc", "hr_province", "administrator"},
    "province": {"hr_province", "administrator"},
}


def user_for(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def unit_urls(unit):
    return (
        [
            reverse("reports:unit_cadres", args=[unit.pk]),
            reverse("reports:unit_incomplete", args=[unit.pk]),
            reverse("reports:unit_cadres_xlsx", args=[unit.pk]),
            reverse("reports:dashboard") + f"?unit={unit.pk}&",
        ]
        + [reverse("reports:export_pdf") + f"?unit={unit.pk}&"]
        + [reverse("reports:report") + f"?unit={unit.pk}&"]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit_name", ["la_bang", "lau_sau", "dai_phuc", "province"])
def test_scoping_matrix(request, client, tree, people, programme, role, unit_name):
    user = user_for(request, role)
    login(client, user)
    unit = tree[unit_name]
    allowed = role in MAY_READ[unit_name]
    for url in unit_urls(unit):
        response = (
            client.get(url, q(programme))
            if "?" not in url
            else client.get(url + f"programme={programme.pk}&as_of={AS_OF}")
        )
        if role == "anonymous":
            assert response.status_code == 302, url
        elif allowed:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("role", ROLES)
def test_report_page_allowed_for_hr_and_admin_only(request, client, people, programme, role):
    login(client, user_for(request, role))
    response = client.get(reverse("reports:report"), q(programme))
    expected = {"anonymous": 302, "cadre_user": 404, "trainer": 404}.get(role, 200)
    assert response.status_code == expected


def test_commune_officer_sees_only_their_subtree_on_the_page(client, hr_la_bang, people, programme):
    login(client, hr_la_bang)
    body = client.get(reverse("reports:report"), q(programme)).content.decode()
    assert "Ủy ban MTTQ xã La Bằng" in body
    assert "Ban Công tác Mặt trận xóm Lau Sau" in body
    assert "Đại Phúc" not in body
    assert "Thái Nguyên" not in body.split("<main", 1)[1].split("</main>")[0]


def test_province_officer_sees_every_commune(client, hr_province, people, programme):
    login(client, hr_province)
    body = client.get(reverse("reports:report"), q(programme)).content.decode()
    assert "Ủy ban MTTQ xã La Bằng" in body and "Ủy ban MTTQ xã Đại Phúc" in body


def test_drill_down_lists_only_the_units_cadres_with_course_status(
    client, hr_la_bang, people, programme
):
    login(client, hr_la_bang)
    url = reverse("reports:unit_cadres", args=[hr_la_bang.scope_unit_id])
    body = client.get(url, q(programme)).content.decode()
    assert "Nguyễn Thị Hoa" in body and "Ma Văn Thắng" in body
    assert "Bình Minh" not in body
    assert "✓ 01/08/2025" in body
    assert "Chưa đăng ký" in body


def test_exports_of_a_commune_hold_only_that_commune(client, hr_la_bang, people, programme):
    login(client, hr_la_bang)
    book = load_workbook(io.BytesIO(fetch_export(client, "xlsx", q(programme))))
    cells = [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert any("La Bằng" in c for c in cells)
    assert not any("Đại Phúc" in c or "Bình Minh" in c for c in cells)
    text = fetch_export(client, "csv", q(programme))
    assert text.startswith("\ufeff".encode())
    assert "Đại Phúc" not in text.decode("utf-8-sig")
    pdf = client.get(reverse("reports:export_pdf"), q(programme))
    assert pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ủy ban MTTQ xã La Bằng" in pdf_text
    assert "Đại Phúc" not in pdf_text


def test_exports_match_the_page(client, hr_province, people, programme):
    login(client, hr_province)
    rows = list(
        csv.reader(io.StringIO(fetch_export(client, "csv", q(programme)).decode("utf-8-sig")))
    )
    header, *lines = rows
    assert header[:2] == ["Cấp", "Đơn vị"]
    by_unit = {line[1]: line for line in lines}
    assert by_unit["Ủy ban MTTQ xã La Bằng"][4:7] == ["2", "1", "50.0"]
    assert by_unit["Ủy ban MTTQ tỉnh Thái Nguyên"][4:9] == ["3", "2", "66.7", "100", "1"]
    book = load_workbook(io.BytesIO(fetch_export(client, "xlsx", q(programme))))
    assert book.sheetnames[:4] == ["Thông tin", "Cấp 1", "Cấp 2", "Cấp 3"]
    level1 = list(book["Cấp 1"].iter_rows(values_only=True))
    assert level1[1][4:9] == (3, 2, pytest.approx(0.6667, abs=1e-4), 1, 1)
    url = reverse("reports:unit_cadres_xlsx", args=[hr_province.scope_unit_id])
    book = load_workbook(io.BytesIO(client.get(url, q(programme)).content))
    cadres = list(book["Cán bộ"].iter_rows(values_only=True))
    assert len(cadres) == 4  # header + 3 cadres
    assert cadres[0][:5] == ("Họ và tên", "Đơn vị", "Chức vụ", "Chuyên trách", "Đã hoàn thành")


def test_future_date_is_a_clear_message(client, hr_la_bang, people, programme):
    login(client, hr_la_bang)
    response = client.get(reverse("reports:report"), q(programme, as_of="01/01/2999"))
    assert response.status_code == 200
    assert "Ngày xem không được ở tương lai." in response.content.decode()


def test_malformed_date_is_a_clear_message(client, hr_la_bang, people, programme):
    login(client, hr_la_bang)
    response = client.get(reverse("reports:report"), q(programme, as_of="32/13/2025"))
    assert response.status_code == 200
    assert "ngày hợp lệ" in response.content.decode()


def test_date_before_the_unit_existed_is_a_clear_message(client, tree, hr_la_bang, programme):
    la_bang = tree["la_bang"]
    la_bang.valid_from = dt.date(2025, 7, 1)
    la_bang.save()
    login(client, hr_la_bang)
    response = client.get(reverse("reports:report"), q(programme, as_of="31/12/2024"))
    assert response.status_code == 200
    assert "chỉ có từ ngày 01/07/2025" in response.content.decode()


def test_programme_without_target_shows_figures_and_says_so(
    client, hr_la_bang, people, programme_without_target
):
    login(client, hr_la_bang)
    response = client.get(reverse("reports:report"), q(programme_without_target))
    assert response.status_code == 200
    assert "chưa có chỉ tiêu" in response.content.decode()
    pdf = client.get(reverse("reports:export_pdf"), q(programme_without_target))
    assert pdf.status_code == 200


def test_empty_unit_says_there_is_nobody(client, tree, hr_dai_phuc, programme, target):
    login(client, hr_dai_phuc)
    response = client.get(reverse("reports:report"), q(programme))
    assert response.status_code == 200
    assert "Không có cán bộ nào" in response.content.decode()
    for fmt in ("xlsx", "csv"):
        assert fetch_export(client, fmt, q(programme))
    assert client.get(reverse("reports:export_pdf"), q(programme)).status_code == 200


def test_unknown_programme_and_garbage_unit_are_not_500(client, hr_la_bang, people, programme):
    login(client, hr_la_bang)
    assert client.get(reverse("reports:report"), {"programme": "999999"}).status_code == 200
    assert client.get(reverse("reports:report"), {"programme": "abc"}).status_code == 200
    assert client.get(reverse("reports:report"), {"unit": "abc"}).status_code == 404
    assert client.post(reverse("reports:export", args=["doc"])).status_code == 404
    assert client.post(reverse("reports:export", args=["pdf"])).status_code == 405


def test_freeze_snapshot_keeps_figures_when_data_changes_later(
    client, tree, hr_la_bang, people, programme, courses
):
    login(client, hr_la_bang)
    response = client.post(
        reverse("reports:snapshot_freeze"), {**q(programme), "note": "Chốt số liệu quý IV"}
    )
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert (snapshot.in_scope, snapshot.trained) == (2, 1)
    assert snapshot.frozen_by == hr_la_bang
    assert snapshot.note == "Chốt số liệu quý IV"
    # Later data would change the figures as of that date; the snapshot does not.
    complete(people["lau_sau"], courses[0], dt.date(2025, 8, 1))
    complete(people["lau_sau"], courses[1], dt.date(2025, 8, 1))
    snapshot.refresh_from_db()
    assert (snapshot.in_scope, snapshot.trained) == (2, 1)
    body = client.get(reverse("reports:snapshot", args=[snapshot.pk])).content.decode()
    assert "Chốt số liệu quý IV" in body and "tochuc.labang" in body
    rows = list(snapshot.rows.values_list("unit_name", "in_scope", "trained"))
    assert rows == [
        ("Ủy ban MTTQ xã La Bằng", 2, 1),
        ("Ban Công tác Mặt trận xóm Lau Sau", 1, 0),
    ]


def test_snapshot_list_and_detail_are_scoped(
    client, hr_la_bang, hr_dai_phuc, hr_province, people, programme
):
    login(client, hr_la_bang)
    client.post(reverse("reports:snapshot_freeze"), q(programme))
    snapshot = Snapshot.objects.get()
    login(client, hr_dai_phuc)
    assert "La Bằng" not in client.get(reverse("reports:snapshots")).content.decode()
    assert client.get(reverse("reports:snapshot", args=[snapshot.pk])).status_code == 404
    login(client, hr_province)
    assert "La Bằng" in client.get(reverse("reports:snapshots")).content.decode()
    assert client.get(reverse("reports:snapshot", args=[snapshot.pk])).status_code == 200


def test_cannot_freeze_without_target(client, hr_la_bang, people, programme_without_target):
    login(client, hr_la_bang)
    response = client.post(reverse("reports:snapshot_freeze"), q(programme_without_target))
    assert response.status_code == 302
    assert not Snapshot.objects.exists()


def test_incomplete_list_as_plain_text(client, hr_la_bang, people, programme):
    login(client, hr_la_bang)
    url = reverse("reports:unit_incomplete", args=[hr_la_bang.scope_unit_id])
    body = client.get(url, q(programme)).content.decode()
    assert "Ma Văn Thắng" in body and "Nguyễn Thị Hoa" not in body
    text = client.get(url, q(programme, format="txt")).content.decode()
    assert text.splitlines()[0] == "CHƯA HOÀN THÀNH — Kỹ năng số cơ bản 2025"
    assert "1. Ma Văn Thắng (Phó Chủ tịch)" in text
    assert "Kỹ năng số cơ bản trên điện thoại thông minh; An toàn thông tin" in text
    assert "hạn 31/12/2025" in text


def test_dashboard_for_province_officer(client, hr_province, people, programme):
    login(client, hr_province)
    response = client.get(reverse("reports:dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "Ủy ban MTTQ xã La Bằng" in body


def test_dashboard_denied_to_learner(client, cadre_user):
    login(client, cadre_user)
    assert client.get(reverse("reports:dashboard")).status_code == 404


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:report"])
@pytest.mark.parametrize("typed", ["abc", "²", "1.5"])
def test_unit_typed_as_something_else_than_a_number_is_not_found(
    client, hr_province, people, programme, name, typed
):
    login(client, hr_province)
    assert client.get(reverse(name), {"unit": typed}).status_code == 404


def test_own_unit_given_by_number_is_shown(client, hr_province, people, programme, tree):
    login(client, hr_province)
    response = client.get(reverse("reports:dashboard"), {"unit": tree["la_bang"].pk})
    assert response.status_code == 200
