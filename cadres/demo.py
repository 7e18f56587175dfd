"""Demo province for ``make run``: real unit names and codes, invented people
(``demo_data/province.toml``).

Idempotent: a second run finds the demo in place and changes nothing.
"""

import datetime as dt
import random
import tomllib
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction

from .accounts.roles import REVIEWER_GROUP
from .accounts.services import user_set_role
from .models import Cadre, Membership, OrgUnit, User
from .units.tables import BEFORE_REFORM, REFORM_DATE, units_import


def demo_data(app_label: str, name: str) -> dict:
    """An app's demo content: ``<app>/demo_data/<name>.toml``."""
    path = Path(apps.get_app_config(app_label).path) / "demo_data" / f"{name}.toml"
    with path.open("rb") as handle:
        return tomllib.load(handle)


PROVINCE = demo_data("cadres", "province")
DEMO_PASSWORD = PROVINCE["password"]
DEMO_LOGINS = [(login["username"], login["label"]) for login in PROVINCE["login"]]


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
    departments, communes = _units(province, rng)
    la_bang = _cadres(departments, communes, rng)
    _learner_and_logins(province, la_bang)


def _units(province: OrgUnit, rng: random.Random) -> tuple[list[OrgUnit], list[OrgUnit]]:
    """The province's own units and the residential committees under each
    commune; the departments and the communes."""
    _child(province, "Ban Thường trực Ủy ban MTTQ tỉnh", OrgUnit.Kind.STANDING_BOARD)
    agency = _child(province, "Cơ quan Ủy ban MTTQ tỉnh", OrgUnit.Kind.AGENCY)
    departments = [_child(agency, n, OrgUnit.Kind.DEPARTMENT) for n in PROVINCE["departments"]]
    org_group = _child(
        province, "Tổ chức chính trị - xã hội trực thuộc", OrgUnit.Kind.SOCIO_POLITICAL_GROUP
    )
    for name in PROVINCE["organisations"]:
        _child(org_group, name, OrgUnit.Kind.SOCIO_POLITICAL_ORG)
    communes = list(
        OrgUnit.objects.filter(
            kind=OrgUnit.Kind.COMMUNE_COMMITTEE, valid_from=REFORM_DATE
        ).order_by("path")
    )
    for commune in communes:
        places = PROVINCE["residential"].get(commune.current_code) or [
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

    return departments, communes


def _cadres(departments: list[OrgUnit], communes: list[OrgUnit], rng: random.Random) -> OrgUnit:
    """Cadres in the departments and communes, La Bằng's with their history
    from before the reform; La Bằng."""
    la_bang = _commune("05818")
    old_la_bang = OrgUnit.objects.get(codes__code="05815", codes__valid_to=BEFORE_REFORM)
    counter = 0

    def add(unit: OrgUnit, position: str, full_time: bool, since=REFORM_DATE) -> Cadre:
        nonlocal counter
        counter += 1
        cadre = Cadre.objects.create(
            family_name=rng.choice(PROVINCE["names"]["family"]),
            given_name=rng.choice(PROVINCE["names"]["given"]),
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
        for position in PROVINCE["position"][:3]:
            add(commune, position["name"], position["full_time"])
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

    return la_bang


def _learner_and_logins(province: OrgUnit, la_bang: OrgUnit) -> None:
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
