"""The overview stays bounded at any size: it draws the whole tree when the
tree is small, and stops at the level where the units would exceed
DASHBOARD_UNITS (a national tree ranks its communes)."""

import datetime as dt

import pytest
from django.urls import reverse

from reports import dashboard
from reports.dashboard import drawn_levels
from tests.factories import make_cadre

LAU_SAU = "Ban Công tác Mặt trận xóm Lau Sau"


@pytest.fixture
def behind(tree, courses, programme, target):
    """One untrained cadre in the residential committee, under La Bằng."""
    return make_cadre(tree["lau_sau"], family_name="Ma Văn", given_name="Thắng")


def furthest_behind_section(client) -> str:
    body = client.get(reverse("reports:dashboard")).content.decode()
    return body.split("Mười đơn vị chậm nhất", 1)[1].split("</table>", 1)[0]


def test_overview_draws_the_whole_tree_when_it_has_few_units(tree):
    assert drawn_levels(tree["province"], dt.date.today(), most=4) is None


def test_overview_stops_at_the_deepest_level_that_stays_within_the_bound(tree):
    # Four units: the province, two communes, one residential committee.
    assert drawn_levels(tree["province"], dt.date.today(), most=3) == 1


def test_overview_draws_at_least_one_level_below_the_unit(tree):
    assert drawn_levels(tree["province"], dt.date.today(), most=1) == 1


def test_overview_ranks_units_at_every_level_of_a_small_tree(client, hr_province, behind):
    client.force_login(hr_province)
    section = furthest_behind_section(client)
    assert LAU_SAU in section
    assert "Trong các đơn vị đến" not in section


def test_overview_of_a_large_tree_ranks_only_the_levels_it_draws_and_says_so(
    client, hr_province, behind, monkeypatch
):
    monkeypatch.setattr(dashboard, "DASHBOARD_UNITS", 3)
    client.force_login(hr_province)
    section = furthest_behind_section(client)
    assert LAU_SAU not in section
    assert "Ủy ban MTTQ xã La Bằng" in section
    assert "Trong các đơn vị đến 1 cấp dưới đơn vị này." in section
