"""report_page_ms_{postgres,sqlite}, report_page_queries, report_as_of_ms_postgres,
report_xlsx_s: the completion report over 50,000 cadres in 200 units (depth 4),
20 courses and 300,000 enrolments (with their completions), for the
provincial HR officer."""

import datetime as dt
import random
import time

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from cadres.accounts.services import user_set_role
from cadres.caching import data_changed
from cadres.models import Cadre, Membership, OrgUnit, User
from cadres.text import fold, sort_key
from courses.models import Completion, Enrolment, Programme
from courses.trained import trained_rebuild
from reports.export_jobs import report_export_build
from reports.models import ReportExport
from reports.selectors import targets_covering
from tests.reports.builders import course_catalogue, programme_make, target_2025

from .timing import count_queries, time_requests

CADRES = 50_000
UNITS = 200
COURSES = 20
ENROLMENTS_PER_CADRE = 6  # 4 required + 2 others: 300,000 enrolments
REQUIRED = 4
FAMILY = ["Nguyễn Thị", "Ma Văn", "Hoàng Thị", "Nông Văn", "Triệu Thị", "Đặng Văn", "Lý Thị"]
GIVEN = ["Hoa", "Thắng", "Đào", "Ước", "Mai", "Dũng", "Uyên", "Bình Minh", "Ngọc", "Hòa"]


def _units() -> tuple[OrgUnit, list[OrgUnit]]:
    """1 province, 4 groups, 35 communes, 160 residential committees: 200 units, depth 4."""
    root = OrgUnit.add_root(name="Ủy ban MTTQ tỉnh (bench)", kind=OrgUnit.Kind.PROVINCE_COMMITTEE)
    units = [root]
    groups = [
        root.add_child(name=f"Nhóm {i}", kind=OrgUnit.Kind.COMMUNE_GROUP) for i in range(1, 5)
    ]
    units += groups
    communes = []
    for i in range(35):
        communes.append(
            groups[i % 4].add_child(
                name=f"Ủy ban MTTQ xã {i + 1}", kind=OrgUnit.Kind.COMMUNE_COMMITTEE
            )
        )
    units += communes
    for i in range(UNITS - len(units)):
        units.append(
            OrgUnit.objects.get(pk=communes[i % 35].pk).add_child(
                name=f"Ban Công tác Mặt trận thôn {i + 1}",
                kind=OrgUnit.Kind.RESIDENTIAL_COMMITTEE,
            )
        )
    return root, units


