import datetime as dt

import pytest

from cadres.models import UnitAlias, UnitCode
from tests.services import cache_clear

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def fresh_rate_limits():
    """allauth counts attempts in the cache; every test starts from zero."""
    cache_clear()
    yield
    cache_clear()


@pytest.fixture
def coded_tree(tree):
    """The shared tree with official codes and a spelling variant."""
    UnitCode.objects.create(unit=tree["province"], code="19")
    UnitCode.objects.create(unit=tree["la_bang"], code="05818", valid_from=REFORM)
    UnitCode.objects.create(unit=tree["dai_phuc"], code="05488", valid_from=REFORM)
    UnitAlias.objects.create(unit=tree["la_bang"], name="Xã La Bằng")
    return tree
