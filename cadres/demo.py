"""Demo province for ``make run``: real unit names and codes, invented people.

Idempotent: a second run finds the demo in place and changes nothing.
"""

import datetime as dt
import random

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Cadre, Membership, OrgUnit, User
from .roles import REVIEWER_GROUP
from .services import user_set_role
from .units.tables import BEFORE_REFORM, REFORM_DATE, units_import

DEMO_PASSWORD = "hocso-2025!"  # noqa: S105 - printed for the demo on purpose
DEMO_LOGINS = [
    ("hocvien", "Học viên (cán bộ xã La Bằng)"),
    ("giangvien", "Giảng viên"),
    ("duyet", "Giảng viên, duyệt nội dung trước khi xuất bản"),
    ("tochuc.labang", "Cán bộ tổ chức, Ủy ban MTTQ xã La Bằng"),
    ("tochuc.tinh", "Cán bộ tổ chức cấp tỉnh"),
    ("quantri", "Quản trị viên"),
]

DEPARTMENTS = [
    "Văn phòng",
    "Ban Tổ chức - Kiểm tra",
    "Ban Dân chủ, Giám sát và Phản biện xã hội",
    "Ban Tuyên giáo và Công tác xã hội",
    "Ban Dân tộc, Tôn giáo",
]
ORGANISATIONS = [
    "Liên đoàn Lao động tỉnh",
    "Hội Nông dân tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Tỉnh đoàn Thái Nguyên",
    "Hội Cựu chiến binh tỉnh",
]
RESIDENTIAL = {
    "05818": ["xóm Lau Sau", "xóm Tiên Hội", "xóm Đồng Tiến"],
}
FAMILY_NAMES = [
    "Nguyễn Thị",
    "Nguyễn Văn",
    "Ma Văn",
    "Hoàng Thị",
    "Nông Văn",
    "Triệu Thị",
    "Đặng Văn",
    "Lý Thị",
    "Dương Văn",
    "Hoàng Phủ",
    "Trần Thị",
    "Lê Văn",
    "Phạm Thị",
    "Vũ Văn",
    "Lương Thị",
    "Hà Văn",
    "Bế Thị",
    "Lục Văn",
    "Chu Thị",
    "Đỗ Văn",
    "Ninh Thị",
    "La Văn",
    "Mông Thị",
]
GIVEN_NAMES = [
    "Hoa",
    "Thắng",
    "Đào",
    "Ước",
    "Mai",
    "Dũng",
    "Uyên",
    "Bình Minh",
    "Ngọc",
    "Hòa",
    "Hoà",
    "Lan",
    "Hùng",
    "Hương",
    "Tuấn",
    "Thủy",
    "Sơn",
    "Yến",
    "Cường",
    "Nhung",
    "Hải",
    "Thảo",
    "Long",
    "Hằng",
    "Ánh",
    "Quân",
    "Trang",
    "Đức",
    "Ly",
    "Khánh",
]
POSITIONS = [
    ("Chủ tịch", True),
    ("Phó Chủ tịch", True),
    ("Ủy viên Ban Thường trực", True),
    ("Cán bộ chuyên trách", True),
    ("Trưởng ban Công tác Mặt trận", False),
]


def _child(parent: OrgUnit, name: str, kind: str, **fields) -> OrgUnit:
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(name=name, kind=kind, **fields)


def _commune(code: str) -> OrgUnit:
    return OrgUnit.objects.get(
        kind=OrgUnit.Kind.COMMUNE_COMMITTEE, codes__code=code, codes__valid_from=REFORM_DATE
    )


def _login(username: str, *, role: str, scope: OrgUnit | None = None, superuser=False) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = superuser
        user.save()
        user_set_role(user=user, role=role, scope_unit=scope)
    return user


