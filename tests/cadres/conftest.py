import datetime as dt

import pytest

from cadres.models import UnitAlias, UnitCode

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def coded_tree(tree):
    """The shared tree with official codes and a spelling variant."""
    UnitCode.objects.create(unit=tree["province"], code="19")
    UnitCode.objects.create(unit=tree["la_bang"], code="05818", valid_from=REFORM)
    UnitCode.objects.create(unit=tree["dai_phuc"], code="05488", valid_from=REFORM)
    UnitAlias.objects.create(unit=tree["la_bang"], name="Xã La Bằng")
    return tree


@pytest.fixture(autouse=True)
def _fresh_celery_backend():
    """Eager tasks make Celery cache a result backend built from the eager
    settings; drop it so a later real-worker test builds its own."""
    yield
    from config.celery_app import app

    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
