"""roster_dry_run_s, roster_import_s, roster_import_peak_mb, roster_reimport_changes.

A roster of 50,000 cadres in 200 communes; a 20,000-row CSV in which 10,000 rows
are cadres already on the roster (4,000 of them moved to another commune, 2,000
with a new phone number) and 10,000 are new. Dry run and commit each read the
file from bytes and plan from scratch, as the Celery job does.
"""

import csv
import datetime as dt
import io
import resource
import time

from django.db import transaction

from cadres.models import Cadre, Membership, OrgUnit, UnitCode
from cadres.roster import importing as ri
from cadres.roster.importing import writing
from cadres.roster.importing.writing import joiners_announce, roster_plan_apply

ROSTER, ROWS, COMMUNES = 50_000, 20_000, 200
FAMILY = ["Nguyễn Thị", "Ma Văn", "Hoàng Thị", "Nông Văn", "Triệu Thị", "Đặng Văn", "Lý Thị"]
GIVEN = ["Hoa", "Thắng", "Đào", "Ước", "Mai", "Dũng", "Uyên", "Bình Minh", "Hòa", "Thuỵ"]


def _setup():
    province = OrgUnit.add_root(name="Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên", kind="uy_ban_tinh")
    communes = []
    for i in range(COMMUNES):
        unit = province.add_child(name=f"Ủy ban MTTQ xã Thử Nghiệm {i}", kind="uy_ban_xa")
        UnitCode.objects.create(unit=unit, code=f"9{i:04d}")
        communes.append(unit)
    cadres = []
    for i in range(ROSTER):
        cadre = Cadre(
            family_name=FAMILY[i % len(FAMILY)],
            given_name=GIVEN[i % len(GIVEN)],
            cadre_code=f"TN{i:06d}",
            phone=f"09{i:08d}",
        )
        cadre.fill_derived_fields()
        cadres.append(cadre)
    with transaction.atomic():
        Cadre.objects.bulk_create(cadres, batch_size=2000)
        Membership.objects.bulk_create(
            [
                Membership(
                    cadre=c,
                    unit=communes[i % COMMUNES],
                    position="Ủy viên",
                    valid_from=dt.date(2025, 7, 1),
                )
                for i, c in enumerate(cadres)
            ],
            batch_size=2000,
        )
    return province, communes


def _file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["STT", "Mã cán bộ", "Họ và tên", "Ngày sinh", "Chức vụ", "SĐT", "Mã đơn vị"])
    for n in range(ROWS):
        if n < ROWS // 2:
            i = n * 5  # an existing cadre
            unit = (i % COMMUNES + (1 if n < 4000 else 0)) % COMMUNES
            phone = f"08{i:08d}" if 4000 <= n < 6000 else f"09{i:08d}"
            name = f"{FAMILY[i % len(FAMILY)]} {GIVEN[i % len(GIVEN)]}"
            code = f"TN{i:06d}"
        else:
            i = ROSTER + n
            unit = n % COMMUNES
            phone = f"03{i:08d}"
            name = f"{FAMILY[n % len(FAMILY)]} {GIVEN[n % len(GIVEN)]}"
            code = f"TN{i:06d}"
        writer.writerow([n + 1, code, name, "05/03/1988", "Ủy viên", phone, f"9{unit:04d}"])
    return out.getvalue().encode("utf-8")


def _plan(data, province, scope):
    sheet = ri.read_sheet(data, file_name="bench.csv")
    return ri.plan_import(
        sheet,
        mapping=ri.guess_mapping(sheet.headers),
        unit=province,
        scope=scope,
        everywhere=True,
    )


def run() -> list[dict]:
    province, _communes = _setup()
    data = _file()
    scope = list(OrgUnit.objects.all())

    start = time.perf_counter()
    plan = _plan(data, province, scope)
    dry_run = time.perf_counter() - start
    assert plan.ok, plan.rejected[:3]
    counts = plan.counts

    # The joiners' programme enrolment runs in Celery jobs after commit; time it apart.
    queued: list = []
    enqueue = writing.joiners_enqueue
    writing.joiners_enqueue = queued.extend
    try:
        start = time.perf_counter()
        plan = _plan(data, province, scope)
        with transaction.atomic():
            roster_plan_apply(plan=plan, unit=province, by=None, file_name="bench.csv", sha256="-")
        commit = time.perf_counter() - start
    finally:
        writing.joiners_enqueue = enqueue
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    joiners_announce(pairs=queued)
    joiners = time.perf_counter() - start

    again = _plan(data, province, scope).counts
    changes = ROWS - again["unchanged"]
    note = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    return [
        {"name": "roster_dry_run_s", "value": round(dry_run, 2), "unit": "s", "note": note},
        {
            "name": "roster_import_s",
            "value": round(commit, 2),
            "unit": "s",
            "note": (
                "read + plan + bulk write in one transaction; then the joiner jobs "
                f"(programme enrolment of {len(queued)} cadres): {joiners:.1f} s"
            ),
        },
        {
            "name": "roster_import_peak_mb",
            "value": round(peak_mb, 1),
            "unit": "MB",
            "note": "peak RSS of the whole process (ru_maxrss), roster setup included",
        },
        {
            "name": "roster_reimport_changes",
            "value": changes,
            "unit": "rows",
            "note": "same file again: rows that are not 'unchanged'",
        },
    ]
