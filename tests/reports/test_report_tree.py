"""The report page shows one level of the tree at a time: what it fetches,
what opens on demand, and how wide levels and long lists are paged."""

import datetime as dt

import pytest
from django.urls import reverse

from cadres.caching import data_changed
from cadres.models import OrgUnit
from tests.factories import make_cadre, make_unit

from .conftest import complete, login, q

pytestmark = pytest.mark.django_db


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
