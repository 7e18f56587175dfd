"""The pages: scoping matrix (roles × reports × units), bad input, snapshots."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres.caching import data_changed
from cadres.models import OrgUnit
from reports.models import Snapshot
from tests.factories import make_cadre, make_unit

from .conftest import complete, fetch_export

pytestmark = pytest.mark.django_db

AS_OF = "31/12/2025"


@pytest.fixture
def people(tree, courses, programme, target):
    la_bang = make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa")
    lau_sau = make_cadre(tree["lau_sau"], family_name="Ma Văn", given_name="Thắng")
    dai_phuc = make_cadre(tree["dai_phuc"], family_name="Dương Văn", given_name="Bình Minh")
    for cadre in (la_bang, dai_phuc):
        complete(cadre, courses[0], dt.date(2025, 8, 1))
        complete(cadre, courses[1], dt.date(2025, 8, 1))
    return {"la_bang": la_bang, "lau_sau": lau_sau, "dai_phuc": dai_phuc}


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def q(programme, **extra):
    return {"programme": programme.pk, "as_of": AS_OF, **extra}


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


def test_province_tree_shows_units_below_the_first_level_only_once_opened(
    client, hr_province, people, programme, tree
):
    login(client, hr_province)
    body = client.get(reverse("reports:report"), q(programme)).content.decode()
    la_bang = tree["la_bang"].pk
    assert f'id="u-{la_bang}"' in body
    assert "Ban Công tác Mặt trận xóm Lau Sau" not in body
    assert 'aria-expanded="false"' in body and f"open={la_bang}#u-{la_bang}" in body

    opened = client.get(reverse("reports:report"), q(programme, open=la_bang)).content.decode()
    assert "Ban Công tác Mặt trận xóm Lau Sau" in opened
    assert 'aria-expanded="true"' in opened
    # The link on an open branch closes it: it no longer carries that unit.
    row = opened.split(f'id="u-{la_bang}"', 1)[1].split("</tr>", 1)[0]
    assert f"open={la_bang}" not in row.split('class="rp-toggle" href="', 1)[1].split('"', 1)[0]


def test_opened_branch_keeps_the_figures_of_the_closed_tree(
    client, hr_province, people, programme, tree
):
    login(client, hr_province)
    closed = client.get(reverse("reports:report"), q(programme)).content.decode()
    opened = client.get(
        reverse("reports:report"), q(programme, open=tree["la_bang"].pk)
    ).content.decode()

    def row(body, unit):
        return body.split(f'id="u-{unit.pk}"', 1)[1].split("</tr>", 1)[0].split("</th>", 1)[1]

    assert row(closed, tree["la_bang"]) == row(opened, tree["la_bang"])
    assert row(closed, tree["province"]) == row(opened, tree["province"])


def test_province_of_ninety_communes_first_page_stays_under_60_kb(
    client, hr_province, people, programme, tree
):
    """~90 communes of three residential committees each, under a group node
    as in the demo: the first page shows the group, not the 360 units."""
    group = make_unit(
        "Ủy ban MTTQ cấp xã", parent=tree["province"], kind=OrgUnit.Kind.COMMUNE_GROUP
    )
    for i in range(90):
        commune = make_unit(f"Ủy ban MTTQ xã Thử Nghiệm Số {i}", parent=group)
        for j in range(3):
            make_unit(
                f"Ban Công tác Mặt trận tổ dân phố số {j} xã {i}",
                parent=commune,
                kind=OrgUnit.Kind.RESIDENTIAL_COMMITTEE,
            )
    login(client, hr_province)
    first = client.get(reverse("reports:report"), q(programme)).content
    assert len(first) < 60_000
    assert "Ban Công tác Mặt trận tổ dân phố số 0 xã 0" not in first.decode()
    communes = client.get(reverse("reports:report"), q(programme, open=group.pk)).content
    assert "Ủy ban MTTQ xã Thử Nghiệm Số 89" in communes.decode()
    assert "Ban Công tác Mặt trận tổ dân phố số 0 xã 0" not in communes.decode()


@pytest.mark.parametrize("value", ["abc", "1.234", "-5", "9" * 40, "", "٣"])
def test_open_with_something_other_than_an_id_is_ignored(
    client, hr_province, people, programme, value
):
    login(client, hr_province)
    response = client.get(reverse("reports:report"), q(programme, open=value))
    assert response.status_code == 200
    assert "Ban Công tác Mặt trận xóm Lau Sau" not in response.content.decode()


def test_opening_a_unit_outside_the_officers_subtree_shows_nothing_of_it(
    client, hr_la_bang, people, programme, tree
):
    login(client, hr_la_bang)
    body = client.get(
        reverse("reports:report"), q(programme, open=tree["dai_phuc"].pk)
    ).content.decode()
    assert "Đại Phúc" not in body


@pytest.mark.parametrize("officer", ["hr_province", "hr_la_bang"])
def test_report_page_queries_do_not_grow_with_units_or_cadres(
    request, client, django_assert_max_num_queries, tree, courses, people, programme, officer
):
    login(client, request.getfixturevalue(officer))

    def queries() -> int:
        data_changed()  # drawn afresh each time, not read from the cache
        with django_assert_max_num_queries(10) as captured:
            assert client.get(reverse("reports:report"), q(programme)).status_code == 200
        return len(captured)

    # The first request also creates the security settings row and fills the caches.
    client.get(reverse("reports:report"), q(programme))
    before = queries()
    for i in range(3):
        unit = make_unit(f"Ban Công tác Mặt trận thôn {i}", parent=tree["la_bang"])
        for j in range(4):
            cadre = make_cadre(unit, given_name=f"Cán bộ {i}-{j}")
            complete(cadre, courses[0], dt.date(2025, 8, 1))
            complete(cadre, courses[1], dt.date(2025, 8, 1))
    assert queries() == before


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


def test_report_page_reads_only_the_level_shown_not_the_units_below(
    client, hr_province, people, programme, tree, courses
):
    """The page asks the database for the root's children only; a residential
    committee's figures are not even fetched until its commune is opened."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, hr_province)
    client.get(reverse("reports:report"), q(programme))  # settings row, caches
    data_changed()  # the report itself drawn afresh, not read from the cache
    with CaptureQueriesContext(connection) as closed:
        client.get(reverse("reports:report"), q(programme))
    data_changed()
    with CaptureQueriesContext(connection) as opened:
        client.get(reverse("reports:report"), q(programme, open=tree["la_bang"].pk))
    sql = " ".join(query["sql"] for query in closed.captured_queries)
    # The province (depth 1) and its children; theirs only where groups
    # stand right below the province (to look through them).
    assert '"depth" <= 2' in sql
    assert "EXISTS" in sql.upper() and '"depth" = 3' in sql
    assert "SUBSTR" in sql.upper()  # grouped by unit path prefix
    assert f"IN ({tree['la_bang'].pk}" not in sql  # no list of unit ids
    # The opened unit, then its children and their figures.
    assert len(opened.captured_queries) == len(closed.captured_queries) + 3


