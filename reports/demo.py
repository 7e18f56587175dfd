"""Demo target and frozen snapshots. Runs after the courses demo, which
creates the programme "Kỹ năng số cơ bản 2025"; without it, does nothing.
Idempotent: a second run finds the target and changes nothing."""

import datetime as dt

from django.db import transaction

from cadres.models import OrgUnit, User
from courses.models import Programme

from .figures import report_build
from .models import Target
from .services import snapshot_freeze, target_create

PROGRAMME_NAME = "Kỹ năng số cơ bản 2025"
DEADLINE = dt.date(2025, 12, 31)
SNAPSHOT_DATES = [
    (dt.date(2025, 9, 30), "Số liệu chốt quý III/2025 (dữ liệu mẫu)."),
    (dt.date(2025, 12, 31), "Số liệu chốt hết hạn chỉ tiêu 31/12/2025 (dữ liệu mẫu)."),
]


@transaction.atomic
def load() -> None:
    programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
    province = OrgUnit.get_root_nodes().filter(kind=OrgUnit.Kind.PROVINCE_COMMITTEE).first()
    if programme is None or province is None:
        return
    if Target.objects.filter(programme=programme, unit=province).exists():
        return
    officer = User.objects.filter(username="tochuc.tinh").first()
    target = target_create(
        programme=programme,
        unit=province,
        percentage=100,
        deadline=DEADLINE,
        starts_on=dt.date(2025, 1, 1),
        full_time_only=True,
        by=officer,
    )
    if officer is None:
        return
    for day, note in SNAPSHOT_DATES:
        report = report_build(root=province, programme=programme, day=day, target=target)
        snapshot_freeze(report=report, note=note, by=officer)
