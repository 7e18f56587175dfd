"""The numbers: roll-up over the tree, as of a date, populations, status and gap."""

import datetime as dt

import pytest

from cadres.models import Membership, OrgUnit
from reports.figures import expected_percent, gap_for, report_build
from reports.models import Status, Target
from tests.factories import make_cadre, make_unit

from .conftest import complete

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2025, 12, 31)


@pytest.fixture
def roster(tree, courses):
    a = make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="An")
    b = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Bình")
    c = make_cadre(tree["lau_sau"], full_time=False, position="Trưởng ban Công tác Mặt trận")
    d = make_cadre(tree["dai_phuc"], family_name="Dương Văn", given_name="Dũng")
    complete(a, courses[0], dt.date(2025, 8, 1))
    complete(a, courses[1], dt.date(2025, 8, 1))
    complete(b, courses[0], dt.date(2025, 8, 1))
    complete(c, courses[0], dt.date(2025, 10, 1), revoked_on=dt.date(2025, 11, 1))
    complete(c, courses[1], dt.date(2025, 10, 1))
    complete(d, courses[0], dt.date(2025, 9, 1))
    complete(d, courses[1], dt.date(2025, 9, 1))
    # A completion of the optional course does not make anyone trained.
    complete(b, courses[2], dt.date(2025, 8, 1))
    return {"a": a, "b": b, "c": c, "d": d}


def by_name(report):
    return {row.name: row for row in report.rows}


def test_each_level_rolls_up_its_children(tree, programme, target, roster):
    report = report_build(root=tree["province"], programme=programme, day=DEADLINE, target=target)
    rows = by_name(report)
    assert (
        rows["Ban Công tác Mặt trận xóm Lau Sau"].in_scope,
        rows["Ban Công tác Mặt trận xóm Lau Sau"].trained,
    ) == (1, 0)
    assert (rows["Ủy ban MTTQ xã La Bằng"].in_scope, rows["Ủy ban MTTQ xã La Bằng"].trained) == (
        3,
        1,
    )
    assert (rows["Ủy ban MTTQ xã Đại Phúc"].in_scope, rows["Ủy ban MTTQ xã Đại Phúc"].trained) == (
        1,
        1,
    )
    assert (report.root.in_scope, report.root.trained) == (4, 2)
    assert [row.name for row in report.rows][0] == "Ủy ban MTTQ tỉnh Thái Nguyên"


def test_gap_is_how_many_more_cadres_reach_the_target(tree, programme, target, roster):
    report = report_build(root=tree["province"], programme=programme, day=DEADLINE, target=target)
    assert by_name(report)["Ủy ban MTTQ xã La Bằng"].gap == 2
    assert report.root.gap == 2
    assert gap_for(90, 10, 8) == 1
    assert gap_for(90, 11, 9) == 1  # 9.9 cadres needed rounds up to 10
    assert gap_for(50, 4, 3) == 0


def test_completion_counts_from_its_day_and_a_revocation_from_its_day(
    tree, programme, target, roster
):
    def la_bang_trained(day):
        report = report_build(root=tree["province"], programme=programme, day=day, target=target)
        return by_name(report)["Ủy ban MTTQ xã La Bằng"].trained

    assert la_bang_trained(dt.date(2025, 7, 31)) == 0
    assert la_bang_trained(dt.date(2025, 8, 1)) == 1
    assert la_bang_trained(dt.date(2025, 10, 15)) == 2  # C before the revocation
    assert la_bang_trained(dt.date(2025, 11, 1)) == 1  # revoked that day


def test_denominator_is_the_roster_not_the_enrolments(tree, programme, target, roster):
    make_cadre(tree["dai_phuc"], family_name="Hoàng Thị", given_name="Đào")  # never enrolled
    report = report_build(root=tree["province"], programme=programme, day=DEADLINE, target=target)
    assert by_name(report)["Ủy ban MTTQ xã Đại Phúc"].in_scope == 2