def test_report_page_lists_the_units_it_did_not_fetch_as_openable(
    client, hr_province, people, programme, tree
):
    login(client, hr_province)
    body = client.get(reverse("reports:report"), q(programme)).content.decode()
    la_bang = body.split(f'id="u-{tree["la_bang"].pk}"', 1)[1].split("</tr>", 1)[0]
    dai_phuc = body.split(f'id="u-{tree["dai_phuc"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'aria-expanded="false"' in la_bang  # Lau Sau lies under it
    assert "aria-expanded" not in dai_phuc  # nothing lies under it


def test_drill_down_pages_through_cadres_a_hundred_at_a_time(
    client, hr_la_bang, people, programme, tree
):
    for i in range(101):
        make_cadre(tree["lau_sau"], family_name="Trần Văn", given_name=f"Thử {i:03}")
    login(client, hr_la_bang)
    url = reverse("reports:unit_cadres", args=[tree["la_bang"].pk])
    first = client.get(url, q(programme)).content.decode()
    second = client.get(url, q(programme, page=2)).content.decode()
    assert "Trang 1/2" in first
    assert first.count("<tr class=") == 100
    assert second.count("<tr class=") == 3  # 103 cadres in La Bằng's subtree
    assert "Trần Văn Thử 100" in second and "Trần Văn Thử 100" not in first


def test_incomplete_list_pages_in_the_database_and_leaves_out_the_trained(
    client, hr_la_bang, people, programme, tree
):
    for i in range(101):
        make_cadre(tree["lau_sau"], family_name="Trần Văn", given_name=f"Thử {i:03}")
    login(client, hr_la_bang)
    url = reverse("reports:unit_incomplete", args=[tree["la_bang"].pk])
    first = client.get(url, q(programme)).content.decode()
    second = client.get(url, q(programme, page=2)).content.decode()
    assert "Nguyễn Thị Hoa" not in first + second  # trained
    assert "Ma Văn Thắng" in first + second
    assert "<td>102</td>" in second and "<td>102</td>" not in first
    assert "102 cán bộ" in first  # the count of the whole list, not of the page
    text = client.get(url, q(programme, format="txt")).content.decode()
    assert text.count("\n10") >= 1 and "Trần Văn Thử 100" in text and "Nguyễn Thị Hoa" not in text


def test_report_shows_by_which_route_cadres_were_trained(
    client, hr_province, people, programme, tree, courses
):
    from courses.models import Completion
    from courses.trained import trained_refresh
    from trainings.models import TrainingCompletion

    completion = Completion.objects.get(
        enrolment__cadre=people["dai_phuc"], enrolment__course=courses[1]
    )
    TrainingCompletion.objects.create(completion=completion, cadre=people["dai_phuc"])
    trained_refresh(cadre_ids=[people["dai_phuc"].pk], course_ids=[courses[1].pk])
    login(client, hr_province)
    body = client.get(reverse("reports:report"), q(programme)).content.decode()
    assert "Hoàn thành qua khóa học: 1 · qua buổi tập huấn: 0 · qua cả hai: 1." in body
    drill = client.get(
        reverse("reports:unit_cadres", args=[tree["dai_phuc"].pk]), q(programme)
    ).content.decode()
    assert "hoàn thành qua cả khóa học và buổi tập huấn" in drill
    la_bang = client.get(
        reverse("reports:unit_cadres", args=[tree["la_bang"].pk]), q(programme)
    ).content.decode()
    assert "buổi tập huấn" not in la_bang


def test_a_level_wider_than_a_hundred_units_is_shown_a_page_at_a_time(
    client, hr_province, people, programme, tree
):
    for i in range(120):
        make_unit(f"Ủy ban MTTQ xã Rộng {i:03}", parent=tree["province"])
    login(client, hr_province)
    first = client.get(reverse("reports:report"), q(programme)).content.decode()
    assert "Đơn vị 1–100 trong số 122" in first
    assert first.count('<th scope="row"') == 101  # the province and 100 of its units
    assert "Rộng 119" not in first
    second = client.get(
        reverse("reports:report"), q(programme, at=f"{tree['province'].pk}-2")
    ).content.decode()
    assert "Rộng 119" in second and "Đơn vị 101–122 trong số 122" in second
    assert "Các đơn vị trước" in second and "Các đơn vị tiếp theo" not in second
    odd = client.get(reverse("reports:report"), q(programme, at="x-1"))
    assert odd.status_code == 200


def test_unit_kind_filter_keeps_the_units_whose_unfetched_children_are_of_that_kind(
    client, hr_province, people, programme, tree
):
    login(client, hr_province)
    body = client.get(
        reverse("reports:report"), q(programme, unit_kind=OrgUnit.Kind.RESIDENTIAL_COMMITTEE)
    ).content.decode()
    assert f'id="u-{tree["la_bang"].pk}"' in body  # Lau Sau lies under it
    assert f'id="u-{tree["dai_phuc"].pk}"' not in body  # no residential committee
    opened = client.get(
        reverse("reports:report"),
        q(programme, unit_kind=OrgUnit.Kind.RESIDENTIAL_COMMITTEE, open=tree["la_bang"].pk),
    ).content.decode()
    assert "Ban Công tác Mặt trận xóm Lau Sau" in opened
