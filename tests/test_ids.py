"""The suite runs with large ids, so a grouped id ("1.234.567") cannot hide."""

from cadres.models import Cadre, OrgUnit
from tests.factories import make_cadre, make_unit


def test_new_rows_get_ids_above_one_million(db):
    unit = make_unit("Ủy ban MTTQ xã La Bằng")
    cadre = make_cadre(unit)

    assert unit.pk > 1_000_000
    assert cadre.pk > 1_000_000


def test_each_table_counts_from_its_own_start(db):
    unit = make_unit("Ủy ban MTTQ xã La Bằng")
    cadre = make_cadre(unit)

    assert unit.pk != cadre.pk
    assert not Cadre.objects.filter(pk=unit.pk).exists()
    assert not OrgUnit.objects.filter(pk=cadre.pk).exists()