def test_membership_outside_the_day_is_not_counted(tree, programme, target, roster):
    report = report_build(
        root=tree["province"], programme=programme, day=dt.date(2025, 6, 30), target=target
    )
    assert report.root.in_scope == 0
    assert report.root.status == Status.EMPTY


def test_full_time_filter_and_target_population(tree, programme, target, roster):
    report = report_build(
        root=tree["province"], programme=programme, day=DEADLINE, target=target, full_time_only=True
    )
    assert (report.root.in_scope, report.root.trained) == (3, 2)
    target.full_time_only = True
    target.save()
    report = report_build(root=tree["province"], programme=programme, day=DEADLINE, target=target)
    assert report.root.in_scope == 3


def test_positions_filter_of_the_target(tree, programme, target, roster):
    target.positions = "Trưởng ban Công tác Mặt trận"
    target.save()
    report = report_build(root=tree["province"], programme=programme, day=DEADLINE, target=target)
    assert report.root.in_scope == 1


def test_unit_kind_filter_keeps_those_units_and_the_path_to_them(tree, programme, target, roster):
    report = report_build(
        root=tree["province"],
        programme=programme,
        day=DEADLINE,
        target=target,
        unit_kind=OrgUnit.Kind.RESIDENTIAL_COMMITTEE,
    )
    assert [row.name for row in report.rows] == [
        "Ủy ban MTTQ tỉnh Thái Nguyên",
        "Ủy ban MTTQ xã La Bằng",
        "Ban Công tác Mặt trận xóm Lau Sau",
    ]
    assert report.root.in_scope == 1


def test_status_met_on_track_behind(tree, programme, roster):
    target = Target.objects.create(
        programme=programme,
        unit=tree["province"],
        percentage=50,
        starts_on=dt.date(2025, 7, 1),
        deadline=dt.date(2026, 6, 30),
    )
    report = report_build(
        root=tree["province"], programme=programme, day=dt.date(2025, 10, 15), target=target
    )
    rows = by_name(report)
    # Expected on 15/10/2025: 50 % × 106/364 days ≈ 14.6 %.
    assert expected_percent(target, dt.date(2025, 10, 15)) == pytest.approx(14.56, abs=0.01)
    assert rows["Ủy ban MTTQ xã Đại Phúc"].status == Status.MET  # 1 of 1
    assert rows["Ủy ban MTTQ xã La Bằng"].status == Status.MET  # 2 of 3
    assert rows["Ban Công tác Mặt trận xóm Lau Sau"].status == Status.MET  # 1 of 1
    report = report_build(
        root=tree["province"], programme=programme, day=dt.date(2025, 11, 15), target=target
    )
    rows = by_name(report)
    assert rows["Ban Công tác Mặt trận xóm Lau Sau"].status == Status.BEHIND  # 0 of 1
    late = report_build(
        root=tree["province"], programme=programme, day=dt.date(2026, 7, 1), target=target
    )
    assert by_name(late)["Ủy ban MTTQ xã La Bằng"].status == Status.BEHIND  # 1 of 3, overdue


def test_on_track_when_at_or_above_the_straight_line(tree, programme, courses):
    target = Target.objects.create(
        programme=programme,
        unit=tree["province"],
        percentage=100,
        starts_on=dt.date(2025, 7, 1),
        deadline=dt.date(2026, 7, 1),
    )
    trained = make_cadre(tree["dai_phuc"])
    make_cadre(tree["dai_phuc"])
    make_cadre(tree["dai_phuc"])
    complete(trained, courses[0], dt.date(2025, 7, 2))
    complete(trained, courses[1], dt.date(2025, 7, 2))
    on_track = report_build(
        root=tree["dai_phuc"], programme=programme, day=dt.date(2025, 9, 1), target=target
    )
    assert on_track.root.status == Status.ON_TRACK  # 33 % against 17 % expected
    behind = report_build(
        root=tree["dai_phuc"], programme=programme, day=dt.date(2026, 3, 1), target=target
    )
    assert behind.root.status == Status.BEHIND  # 33 % against 66 % expected