def _data() -> tuple[Programme, User]:
    rng = random.Random(7)
    root, units = _units()
    courses = course_catalogue(
        slug="bench-khoa-hoc",
        courses=[(f"bench-{i + 1}", f"Khóa học số {i + 1}") for i in range(COURSES)],
    )
    programme = programme_make(unit=root, required=courses[:REQUIRED])
    target_2025(programme=programme, unit=root)
    cadres = []
    for i in range(CADRES):
        family, given = rng.choice(FAMILY), rng.choice(GIVEN)
        cadres.append(
            Cadre(
                family_name=family,
                given_name=given,
                cadre_code=f"B{i:06d}",
                sort_key=sort_key(given, family),
                search_text=fold(f"{family} {given} B{i:06d}"),
            )
        )
    Cadre.objects.bulk_create(cadres, batch_size=5000)
    cadre_ids = list(Cadre.objects.order_by("pk").values_list("pk", flat=True))
    leaves = [u for u in units if u.kind != OrgUnit.Kind.COMMUNE_GROUP]
    Membership.objects.bulk_create(
        [
            Membership(
                cadre_id=cadre_id,
                unit=rng.choice(leaves),
                position=rng.choice(["Chủ tịch", "Phó Chủ tịch", "Ủy viên", "Trưởng ban"]),
                is_full_time=rng.random() < 0.8,
                valid_from=dt.date(2024, 1, 1),
            )
            for cadre_id in cadre_ids
        ],
        batch_size=5000,
    )
    start = timezone.make_aware(dt.datetime(2025, 1, 1, 8))
    enrolments = []
    for cadre_id in cadre_ids:
        others = rng.sample(courses[REQUIRED:], ENROLMENTS_PER_CADRE - REQUIRED)
        for course in courses[:REQUIRED] + others:
            enrolments.append(
                Enrolment(
                    cadre_id=cadre_id,
                    course=course,
                    source=Enrolment.Source.PROGRAMME,
                    enrolled_at=start,
                    last_activity_at=start + dt.timedelta(days=rng.randint(0, 600)),
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    completions = []
    for pk in Enrolment.objects.values_list("pk", flat=True).iterator(chunk_size=10000):
        if rng.random() < 0.8:
            at = start + dt.timedelta(days=rng.randint(0, 600), hours=rng.randint(0, 10))
            revoked = at + dt.timedelta(days=30) if rng.random() < 0.01 else None
            completions.append(
                Completion(
                    enrolment_id=pk,
                    completed_at=at,
                    revoked_at=revoked,
                    source=Completion.Source.RULE,
                )
            )
    Completion.objects.bulk_create(completions, batch_size=5000)
    trained_rebuild()  # written past the services, as an import would be
    officer = User.objects.create(username="bench.tinh")
    user_set_role(user=officer, role=User.Role.HR_OFFICER, scope_unit=root)
    return programme, officer


def export_job_seconds(
    *, officer: User, unit: OrgUnit, programme_id: int, fmt: str = "xlsx"
) -> tuple[float, ReportExport]:
    """Time the export job (the task's function, in this process) writing the
    report of ``unit``'s whole subtree today: from the query to the stored file."""
    export = ReportExport.objects.create(
        requested_by=officer,
        unit=unit,
        programme_id=programme_id,
        target=targets_covering(unit).get(programme_id),
        as_of=timezone.localdate(),
        format=fmt,
    )
    started = time.perf_counter()
    export = report_export_build(export_id=export.pk)
    elapsed = time.perf_counter() - started
    assert export.status == ReportExport.Status.DONE, export.error
    return elapsed, export


def run() -> list[dict]:
    with transaction.atomic():
        programme, officer = _data()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(officer)
    today = timezone.localdate()
    page_url = f"/bao-cao/?programme={programme.pk}&as_of={today:%d/%m/%Y}"
    as_of_url = f"/bao-cao/?programme={programme.pk}&as_of=30/09/2025"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert b"rp-tree" in response.content
        return response

    def drawn(url):
        data_changed()  # as after any completion: drawn afresh, not from the report cache
        return get(url)

    page = time_requests(lambda: drawn(page_url), n=30, warmup=3)
    queries = count_queries(lambda: drawn(page_url))
    as_of = time_requests(lambda: drawn(as_of_url), n=30, warmup=3)
    cached = time_requests(lambda: get(page_url), n=30, warmup=3)
    xlsx_times = sorted(
        export_job_seconds(officer=officer, unit=officer.scope_unit, programme_id=programme.pk)[0]
        for _ in range(3)
    )
    vendor = "postgres" if connection.vendor == "postgresql" else connection.vendor
    size = f"{CADRES:,} cadres, {UNITS} units, {Enrolment.objects.count():,} enrolments, "
    size += f"{Completion.objects.count():,} completions"
    rows = [
        {
            "name": f"report_page_ms_{vendor}",
            "value": page["median_ms"],
            "unit": "ms",
            "note": f"median of 30, test client, today; p99 {page['p99_ms']} ms; {size}",
        },
        {"name": "report_page_queries", "value": queries, "unit": "queries", "note": size},
        {
            "name": f"report_page_cached_ms_{vendor}",
            "value": cached["median_ms"],
            "unit": "ms",
            "note": f"median of 30, figures from the report cache; p99 {cached['p99_ms']} ms",
        },
        {
            "name": "report_xlsx_s",
            "value": round(xlsx_times[1], 2),
            "unit": "s",
            "note": "median of 3: the export job (title sheet + one sheet per unit level, "
            "whole province) run in-process, to its private file",
        },
    ]
    if vendor == "postgres":
        rows.append(
            {
                "name": "report_as_of_ms_postgres",
                "value": as_of["median_ms"],
                "unit": "ms",
                "note": f"median of 30, as of 30/09/2025; p99 {as_of['p99_ms']} ms",
            }
        )
    else:
        print(f"  (as of 30/09/2025 on {vendor}: {as_of['median_ms']} ms)")
    return rows
