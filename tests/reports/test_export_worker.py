"""A report export runs as a real Celery job on Redis against PostgreSQL: the
request only queues it; the worker writes the file and moves the progress."""

import csv
import datetime as dt
import io
import time

import pytest

from reports.export_jobs import report_export_create
from reports.models import ReportExport
from tests.factories import make_cadre
from tests.services import celery_worker

from .conftest import complete

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def wait_done(pk, timeout=120) -> ReportExport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        export = ReportExport.objects.get(pk=pk)
        if export.status in ("done", "failed"):
            return export
        time.sleep(0.3)
    raise AssertionError(f"export stayed {ReportExport.objects.get(pk=pk).status}")


def test_real_worker_writes_the_export_the_request_queued(
    tree, courses, programme, target, hr_province
):
    for unit in ("la_bang", "lau_sau", "dai_phuc"):
        cadre = make_cadre(tree[unit])
        complete(cadre, courses[0], dt.date(2025, 8, 1))
        complete(cadre, courses[1], dt.date(2025, 8, 1))
    with celery_worker():
        export = report_export_create(
            by=hr_province,
            unit=tree["province"],
            programme=programme,
            target=target,
            day=dt.date(2025, 12, 31),
            fmt="csv",
        )
        assert ReportExport.objects.get(pk=export.pk).status == "queued"
        done = wait_done(export.pk)
    assert (done.status, done.error, done.done, done.total) == ("done", "", 4, 4)
    with done.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rows[1][1:2] + rows[1][4:6] == ["Ủy ban MTTQ tỉnh Thái Nguyên", "3", "3"]