def test_no_target_gives_figures_without_gap_or_status(tree, programme, roster):
    report = report_build(root=tree["province"], programme=programme, day=DEADLINE, target=None)
    assert report.root.trained == 2
    assert report.root.gap is None
    assert report.root.status == Status.NO_TARGET


def test_past_report_shows_units_as_they_were(tree, programme, courses):
    reform = dt.date(2025, 7, 1)
    district = make_unit(
        "Ủy ban MTTQ huyện Đại Từ",
        parent=tree["province"],
        kind=OrgUnit.Kind.DISTRICT_COMMITTEE,
        valid_to=reform - dt.timedelta(days=1),
    )
    old_la_bang = make_unit(
        "Ủy ban MTTQ xã La Bằng (cũ)", parent=district, valid_to=reform - dt.timedelta(days=1)
    )
    new = tree["la_bang"]
    new.valid_from = reform
    new.save()
    cadre = make_cadre(old_la_bang, since=dt.date(2021, 1, 1), until=reform - dt.timedelta(days=1))
    cadre.memberships.create(unit=new, position="Chủ tịch", is_full_time=True, valid_from=reform)
    complete(cadre, courses[0], dt.date(2024, 5, 1))
    complete(cadre, courses[1], dt.date(2024, 5, 1))
    in_2024 = {
        row.name: row
        for row in report_build(
            root=tree["province"], programme=programme, day=dt.date(2024, 12, 31), target=None
        ).rows
    }
    assert "Ủy ban MTTQ huyện Đại Từ" in in_2024
    assert "Ủy ban MTTQ xã La Bằng" not in in_2024
    assert in_2024["Ủy ban MTTQ huyện Đại Từ"].trained == 1
    in_2026 = {
        row.name: row
        for row in report_build(
            root=tree["province"], programme=programme, day=dt.date(2026, 1, 15), target=None
        ).rows
    }
    assert "Ủy ban MTTQ huyện Đại Từ" not in in_2026
    assert in_2026["Ủy ban MTTQ xã La Bằng"].trained == 1


def test_programme_without_required_courses_trains_nobody(tree, programme, target, roster):
    programme.programme_courses.update(required=False)
    report = report_build(root=tree["province"], programme=programme, day=DEADLINE, target=target)
    assert report.root.in_scope == 4
    assert report.root.trained == 0


@pytest.mark.parametrize("day", [dt.date(2025, 8, 15), dt.date(2025, 10, 15), DEADLINE])
@pytest.mark.parametrize("full_time_only", [False, True])
def test_subtree_report_gives_the_figures_of_its_rows_in_the_province_report(
    tree, programme, target, roster, courses, day, full_time_only
):
    # A subtree looks for trained cadres among its own members only; the
    # province reads every enrolment. Both must count the same people, also
    # for a cadre trained while a member of two units, one of them elsewhere.
    moved = make_cadre(tree["la_bang"], family_name="Hoàng Thị", given_name="Mai")
    Membership.objects.create(
        cadre=moved,
        unit=tree["dai_phuc"],
        position="Ủy viên",
        is_full_time=False,
        valid_from=dt.date(2025, 7, 1),
    )
    complete(moved, courses[0], dt.date(2025, 9, 1))
    complete(moved, courses[1], dt.date(2025, 9, 1))
    province = report_build(
        root=tree["province"],
        programme=programme,
        day=day,
        target=target,
        full_time_only=full_time_only,
    )
    expected = {row.unit_id: (row.in_scope, row.trained) for row in province.rows}
    for name in ("la_bang", "dai_phuc", "lau_sau"):
        subtree = report_build(
            root=tree[name],
            programme=programme,
            day=day,
            target=target,
            full_time_only=full_time_only,
        )
        assert {row.unit_id: (row.in_scope, row.trained) for row in subtree.rows} == {
            row.unit_id: expected[row.unit_id] for row in subtree.rows
        }
