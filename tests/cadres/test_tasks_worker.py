"""A real Celery worker takes a job from Redis and writes to the test database."""

import pytest

from cadres.models import OrgUnit
from cadres.tasks import units_import_task
from tests.services import celery_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_real_worker_imports_units_from_a_redis_job():
    with celery_worker():
        outcome = units_import_task.delay().get(timeout=120)
    assert outcome["created"] > 300
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE_COMMITTEE).count() > 92
