"""A report drawn to a depth fetches one level more only where group nodes
stand right below its root (they are looked through)."""

import datetime as dt

from cadres.models import OrgUnit
from reports.figures import report_build
from tests.factories import make_unit

DAY = dt.date(2025, 12, 31)


def names(report):
    return {row.name for row in report.rows}


def test_report_one_level_deep_without_groups_stops_at_the_roots_children(tree, programme):
    report = report_build(
        root=tree["province"], programme=programme, day=DAY, target=None, levels=1
    )
    assert "Ủy ban MTTQ xã La Bằng" in names(report)
    assert "Ban Công tác Mặt trận xóm Lau Sau" not in names(report)


def test_report_one_level_deep_with_a_group_below_the_root_goes_one_level_further(tree, programme):
    group = make_unit(
        "Ủy ban MTTQ cấp xã", parent=tree["province"], kind=OrgUnit.Kind.COMMUNE_GROUP
    )
    make_unit("Ủy ban MTTQ xã Thử Nghiệm", parent=group)
    report = report_build(
        root=tree["province"], programme=programme, day=DAY, target=None, levels=1
    )
    assert "Ủy ban MTTQ xã Thử Nghiệm" in names(report)
    # The extra level is the whole tree's, as the chart has always drawn it.
    assert "Ban Công tác Mặt trận xóm Lau Sau" in names(report)