@transaction.atomic
def load() -> None:
    units_import()
    province = OrgUnit.get_root_nodes().get(kind=OrgUnit.Kind.PROVINCE_COMMITTEE)
    # Added after the first demo logins: a database seeded before gets it too.
    reviewer = _login("duyet", role=User.Role.TRAINER)
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    if Cadre.objects.exists():
        return
    rng = random.Random(2025)  # noqa: S311 - demo names, not secrets
    _child(province, "Ban Thường trực Ủy ban MTTQ tỉnh", OrgUnit.Kind.STANDING_BOARD)
    agency = _child(province, "Cơ quan Ủy ban MTTQ tỉnh", OrgUnit.Kind.AGENCY)
    departments = [_child(agency, n, OrgUnit.Kind.DEPARTMENT) for n in DEPARTMENTS]
    org_group = _child(
        province, "Tổ chức chính trị - xã hội trực thuộc", OrgUnit.Kind.SOCIO_POLITICAL_GROUP
    )
    for name in ORGANISATIONS:
        _child(org_group, name, OrgUnit.Kind.SOCIO_POLITICAL_ORG)
    communes = list(
        OrgUnit.objects.filter(
            kind=OrgUnit.Kind.COMMUNE_COMMITTEE, valid_from=REFORM_DATE
        ).order_by("path")
    )
    for commune in communes:
        places = RESIDENTIAL.get(commune.current_code) or [
            f"tổ dân phố số {i}" if "phường" in commune.name else f"thôn {i}"
            for i in range(1, rng.randint(2, 4) + 1)
        ]
        for place in places:
            _child(
                commune,
                f"Ban Công tác Mặt trận {place}",
                OrgUnit.Kind.RESIDENTIAL_COMMITTEE,
                valid_from=REFORM_DATE,
            )

    la_bang = _commune("05818")
    old_la_bang = OrgUnit.objects.get(codes__code="05815", codes__valid_to=BEFORE_REFORM)
    counter = 0

    def add(unit: OrgUnit, position: str, full_time: bool, since=REFORM_DATE) -> Cadre:
        nonlocal counter
        counter += 1
        cadre = Cadre.objects.create(
            family_name=rng.choice(FAMILY_NAMES),
            given_name=rng.choice(GIVEN_NAMES),
            cadre_code=f"TN{counter:05d}",
            phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            date_of_birth=dt.date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28)),
        )
        Membership.objects.create(
            cadre=cadre, unit=unit, position=position, is_full_time=full_time, valid_from=since
        )
        return cadre

    for department in departments:
        for _i in range(3):
            add(department, "Chuyên viên", True)
    for commune in communes:
        for position, full_time in POSITIONS[:3]:
            add(commune, position, full_time)
    for unit in la_bang.get_children():
        add(unit, "Trưởng ban Công tác Mặt trận", False)
    # La Bằng's cadres served in the old xã La Bằng before the reform: history moves.
    for cadre in Cadre.objects.filter(memberships__unit=la_bang).distinct():
        first = cadre.memberships.get()
        Membership.objects.create(
            cadre=cadre,
            unit=old_la_bang,
            position=first.position,
            is_full_time=first.is_full_time,
            valid_from=dt.date(2021, 1, 1),
            valid_to=BEFORE_REFORM,
        )

    learner = Cadre.objects.create(
        family_name="Nguyễn Thị",
        given_name="Hồng Nhung",
        cadre_code="TN90001",
        phone="0912345678",
        date_of_birth=dt.date(1988, 3, 5),
        user=_login("hocvien", role=User.Role.CADRE),
    )
    Membership.objects.create(
        cadre=learner,
        unit=la_bang,
        position="Phó Chủ tịch",
        is_full_time=True,
        valid_from=REFORM_DATE,
    )
    _login("giangvien", role=User.Role.TRAINER)
    _login("tochuc.labang", role=User.Role.HR_OFFICER, scope=la_bang)
    _login("tochuc.tinh", role=User.Role.HR_OFFICER, scope=province)
    _login("quantri", role=User.Role.ADMINISTRATOR, superuser=True)
