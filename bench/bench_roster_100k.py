"""roster_import_100k_s, roster_import_100k_peak_mb.

A roster of 50,000 cadres in 200 communes and a 100,000-row CSV: the 50,000
cadres (10,000 of them moved, 10,000 with a new phone number) and 50,000 new
ones. The file goes through the jobs' own path — stored upload, dry run,
commit — after the process's freed memory is handed back (malloc_trim) and its
peak RSS reset (/proc/self/clear_refs), so ``roster_import_100k_peak_mb`` is the
process's peak while reading, planning and writing the file (the world built
before it, and earlier topics, are not counted beyond what they still hold).
"""

import csv
import ctypes
import datetime as dt
import gc
import io
import time
from pathlib import Path

from django.db import transaction

from cadres.models import Cadre, Membership, OrgUnit, RosterImport, UnitCode
from cadres.roster import importing as ri
from cadres.roster.importing import reading, writing
from cadres.roster.importing import services as roster_services

ROSTER, BIG, COMMUNES = 50_000, 100_000, 200
FAMILY = ["Nguyễn Thị", "Ma Văn", "Hoàng Thị", "Nông Văn", "Triệu Thị", "Đặng Văn", "Lý Thị"]
GIVEN = ["Hoa", "Thắng", "Đào", "Ước", "Mai", "Dũng", "Uyên", "Bình Minh", "Hòa", "Thuỵ"]


def _setup() -> OrgUnit:
    province = OrgUnit.add_root(name="Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên", kind="uy_ban_tinh")
    communes = []
    for i in range(COMMUNES):
        unit = province.add_child(name=f"Ủy ban MTTQ xã Thử Nghiệm {i}", kind="uy_ban_xa")
        UnitCode.objects.create(unit=unit, code=f"9{i:04d}")
        communes.append(unit)
    with transaction.atomic():
        for start in range(0, ROSTER, 2000):
            cadres = []
            for i in range(start, start + 2000):
                cadre = Cadre(
                    family_name=FAMILY[i % len(FAMILY)],
                    given_name=GIVEN[i % len(GIVEN)],
                    cadre_code=f"TN{i:06d}",
                    phone=f"09{i:08d}",
                )
                cadre.fill_derived_fields()
                cadres.append(cadre)
            Cadre.objects.bulk_create(cadres)
            Membership.objects.bulk_create(
                Membership(
                    cadre=c,
                    unit=communes[(start + k) % COMMUNES],
                    position="Ủy viên",
                    valid_from=dt.date(2025, 7, 1),
                )
                for k, c in enumerate(cadres)
            )
    return province


def _file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["STT", "Mã cán bộ", "Họ và tên", "Ngày sinh", "Chức vụ", "SĐT", "Mã đơn vị"])
    for n in range(BIG):
        name = f"{FAMILY[n % len(FAMILY)]} {GIVEN[n % len(GIVEN)]}"
        if n < ROSTER:
            unit = (n % COMMUNES + (1 if n < 10_000 else 0)) % COMMUNES
            phone = f"07{n:08d}" if 10_000 <= n < 20_000 else f"09{n:08d}"
            code = f"TN{n:06d}"
        else:
            unit, phone, code = n % COMMUNES, f"03{n:08d}", f"TB{n:06d}"
        writer.writerow([n + 1, code, name, "05/03/1988", "Ủy viên", phone, f"9{unit:04d}"])
    return out.getvalue().encode("utf-8")


def _mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> float:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    Path("/proc/self/clear_refs").write_text("5")
    return _mb("VmRSS")


def run() -> list[dict]:
    province = _setup()
    data = _file()
    limits = reading.LIMITS
    reading.LIMITS = limits.but(max_rows=BIG + ri.HEADER_SCAN_ROWS)
    enqueue = writing.joiners_enqueue
    writing.joiners_enqueue = lambda pairs: None  # programme enrolment: bench_roster
    try:
        base = _reset_peak()
        start = time.perf_counter()
        roster_import = roster_services.roster_import_start(
            data=data, file_name="bench.csv", unit=province, by=None
        )
        upload = time.perf_counter() - start
        RosterImport.objects.filter(pk=roster_import.pk).update(status="planning")
        roster_import.refresh_from_db()
        roster_services.roster_import_plan(roster_import=roster_import)
        dry = time.perf_counter() - start
        done = roster_services.roster_import_commit(roster_import_id=roster_import.pk)
        total = time.perf_counter() - start
        peak = _mb("VmHWM")
    finally:
        reading.LIMITS = limits
        writing.joiners_enqueue = enqueue
    assert done.status == "done", (done.status, done.error, done.counts)
    counts = ", ".join(f"{k} {v}" for k, v in done.counts.items() if v)
    return [
        {
            "name": "roster_import_100k_s",
            "value": round(total, 1),
            "unit": "s",
            "note": f"upload request {upload:.2f} s; dry run done at {dry:.1f} s; {counts}",
        },
        {
            "name": "roster_import_100k_peak_mb",
            "value": round(peak, 1),
            "unit": "MB",
            "note": f"peak RSS of the process (it held {base:.0f} MB before the upload)",
        },
    ]
