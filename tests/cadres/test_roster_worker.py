"""A 2,000-row import runs as real Celery jobs on Redis against PostgreSQL."""

import pytest

from cadres.models import Cadre, RosterImport
from cadres.roster.importing.services import roster_import_configure, roster_import_start
from cadres.tasks import roster_import_commit_task
from tests.services import celery_worker

from .roster_files import csv_bytes

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def wait_for(pk, status, timeout=240):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = RosterImport.objects.get(pk=pk)
        if found.status == status:
            return found
        time.sleep(0.5)
    raise AssertionError(f"import stayed {RosterImport.objects.get(pk=pk).status}")


def test_real_worker_plans_and_commits_a_large_file(coded_tree, hr_la_bang):
    rows = [
        [
            n,
            f"W{n:05d}",
            f"Nguyễn Văn Thử {n}",
            "01/01/1990",
            "Ủy viên",
            "",
            f"09{n:08d}",
            "",
            "La Bằng",
        ]
        for n in range(2000)
    ]
    data = csv_bytes(rows)
    with celery_worker():
        roster_import = roster_import_start(
            data=data, file_name="lon.csv", unit=coded_tree["la_bang"], by=hr_la_bang
        )
        roster_import_configure(
            roster_import=roster_import, by=hr_la_bang, mapping=roster_import.mapping
        )
        planned = wait_for(roster_import.pk, "planned")
        assert planned.counts["create"] == 2000
        assert Cadre.objects.count() == 0
        RosterImport.objects.filter(pk=planned.pk).update(status="committing")
        roster_import_commit_task.delay(planned.pk)
        done = wait_for(planned.pk, "done")
    assert done.progress_done == 2000
    assert Cadre.objects.filter(cadre_code__startswith="W").count() == 2000
